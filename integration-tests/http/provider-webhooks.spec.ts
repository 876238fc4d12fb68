/**
 * Stripe and PayPal webhooks through Medusa's own route (`POST /hooks/payment/<provider>`) in a real Medusa app, with
 * the PSP sandbox's signed events. Medusa answers 200 at once and handles the event 5 s later (a fixed delay), in its
 * `payment-webhook-handler` subscriber and `processPaymentWorkflow`; the tests wait for that subscriber. The sandbox
 * holds its events (webhook URL set, `hold: true`) and each test delivers exactly the ones it means to.
 */
import { generateKeyPairSync } from "node:crypto"
import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, PaymentWebhookEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import Stripe from "stripe"
import type { SandboxEvent } from "../../src/sandbox"
import { paypalSigningIdentity } from "../../src/sandbox/paypal/certificate"
import { signTransmission } from "../../src/sandbox/paypal/signature"
import { adminHeaders } from "../utils/admin"
import { completeCart, startCheckout, type Checkout } from "../utils/checkout"
import { useSandbox } from "../utils/sandbox"

jest.setTimeout(180_000)

const STRIPE = "pp_stripe_stripe"
const PAYPAL = "pp_paypal_paypal"
const sandbox = useSandbox()

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    const container = (): MedusaContainer => getContainer()
    const payments = (): IPaymentModuleService => container().resolve(Modules.PAYMENT)
    const control = () => sandbox.current.control
    const hookUrl = (provider: string) => `${api.defaults.baseURL}/hooks/payment/${provider.replace(/^pp_/, "")}`

    beforeEach(async () => {
      // Point the sandbox at this app, holding every event until a test delivers it.
      await control().configureWebhooks("stripe", { url: hookUrl(STRIPE), hold: true })
      await control().configureWebhooks("paypal", { url: hookUrl(PAYPAL), hold: true })
    })

    /** Resolves once Medusa's webhook subscriber has handled `count` deliveries (set it up before delivering). */
    function webhooksHandled(count: number): Promise<unknown> {
      return TestEventUtils.waitSubscribersExecution(
        PaymentWebhookEvents.WebhookReceived,
        container().resolve(Modules.EVENT_BUS),
        { triggerCount: count, timeout: 45_000 }
      )
    }

    /** POSTs a body to Medusa's webhook route as a PSP (or an attacker) would; Medusa always answers 200. */
    async function deliver(provider: string, body: string, headers: Record<string, string>): Promise<void> {
      const response = await fetch(hookUrl(provider), {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      })
      expect(response.status).toBe(200)
    }

    /** The newest event of that type the sandbox emitted about the object (an intent, an order). */
    async function sandboxEvent(psp: "stripe" | "paypal", type: string, objectId: string): Promise<SandboxEvent> {
      const events = (await control().events(psp)).filter((e) => e.type === type && e.payload.includes(objectId))
      expect(events.length).toBeGreaterThan(0)
      return events[events.length - 1]
    }

    /** Redelivers sandbox events to Medusa, signed now as the PSP signs them. */
    async function redeliver(events: SandboxEvent[], options: { timestamp_offset_seconds?: number } = {}) {
      const deliveries = await control().redeliver(
        events.map((e) => e.id),
        options
      )
      expect(deliveries.map((d) => [d.url, d.status])).toEqual(
        events.map((e) => [hookUrl(`pp_${e.psp}_${e.psp}`), 200])
      )
    }

    /** What Medusa holds for a checkout: the session, its payments, and whether the cart became an order. */
    async function medusaState(checkout: Checkout) {
      const query = container().resolve(ContainerRegistrationKeys.QUERY)
      const session = await payments().retrievePaymentSession(checkout.session.id)
      const rows = await payments().listPayments(
        { payment_session_id: checkout.session.id },
        { relations: ["captures"] }
      )
      const { data: carts } = await query.graph({
        entity: "cart",
        fields: ["id", "completed_at"],
        filters: { id: checkout.cart.id },
      })
      const { data: orders } = await query.graph({
        entity: "order_cart",
        fields: ["order_id"],
        filters: { cart_id: checkout.cart.id },
      })
      return {
        session: { status: session.status, authorized_at: session.authorized_at ?? null },
        payments: rows.map((p) => ({
          id: p.id,
          provider_id: p.provider_id,
          captured_at: p.captured_at ?? null,
          canceled_at: p.canceled_at ?? null,
          captures: (p.captures ?? []).map((c) => Number(c.amount)),
          data: p.data as Record<string, unknown>,
        })),
        cart_completed: !!carts[0]?.completed_at,
        orders: (orders as { order_id: string }[]).map((o) => o.order_id),
      }
    }

    /** PayPal transmission headers for a body, made with the sandbox's signing key (or another key: a forgery). */
    async function paypalHeaders(body: string, privateKey = paypalSigningIdentity.privateKey()) {
      const { cert_url } = await control().paypal.certificates()
      return signTransmission({
        body,
        webhookId: sandbox.current.paypal.webhookId,
        privateKey,
        certUrl: cert_url,
        now: Date.now(),
      })
    }

    /** A PayPal checkout the buyer approved and the cart completed: an order with an authorized payment. */
    async function paypalOrder() {
      const checkout = await startCheckout(api, container(), { provider_id: PAYPAL })
      const reference = checkout.session.data.reference as string
      await control().paypal.approveOrder(reference)
      const completed = await completeCart(api, checkout)
      expect(completed.type).toBe("order")
      const [payment] = (await medusaState(checkout)).payments
      return { checkout, reference, orderId: completed.order!.id, payment }
    }

    // What store-boot.spec.ts checked in an app of its own (this file's app is the same store).
    describe("the store boots with the plugin", () => {
      it("answers /health", async () => {
        const res = await api.get("/health")
        expect(res.status).toEqual(200)
      })

      it("registers both providers under the ids the Next.js starter recognises", async () => {
        const headers = await adminHeaders(container(), api)
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

    describe("Stripe: POST /hooks/payment/stripe_stripe", () => {
      it("ignores forged, stale and unsigned deliveries; the signed amount_capturable_updated turns the confirmed cart into an order", async () => {
        // The buyer confirmed the card, but the storefront never called complete.
        const checkout = await startCheckout(api, container(), { provider_id: STRIPE })
        const intentId = checkout.session.data.id as string
        await control().stripe.confirmPaymentIntent(intentId)
        const event = await sandboxEvent("stripe", "payment_intent.amount_capturable_updated", intentId)
        const before = await medusaState(checkout)
        expect(before).toMatchObject({ payments: [], cart_completed: false, orders: [] })

        const untrusted = webhooksHandled(3)
        const forged = new Stripe("sk_test_forger").webhooks.generateTestHeaderString({
          payload: event.payload,
          secret: "whsec_not_ours",
        })
        await deliver(STRIPE, event.payload, { "stripe-signature": forged })
        await deliver(STRIPE, event.payload, {})
        // Signed with the right secret, but 10 minutes ago (Stripe's tolerance is 5).
        await redeliver([event], { timestamp_offset_seconds: -600 })
        await untrusted
        expect(await medusaState(checkout)).toEqual(before)

        const trusted = webhooksHandled(1)
        await redeliver([event])
        await trusted
        const after = await medusaState(checkout)
        expect(after.cart_completed).toBe(true)
        expect(after.orders).toHaveLength(1)
        expect(after.session.status).toBe("authorized")
        expect(after.payments).toEqual([
          expect.objectContaining({
            provider_id: STRIPE,
            captured_at: null,
            canceled_at: null,
            captures: [],
            data: expect.objectContaining({ id: intentId, status: "authorized", amount: 7000 }),
          }),
        ])
        const psp = await control().stripe.inspectPaymentIntent(intentId)
        expect(psp.payment_intent).toMatchObject({ status: "requires_capture", amount_capturable: 7000 })
        expect(psp.captures).toHaveLength(0)
      })
    })

    describe("PayPal: POST /hooks/payment/paypal_paypal", () => {
      it("ignores forged, tampered and unsigned deliveries; the signed PAYMENT.AUTHORIZATION.CREATED completes the cart whose completion failed", async () => {
        const checkout = await startCheckout(api, container(), { provider_id: PAYPAL })
        const reference = checkout.session.data.reference as string
        await control().paypal.approveOrder(reference)
        // PayPal authorizes, but every answer is lost: cart completion fails, PayPal holds an authorization.
        await control().addFault({
          psp: "paypal",
          method: "POST",
          path: `/orders/${reference}/authorize`,
          kind: "status",
          status: 500,
          phase: "after",
          count: 3,
        })
        const failed = await completeCart(api, checkout)
        expect(failed.type).not.toBe("order")
        await control().clearFaults()
        const order = await control().paypal.getOrder(reference)
        const authorizations = (order.purchase_units?.[0] as { payments?: { authorizations?: { id: string }[] } })
          .payments?.authorizations
        expect(authorizations).toHaveLength(1)
        const authorizationId = authorizations![0].id
        expect((await control().paypal.getAuthorization(authorizationId)).status).toBe("CREATED")

        const event = await sandboxEvent("paypal", "PAYMENT.AUTHORIZATION.CREATED", authorizationId)
        const before = await medusaState(checkout)
        expect(before).toMatchObject({ payments: [], cart_completed: false, orders: [] })

        const untrusted = webhooksHandled(3)
        const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey
        await deliver(PAYPAL, event.payload, await paypalHeaders(event.payload, otherKey))
        const tampered = event.payload.replace(/"value":"70\.00"/, '"value":"0.70"')
        expect(tampered).not.toBe(event.payload)
        await deliver(PAYPAL, tampered, await paypalHeaders(event.payload))
        await deliver(PAYPAL, event.payload, {})
        await untrusted
        expect(await medusaState(checkout)).toEqual(before)

        const trusted = webhooksHandled(1)
        await redeliver([event])
        await trusted
        const after = await medusaState(checkout)
        expect(after.cart_completed).toBe(true)
        expect(after.orders).toHaveLength(1)
        expect(after.payments).toEqual([
          expect.objectContaining({
            provider_id: PAYPAL,
            captured_at: null,
            canceled_at: null,
            data: expect.objectContaining({ reference, authorization_id: authorizationId, status: "authorized" }),
          }),
        ])
        // The order was completed from PayPal's existing authorization: no second authorization or capture.
        const view = await control().paypal.getAuthorization(authorizationId)
        expect(view).toMatchObject({ status: "CREATED", captures: [] })
        const authorizeCalls = await control().requests({ psp: "paypal", path: `/orders/${reference}/authorize` })
        expect(authorizeCalls.filter((r) => !r.replayed).length).toBe(1)
      })

      it("PAYMENT.AUTHORIZATION.VOIDED: a merchant's void reads as canceled, an expiry (voided past expiration_time) as not for Medusa to act on", async () => {
        const headers = await adminHeaders(container(), api)
        const voided = await paypalOrder()
        const expired = await paypalOrder()

        await api.post(`/admin/orders/${voided.orderId}/cancel`, {}, { headers })
        const voidEvent = await sandboxEvent("paypal", "PAYMENT.AUTHORIZATION.VOIDED", voided.reference)
        await control().paypal.expireAuthorization(expired.payment.data.authorization_id as string)
        const expiryEvent = await sandboxEvent("paypal", "PAYMENT.AUTHORIZATION.VOIDED", expired.reference)
        // PayPal itself reports an expired authorization as VOIDED; only its expiration_time tells.
        const expiryAsVoided = expiryEvent.payload.replace('"status":"EXPIRED"', '"status":"VOIDED"')
        expect(expiryAsVoided).not.toBe(expiryEvent.payload)

        const act = async (body: string) =>
          payments().getWebhookActionAndData({
            provider: PAYPAL,
            payload: { data: JSON.parse(body), rawData: Buffer.from(body), headers: await paypalHeaders(body) },
          })
        const merchantVoid = await act(voidEvent.payload)
        expect(merchantVoid.action).toBe("canceled")
        expect(merchantVoid.data?.session_id).toBe(voided.checkout.session.id)
        expect(Number(merchantVoid.data?.amount)).toBe(70)
        expect(await act(expiryEvent.payload)).toEqual({ action: "not_supported" })
        expect(await act(expiryAsVoided)).toEqual({ action: "not_supported" })
      })
    })

    it("captures Medusa made itself: Stripe's payment_intent.succeeded and PayPal's PAYMENT.CAPTURE.COMPLETED add no second capture", async () => {
      const headers = await adminHeaders(container(), api)
      const stripeCheckout = await startCheckout(api, container(), { provider_id: STRIPE })
      const intentId = stripeCheckout.session.data.id as string
      await control().stripe.confirmPaymentIntent(intentId)
      expect((await completeCart(api, stripeCheckout)).type).toBe("order")
      const [stripePayment] = (await medusaState(stripeCheckout)).payments
      const paypal = await paypalOrder()

      await api.post(`/admin/payments/${stripePayment.id}/capture`, {}, { headers })
      await api.post(`/admin/payments/${paypal.payment.id}/capture`, { amount: 25 }, { headers })
      const succeeded = await sandboxEvent("stripe", "payment_intent.succeeded", intentId)
      const completed = await sandboxEvent("paypal", "PAYMENT.CAPTURE.COMPLETED", paypal.reference)
      const before = { stripe: await medusaState(stripeCheckout), paypal: await medusaState(paypal.checkout) }
      expect(before.stripe.payments[0].captures).toEqual([70])
      expect(before.paypal.payments[0].captures).toEqual([25])

      const handled = webhooksHandled(2)
      await redeliver([succeeded, completed])
      await handled

      expect({ stripe: await medusaState(stripeCheckout), paypal: await medusaState(paypal.checkout) }).toEqual(before)
      expect((await control().stripe.inspectPaymentIntent(intentId)).captures.map((c) => c.amount)).toEqual([7000])
      const authorization = await control().paypal.getAuthorization(paypal.payment.data.authorization_id as string)
      expect(authorization.status).toBe("PARTIALLY_CAPTURED")
      expect(authorization.captures.map((c) => c.amount.value)).toEqual(["25.00"])
    })
  },
})
