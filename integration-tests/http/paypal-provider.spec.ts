import { createServer, type IncomingHttpHeaders, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { AxiosInstance } from "axios"
import { adminHeaders } from "../utils/admin"
import { completeCart, startCheckout } from "../utils/checkout"
import { orderPayment } from "../utils/orders"
import { useSandbox } from "../utils/sandbox"
import { createPayPalClient } from "../../src/gateways/paypal/paypal-client"
import { PayPalWebhookVerifier } from "../../src/gateways/paypal/paypal-webhook-verification"

jest.setTimeout(120_000)

const sandbox = useSandbox()

const PROVIDER = "pp_paypal_paypal"
// pp_paypal_autocapture: `capture: true` and a `softDescriptor` (medusa-config.ts, optionProviders). Set before the
// runner loads the config (its `env` option is applied after that).
process.env.ORCHESTRATOR_OPTION_PROVIDERS = "on"

/** Webhook deliveries from the sandbox, captured raw (exact bytes and headers). */
const deliveries: { headers: IncomingHttpHeaders; raw: Buffer }[] = []
let receiver: Server
let receiverUrl: string

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      deliveries.push({ headers: req.headers, raw: Buffer.concat(chunks) })
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/paypal`
})

afterAll(async () => {
  await new Promise<void>((r) => receiver.close(() => r()))
})

/** Storefront checkout with PayPal, the buyer's approval at PayPal, cart completion: an order with an authorized payment. */
async function authorizedOrder(api: AxiosInstance, container: MedusaContainer) {
  const checkout = await startCheckout(api, container, { provider_id: PROVIDER })
  const data = checkout.session.data as { id: string; reference: string; approve_url?: string; status: string }
  expect(data.status).toBe("pending")
  expect(data.id).toBe(data.reference)
  expect(checkout.session.status).toBe("pending")
  expect(data.approve_url).toContain(data.reference)
  await sandbox.current.control.paypal.approveOrder(data.reference)
  const completed = await completeCart(api, checkout)
  expect(completed.error).toBeUndefined()
  expect(completed.type).toBe("order")
  const orderId = completed.order!.id
  const row = await orderPayment(container, orderId)
  expect(row.data.authorization_id).toBeTruthy()
  return { checkout, orderId, payment: row, authorizationId: row.data.authorization_id! }
}

const usd = (minor: number) => (minor / 100).toFixed(2)

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    describe("PayPal provider against the PayPal sandbox", () => {
      it("authorizes at checkout, captures in two parts, and refunds per capture newest first", async () => {
        const container = getContainer()
        const headers = await adminHeaders(container, api)
        const { orderId, payment: authorized, authorizationId } = await authorizedOrder(api, container)
        const paypal = sandbox.current.control.paypal

        expect(authorized.data.status).toBe("authorized")
        const total = Math.round(authorized.amount * 100)
        const auth = await paypal.getAuthorization(authorizationId)
        expect(auth.status).toBe("CREATED")
        expect(auth.amount).toEqual({ currency_code: "USD", value: usd(total) })
        expect(auth.custom_id).toMatch(/^payses_/)

        // Partial capture through Medusa's own route: exactly that amount at PayPal.
        const first = 2500
        await api.post(`/admin/payments/${authorized.id}/capture`, { amount: first / 100 }, { headers })
        let view = await paypal.getAuthorization(authorizationId)
        expect(view.status).toBe("PARTIALLY_CAPTURED")
        expect(view.captures.map((c) => c.amount.value)).toEqual([usd(first)])
        expect(view.captures[0].final_capture).toBe(false)

        // The rest.
        await api.post(`/admin/payments/${authorized.id}/capture`, { amount: (total - first) / 100 }, { headers })
        view = await paypal.getAuthorization(authorizationId)
        expect(view.status).toBe("CAPTURED")
        expect(view.captures.map((c) => c.amount.value)).toEqual([usd(first), usd(total - first)])
        let row = await orderPayment(container, orderId)
        expect(row.captures).toHaveLength(2)
        expect(row.data.captures.map((c) => c.id).sort()).toEqual(view.captures.map((c) => c.id).sort())
        expect(row.captured_at).toBeTruthy()

        // Partial refund: smaller than the newest capture, so it is one PayPal refund on it.
        const [older, newer] = view.captures
        const firstRefund = 1000
        await api.post(`/admin/payments/${authorized.id}/refund`, { amount: firstRefund / 100 }, { headers })
        row = await orderPayment(container, orderId)
        expect(row.data.refunds).toHaveLength(1)
        expect(row.data.refunds[0]).toMatchObject({ capture_id: newer.id, amount: firstRefund })
        expect((await paypal.getCapture(newer.id)).refunds.map((r) => r.id)).toEqual([row.data.refunds[0].id])

        // The rest: what is left of the newest capture, then the older one.
        await api.post(`/admin/payments/${authorized.id}/refund`, { amount: (total - firstRefund) / 100 }, { headers })
        row = await orderPayment(container, orderId)
        expect(row.refunds).toHaveLength(2)
        expect(row.data.refunds.map((r) => [r.capture_id, r.amount])).toEqual([
          [newer.id, firstRefund],
          [newer.id, total - first - firstRefund],
          [older.id, first],
        ])
        const newerAtPayPal = await paypal.getCapture(newer.id)
        const olderAtPayPal = await paypal.getCapture(older.id)
        expect(newerAtPayPal.status).toBe("REFUNDED")
        expect(olderAtPayPal.status).toBe("REFUNDED")
        expect([...newerAtPayPal.refunds, ...olderAtPayPal.refunds].map((r) => r.id).sort()).toEqual(
          row.data.refunds.map((r) => r.id).sort()
        )
        // Our refunds are marked as ours.
        expect(newerAtPayPal.refunds.every((r) => r.invoice_id?.startsWith("mpo-refund-"))).toBe(true)

        // Nothing is left: Medusa refuses before PayPal is called.
        const over = await api
          .post(`/admin/payments/${authorized.id}/refund`, { amount: 1 }, { headers })
          .catch((e: { response: { status: number; data: { message: string } } }) => e.response)
        expect(over.status).toBeGreaterThanOrEqual(400)
        expect(over.status).toBeLessThan(500)
      })

      it("acts only on verified webhooks, and voids an uncaptured authorization when the order is canceled", async () => {
        const container = getContainer()
        const headers = await adminHeaders(container, api)
        await sandbox.current.control.configureWebhooks("paypal", { url: receiverUrl })
        deliveries.length = 0
        const { orderId, payment: authorized, authorizationId, checkout } = await authorizedOrder(api, container)
        await sandbox.current.control.webhooksIdle()

        const paymentModule = container.resolve(Modules.PAYMENT)
        const created = deliveries.find((d) => d.raw.toString().includes('"PAYMENT.AUTHORIZATION.CREATED"'))!
        expect(created).toBeDefined()
        const good = await paymentModule.getWebhookActionAndData({
          provider: PROVIDER,
          payload: { data: JSON.parse(created.raw.toString()), rawData: created.raw, headers: created.headers },
        })
        expect(good.action).toBe("authorized")
        expect(good.data?.session_id).toBe(checkout.session.id)
        expect(Number(good.data?.amount)).toBe(authorized.amount)

        // Same headers, altered body: the signature no longer matches, so nothing is acted on.
        const tampered = Buffer.from(created.raw.toString().replace(/"value":"[0-9.]+"/, '"value":"0.01"'))
        const bad = await paymentModule.getWebhookActionAndData({
          provider: PROVIDER,
          payload: { data: JSON.parse(tampered.toString()), rawData: tampered, headers: created.headers },
        })
        expect(bad).toEqual({ action: "not_supported" })
        const forged = await paymentModule.getWebhookActionAndData({
          provider: PROVIDER,
          payload: {
            data: JSON.parse(created.raw.toString()),
            rawData: created.raw,
            headers: { ...created.headers, "paypal-transmission-sig": Buffer.from("forged").toString("base64") },
          },
        })
        expect(forged).toEqual({ action: "not_supported" })

        // The offline mode (webhookVerification: "certificate") agrees, and only fetches certificates from allowed hosts.
        const offline = (hosts: { customApiBaseUrl?: string }) =>
          new PayPalWebhookVerifier({
            mode: "certificate",
            webhookId: sandbox.current.paypal.webhookId,
            apiBaseUrl: sandbox.current.paypal.apiBaseUrl,
            certificateHosts: ["api.paypal.com", "api.sandbox.paypal.com"],
            client: createPayPalClient({ ...sandbox.current.paypal, environment: "sandbox", timeoutMs: 5000 }),
            timeoutMs: 5000,
            ...hosts,
          })
        const local = offline({ customApiBaseUrl: sandbox.current.paypal.apiBaseUrl })
        await expect(local.verify(created.raw, created.headers)).resolves.toBeUndefined()
        await expect(local.verify(tampered, created.headers)).rejects.toThrow(/signature does not match/)
        await expect(offline({}).verify(created.raw, created.headers)).rejects.toThrow(
          /not an allowed certificate host/
        )

        // Cancel the order: the uncaptured authorization is voided at PayPal.
        await api.post(`/admin/orders/${orderId}/cancel`, {}, { headers })
        expect((await paypal().getAuthorization(authorizationId)).status).toBe("VOIDED")
        const row = await orderPayment(container, orderId)
        expect(row.canceled_at).toBeTruthy()
        expect(row.data.status).toBe("canceled")

        await sandbox.current.control.webhooksIdle()
        const voided = deliveries.find((d) => d.raw.toString().includes('"PAYMENT.AUTHORIZATION.VOIDED"'))!
        const action = await paymentModule.getWebhookActionAndData({
          provider: PROVIDER,
          payload: { data: JSON.parse(voided.raw.toString()), rawData: voided.raw, headers: voided.headers },
        })
        expect(action.action).toBe("canceled")
        await sandbox.current.control.configureWebhooks("paypal", { url: null })
      })

      it("refuses to capture an expired authorization, naming the expiry, and keeps no capture", async () => {
        const container = getContainer()
        const headers = await adminHeaders(container, api)
        const { orderId, payment: authorized, authorizationId } = await authorizedOrder(api, container)
        await paypal().expireAuthorization(authorizationId)

        const res = await api
          .post(`/admin/payments/${authorized.id}/capture`, { amount: 10 }, { headers })
          .catch((e: { response: { status: number; data: { message: string } } }) => e.response)
        expect(res.status).toBeGreaterThanOrEqual(400)
        expect(res.status).toBeLessThan(500)
        expect(res.data.message).toMatch(/expired/i)
        expect(res.data.message).toMatch(/cancel/i)

        const row = await orderPayment(container, orderId)
        expect(row.captures).toHaveLength(0)
        expect(row.data.captures).toHaveLength(0)
        expect((await paypal().getAuthorization(authorizationId)).captures).toHaveLength(0)
      })

      it("retries a capture whose answer was lost (5xx after PayPal acted) with the same PayPal-Request-Id", async () => {
        const container = getContainer()
        const headers = await adminHeaders(container, api)
        const { orderId, payment: authorized, authorizationId } = await authorizedOrder(api, container)
        await sandbox.current.control.addFault({
          psp: "paypal",
          path: "/capture",
          kind: "status",
          status: 500,
          phase: "after",
        })

        const res = await api.post(`/admin/payments/${authorized.id}/capture`, { amount: 20 }, { headers })
        expect(res.status).toBe(200)

        const view = await paypal().getAuthorization(authorizationId)
        expect(view.captures.map((c) => c.amount.value)).toEqual(["20.00"])
        const row = await orderPayment(container, orderId)
        expect(row.captures).toHaveLength(1)
        expect(row.data.captures).toEqual([expect.objectContaining({ id: view.captures[0].id, amount: 2000 })])

        const attempts = (
          await sandbox.current.control.requests({ psp: "paypal", method: "POST", path: "/capture" })
        ).filter((r) => r.path.includes(authorizationId))
        expect(attempts).toHaveLength(2)
        expect(attempts[0].idempotency_key).toBeTruthy()
        expect(attempts[1].idempotency_key).toBe(attempts[0].idempotency_key)
        expect(attempts[1].replayed).toBe(true)
      })

      it("places no order when the buyer declines at PayPal, and says so", async () => {
        const container = getContainer()
        const checkout = await startCheckout(api, container, { provider_id: PROVIDER })
        await paypal().declineOrder(checkout.session.data.reference as string)
        const completed = await completeCart(api, checkout)
        expect(completed.type).not.toBe("order")
        expect(completed.error?.message).toMatch(/not authorized|declined|approve/i)
        const [session] = await container
          .resolve(Modules.PAYMENT)
          .listPaymentSessions({ id: checkout.session.id }, { select: ["id", "status"] })
        expect(session.status).not.toBe("authorized")
        expect(
          await container.resolve(Modules.PAYMENT).listPayments({ payment_session_id: checkout.session.id })
        ).toEqual([])
      })

      it("pays in JPY without decimals, and refuses a three-decimal currency before calling PayPal", async () => {
        const payments = getContainer().resolve(Modules.PAYMENT)
        const collection = await payments.createPaymentCollections({ currency_code: "jpy", amount: 9000 })
        const session = await payments.createPaymentSession(collection.id, {
          provider_id: PROVIDER,
          currency_code: "jpy",
          amount: 9000,
          data: {},
        })
        const orderId = session.data.reference as string
        expect((await paypal().getOrder(orderId)).purchase_units?.[0]?.amount).toMatchObject({
          currency_code: "JPY",
          value: "9000",
        })
        await paypal().approveOrder(orderId)
        const authorized = (await payments.authorizePaymentSession(session.id, {}))!
        await payments.capturePayment({ payment_id: authorized.id, amount: 3000 })
        await payments.refundPayment({ payment_id: authorized.id, amount: 1000 })
        const authorizationId = (
          (await payments.retrievePayment(authorized.id, { select: ["data"] })).data as { authorization_id: string }
        ).authorization_id
        const view = await paypal().getAuthorization(authorizationId)
        expect(view.captures.map((c) => c.amount.value)).toEqual(["3000"])
        expect(view.captures[0].refunds.map((r) => r.amount.value)).toEqual(["1000"])

        const before = (await paypal().state()).orders.length
        const kwd = await payments.createPaymentCollections({ currency_code: "kwd", amount: 18.5 })
        await expect(
          payments.createPaymentSession(kwd.id, { provider_id: PROVIDER, currency_code: "kwd", amount: 18.5, data: {} })
        ).rejects.toThrow(/PayPal does not support the three-decimal currency KWD/)
        expect((await paypal().state()).orders.length).toBe(before)
      })
    })

    describe("provider options", () => {
      it("capture: true captures the order at approval (intent CAPTURE) under the soft descriptor; Medusa records one capture of the whole amount", async () => {
        const AUTO = "pp_paypal_autocapture"
        const payments = getContainer().resolve(Modules.PAYMENT)
        const collection = await payments.createPaymentCollections({ currency_code: "usd", amount: 25 })
        const session = await payments.createPaymentSession(collection.id, {
          provider_id: AUTO,
          currency_code: "usd",
          amount: 25,
          data: {},
        })
        const orderId = session.data.id as string
        const created = await paypal().getOrder(orderId)
        expect(created).toMatchObject({
          intent: "CAPTURE",
          purchase_units: [expect.objectContaining({ soft_descriptor: "ORCHESTRA SHOP" })],
        })
        await paypal().approveOrder(orderId)
        const payment = await payments.authorizePaymentSession(session.id, {})
        const after = await payments.retrievePayment(payment!.id, { relations: ["captures"] })
        expect(after.captured_at).not.toBeNull()
        expect(after.captures!.map((c) => Number(c.amount))).toEqual([25])
        const order = await paypal().getOrder(orderId)
        expect(order.status).toBe("COMPLETED")
        const captures = (order.purchase_units![0].payments as { captures: { id: string }[] }).captures
        expect(captures).toHaveLength(1)
        expect(await paypal().getCapture(captures[0].id)).toMatchObject({
          status: "COMPLETED",
          amount: { currency_code: "USD", value: "25.00" },
          soft_descriptor: "ORCHESTRA SHOP",
        })
      })
    })
  },
})

function paypal() {
  return sandbox.current.control.paypal
}
