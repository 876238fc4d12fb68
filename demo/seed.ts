/**
 * `medusa exec ./demo/seed.ts`: seeds the demo store and, when DEMO_ADMIN_EMAIL and DEMO_ADMIN_PASSWORD are set, its
 * admin user; writes what the demo prints to DEMO_SEED_OUTPUT (default `.tmp/demo-seed.json`).
 */
import type { ExecArgs } from "@medusajs/framework/types"
import fs from "node:fs"
import path from "node:path"
import { ensureAdminUser } from "./seed-admin"
import { seedDemoStore } from "./seed-store"

export default async function seed({ container }: ExecArgs): Promise<void> {
  const seeded = await seedDemoStore(container)
  const email = process.env.DEMO_ADMIN_EMAIL
  const password = process.env.DEMO_ADMIN_PASSWORD
  const admin = email && password ? await ensureAdminUser(container, { email, password }) : null
  const out = path.resolve(process.cwd(), process.env.DEMO_SEED_OUTPUT || path.join(".tmp", "demo-seed.json"))
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, JSON.stringify({ ...seeded, admin_created: admin?.created ?? null }, null, 2))
}
