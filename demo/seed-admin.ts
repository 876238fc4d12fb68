/**
 * The admin user of the demo store (what `medusa user -e … -p …` does), created once: a second run finds the user and
 * leaves it, and its password, as they are.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

export async function ensureAdminUser(
  container: MedusaContainer,
  admin: { email: string; password: string }
): Promise<{ created: boolean }> {
  const users = container.resolve(Modules.USER)
  if ((await users.listUsers({ email: admin.email })).length) {
    return { created: false }
  }
  const [user] = await users.createUsers([{ email: admin.email }])
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity, error } = await auth.register("emailpass", {
    body: { email: admin.email, password: admin.password },
  } as never)
  if (error || !authIdentity) {
    throw new Error(`The admin user ${admin.email} could not be registered: ${error ?? "no auth identity"}`)
  }
  await auth.updateAuthIdentities({ id: authIdentity.id, app_metadata: { user_id: user.id } })
  return { created: true }
}
