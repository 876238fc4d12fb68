/** `medusa exec ./demo/seed.ts`: seeds the demo store and writes what the demo prints to `.tmp/demo-seed.json`. */
import type { ExecArgs } from "@medusajs/framework/types"
import fs from "node:fs"
import path from "node:path"
import { seedDemoStore } from "./seed-store"

export default async function seed({ container }: ExecArgs): Promise<void> {
  const seeded = await seedDemoStore(container)
  const out = path.resolve(process.cwd(), ".tmp", "demo-seed.json")
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, JSON.stringify(seeded, null, 2))
}
