import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { AxiosInstance } from "axios"

export const ADMIN_EMAIL = "admin@medusa-test.com"
export const ADMIN_PASSWORD = "supersecret"

interface AdminSession {
  headers: Record<string, string>
  user: { id: string; email: string }
  authIdentity: {
    id: string
    app_metadata: Record<string, unknown>
    provider_identities: {
      id: string
      provider: string
      entity_id: string
      provider_metadata?: Record<string, unknown>
      user_metadata?: Record<string, unknown>
    }[]
  }
}

/** One logged-in admin per app (test file): registering and logging in hash the password twice (scrypt), seconds. */
const sessions = new WeakMap<MedusaContainer, AdminSession>()

/**
 * Creates an admin user (what `medusa user` does) and returns the headers of a logged-in session. Within one test file
 * the first session is reused: when the database has been restored since (the runner does it before every test), the
 * same user and auth identity rows, password hash included, are written back, so the session's token is that of an
 * existing admin again, without hashing the password anew.
 */
export async function adminHeaders(container: MedusaContainer, api: AxiosInstance): Promise<Record<string, string>> {
  const users = container.resolve(Modules.USER)
  const auth = container.resolve(Modules.AUTH)
  const known = sessions.get(container)
  if (known) {
    if (!(await users.listUsers({ id: known.user.id })).length) {
      await users.createUsers([known.user])
      await auth.createAuthIdentities([known.authIdentity])
    }
    return { ...known.headers }
  }
  const [user] = await users.createUsers([{ email: ADMIN_EMAIL }])
  const { authIdentity } = await auth.register("emailpass", {
    body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  } as never)
  await auth.updateAuthIdentities({ id: authIdentity!.id, app_metadata: { user_id: user.id } })
  const { data } = await api.post("/auth/user/emailpass", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
  const saved = await auth.retrieveAuthIdentity(authIdentity!.id, { relations: ["provider_identities"] })
  sessions.set(container, {
    headers: { authorization: `Bearer ${data.token}` },
    user: { id: user.id, email: user.email },
    authIdentity: {
      id: saved.id,
      app_metadata: saved.app_metadata ?? {},
      provider_identities: (saved.provider_identities ?? []).map((p) => ({
        id: p.id,
        provider: p.provider,
        entity_id: p.entity_id,
        provider_metadata: p.provider_metadata ?? undefined,
        user_metadata: p.user_metadata ?? undefined,
      })),
    },
  })
  return { authorization: `Bearer ${data.token}` }
}
