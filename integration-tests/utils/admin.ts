import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { AxiosInstance } from "axios"

export const ADMIN_EMAIL = "admin@medusa-test.com"
export const ADMIN_PASSWORD = "supersecret"

/** Creates an admin user (what `medusa user` does) and returns the headers of a logged-in session. */
export async function adminHeaders(container: MedusaContainer, api: AxiosInstance): Promise<Record<string, string>> {
  const [user] = await container.resolve(Modules.USER).createUsers([{ email: ADMIN_EMAIL }])
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity } = await auth.register("emailpass", {
    body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  } as never)
  await auth.updateAuthIdentities({ id: authIdentity!.id, app_metadata: { user_id: user.id } })
  const { data } = await api.post("/auth/user/emailpass", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
  return { authorization: `Bearer ${data.token}` }
}
