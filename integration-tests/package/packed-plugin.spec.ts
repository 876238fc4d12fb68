import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { execFileSync } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { adminHeaders } from "../utils/admin"
import { useSandbox } from "../utils/sandbox"
import { fixtureStore, packIntoFixtureStore, type PackedPlugin } from "./pack-plugin"

jest.setTimeout(300_000)

let packed: PackedPlugin
beforeAll(() => {
  packed = packIntoFixtureStore()
})

const sandbox = useSandbox()

medusaIntegrationTestRunner({
  inApp: true,
  cwd: fixtureStore,
  medusaConfigFile: fixtureStore,
  testSuite: ({ api, getContainer }) => {
    describe("the packed plugin, installed into a fresh store", () => {
      it("ships the built plugin and nothing that is not for users", () => {
        expect(packed.files).toEqual(
          expect.arrayContaining([
            "package.json",
            "README.md",
            ".medusa/server/src/providers/stripe/index.js",
            ".medusa/server/src/providers/paypal/index.js",
            ".medusa/server/src/sandbox/index.js",
            ".medusa/server/src/sandbox/cli.js",
            ".medusa/server/src/workflows/index.js",
            ".medusa/server/src/admin/index.js",
          ])
        )
        const forbidden = packed.files.filter((f) =>
          /(__tests__|\.spec\.|integration-tests|medusa-config|(^|\/)\.env|\.pem$|\.key$|^demo\/|^scripts\/)/.test(f)
        )
        expect(forbidden).toEqual([])
        const text = packed.files
          .filter((f) => f.endsWith(".js"))
          .map((f) => fs.readFileSync(path.join(fixtureStore, "node_modules/medusa-payment-orchestrator", f), "utf8"))
          .join("\n")
        expect(text).not.toMatch(/sk_live_[A-Za-z0-9]/)
      })

      it("exports the storefront kit apart from the server: importing the server entry points loads no React", () => {
        const pkg = JSON.parse(
          fs.readFileSync(path.join(fixtureStore, "node_modules/medusa-payment-orchestrator/package.json"), "utf8")
        )
        expect(pkg.exports["./storefront"]).toMatchObject({ import: "./storefront/dist/index.js" })
        expect(packed.files).toEqual(expect.arrayContaining(["storefront/dist/index.js", "storefront/dist/index.d.ts"]))
        for (const peer of ["react", "@paypal/react-paypal-js", "@stripe/stripe-js"]) {
          expect({ peer, optional: pkg.peerDependenciesMeta?.[peer]?.optional }).toEqual({ peer, optional: true })
        }
        // A fresh Node process, as a store's server starts: every server entry point, then the modules it loaded.
        const script = `
          for (const entry of ["providers/stripe", "providers/paypal", "workflows", "sandbox", "modules/payment-orchestrator"]) {
            require("medusa-payment-orchestrator/" + entry)
          }
          const loaded = Object.keys(require.cache)
          console.log(JSON.stringify({
            count: loaded.length,
            ui: loaded.filter((f) => /[\\/]node_modules[\\/](react|react-dom|@paypal[\\/]react-paypal-js|@stripe[\\/](stripe-js|react-stripe-js))[\\/]/.test(f)),
            kit: loaded.filter((f) => /medusa-payment-orchestrator[\\/]storefront[\\/]/.test(f)),
          }))`
        const out = JSON.parse(
          execFileSync(process.execPath, ["-e", script], { cwd: fixtureStore, encoding: "utf8" })
            .trim()
            .split("\n")
            .pop()!
        )
        expect(out.count).toBeGreaterThan(50) // the entry points did load
        expect(out.ui).toEqual([])
        expect(out.kit).toEqual([])
        // The kit itself loads as a storefront bundler resolves it (ESM), with React present.
        const kit = execFileSync(
          process.execPath,
          [
            "--input-type=module",
            "-e",
            `const k = await import("medusa-payment-orchestrator/storefront"); console.log(Object.keys(k).sort().join(","))`,
          ],
          { cwd: fixtureStore, encoding: "utf8" }
        )
        expect(kit).toMatch(/PayPalPaymentButton/)
        expect(kit).toMatch(/pendingSession/)
      })

      it("registers both providers from the package", async () => {
        const headers = await adminHeaders(getContainer(), api)
        const res = await api.get("/admin/payments/payment-providers", { headers })
        const ids = res.data.payment_providers.map((p: { id: string }) => p.id)
        expect(ids).toEqual(expect.arrayContaining(["pp_stripe_packed", "pp_paypal_packed"]))
      })

      it("loads the plugin's module (migrated) and its admin routes, behind admin auth", async () => {
        const ledger = getContainer().resolve<{ listOrchestratorTransactions(f: object): Promise<unknown[]> }>(
          "paymentOrchestrator"
        )
        expect(await ledger.listOrchestratorTransactions({ order_id: "order_none" })).toEqual([])
        const unauthenticated = await api
          .get("/admin/orders/order_none/transactions")
          .catch((e: { response: unknown }) => e.response)
        expect(unauthenticated.status).toBe(401)
        const headers = await adminHeaders(getContainer(), api)
        const res = await api
          .get("/admin/orders/order_none/transactions", { headers })
          .catch((e: { response: unknown }) => e.response)
        expect(res.status).toBe(404)
        expect(res.data).toEqual({
          errors: [{ status: 404, title: "Not found", detail: "Order order_none was not found." }],
        })
      })

      it("creates a Stripe payment at the PSP through the packed provider", async () => {
        const payment = getContainer().resolve("payment")
        const collection = await payment.createPaymentCollections({ currency_code: "usd", amount: 42.5 })
        const session = await payment.createPaymentSession(collection.id, {
          provider_id: "pp_stripe_packed",
          currency_code: "usd",
          amount: 42.5,
          data: {},
        })
        expect(session.data).toEqual(expect.objectContaining({ gateway: "stripe", amount: 4250, currency: "usd" }))
        const { payment_intent: intent } = await sandbox.current.control.stripe.inspectPaymentIntent(
          session.data.id as string
        )
        expect(intent).toEqual(expect.objectContaining({ amount: 4250, status: "requires_payment_method" }))
      })
    })
  },
})
