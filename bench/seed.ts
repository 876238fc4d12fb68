/**
 * `medusa exec ./bench/seed.ts` (run by `npm run bench` in each of its two stores): the demo store
 * (demo/seed-store.ts) and an admin user, alike in both stores but for the region's payment providers:
 * - the plugin's store (`BENCH_STORE=ours`): the demo providers, ours;
 * - the baseline store (`BENCH_STORE=official`, project `bench/official-store`): the official Stripe provider
 *   (`pp_stripe_official`) only, the one provider that store registers.
 * Writes what the bench needs to `BENCH_SEED_OUT` (JSON).
 */
import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { updateRegionsWorkflow } from "@medusajs/medusa/core-flows"
import fs from "node:fs"
import path from "node:path"
import { DEMO_PROVIDERS, seedDemoStore } from "../demo/seed-store"

export const OFFICIAL_PROVIDER = "pp_stripe_official"

export default async function seedBench({ container }: ExecArgs): Promise<void> {
  const out = process.env.BENCH_SEED_OUT
  const email = process.env.BENCH_ADMIN_EMAIL
  const password = process.env.BENCH_ADMIN_PASSWORD
  if (!out || !email || !password) {
    throw new Error(
      "Run through `npm run bench`: BENCH_SEED_OUT, BENCH_ADMIN_EMAIL and BENCH_ADMIN_PASSWORD are unset."
    )
  }
  const official = process.env.BENCH_STORE === "official"
  const providers = official ? [OFFICIAL_PROVIDER] : [...DEMO_PROVIDERS]
  // seedDemoStore creates its region with DEMO_PROVIDERS, which must exist in the store that runs it: the baseline
  // store registers only the official provider, so the list is swapped for this process (nothing else reads it).
  const demoProviders = [...DEMO_PROVIDERS]
  DEMO_PROVIDERS.splice(0, DEMO_PROVIDERS.length, ...providers)
  let store
  try {
    store = await seedDemoStore(container)
  } finally {
    DEMO_PROVIDERS.splice(0, DEMO_PROVIDERS.length, ...demoProviders)
  }
  await updateRegionsWorkflow(container).run({
    input: { selector: { id: store.region_id }, update: { payment_providers: providers } },
  })

  // What `medusa user` does, without a second boot.
  const [user] = await container.resolve(Modules.USER).createUsers([{ email }])
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity, error } = await auth.register("emailpass", { body: { email, password } } as never)
  if (!authIdentity) {
    throw new Error(`Could not create the bench admin: ${error}`)
  }
  await auth.updateAuthIdentities({ id: authIdentity.id, app_metadata: { user_id: user.id } })

  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, JSON.stringify(store, null, 2))
}
