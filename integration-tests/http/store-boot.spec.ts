import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders } from "../utils/admin"
import { useSandbox } from "../utils/sandbox"

jest.setTimeout(120_000)

useSandbox()

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    describe("the store boots with the plugin", () => {
      it("answers /health", async () => {
        const res = await api.get("/health")
        expect(res.status).toEqual(200)
      })

      it("registers both providers under the ids the Next.js starter recognises", async () => {
        const headers = await adminHeaders(getContainer(), api)
        const res = await api.get("/admin/payments/payment-providers", { headers })
        const ids = res.data.payment_providers.map((p: { id: string }) => p.id)
        expect(ids).toEqual(expect.arrayContaining(["pp_stripe_stripe", "pp_paypal_paypal"]))
      })

      it("keeps the payment provider list behind admin auth", async () => {
        const res = await api
          .get("/admin/payments/payment-providers")
          .catch((e: { response: unknown }) => e.response as { status: number })
        expect(res.status).toEqual(401)
      })
    })
  },
})
