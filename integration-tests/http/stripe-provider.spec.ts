/**
 * The Stripe provider (`pp_stripe_stripe`) in a real Medusa app against the PSP sandbox: every test checks Medusa's
 * rows (payment, captures, refunds) and the PaymentIntent at the sandbox. One app for the file; the database is
 * restored before every test, so each test starts its own checkout.
 */
import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createStripeClient } from "../../src/gateways/stripe/stripe-client"
import { adminHeaders } from "../utils/admin"
import { completeCart, startCheckout, type Checkout } from "../utils/checkout"
import { useSandbox } from "../utils/sandbox"
import type { PaymentRecord } from "../../src/payment-record/schema"
import { grantOffSessionPaymentWorkflow } from "../../src/workflows"
import { STRIPE_MULTICAPTURE_CARD } from "../utils/orders"
import type { TransactionView } from "../../src/ledger/transaction-view"
import type { AxiosResponse } from "axios"

jest.setTimeout(120_000)

const PROVIDER = "pp_stripe_stripe"
// pp_stripe_autocapture: `capture: true` and a `statementDescriptor` (medusa-config.ts, optionProviders). Set before the
// runner loads the config (its `env` option is applied after that).
process.env.ORCHESTRATOR_OPTION_PROVIDERS = "on"
const sandbox = useSandbox()

interface AdminPayment {
  id: string
  amount: number
  captured_at: string | null
  canceled_at: string | null
  captures: { id: string; amount: number }[]
  refunds: { id: string; amount: number }[]
}

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    const payments = (): IPaymentModuleService => getContainer().resolve(Modules.PAYMENT)
    const stripeSdk = () =>
      createStripeClient({
        apiKey: sandbox.current.stripe.apiKey,
        apiBaseUrl: sandbox.current.url,
        maxNetworkRetries: 0,
        timeoutMs: 5_000,
      })
    const inspect = (id: string) => sandbox.current.control.stripe.inspectPaymentIntent(id)

    /** Checkout through the store API, the buyer confirms the card, the cart completes: an order with an authorized payment. */
    async function authorizedOrder(paymentMethod?: string): Promise<{
      checkout: Checkout
      orderId: string
      paymentId: string
      intentId: string
      headers: Record<string, string>
    }> {
      const checkout = await startCheckout(api, getContainer(), { provider_id: PROVIDER })
      const intentId = checkout.session.data.id as string
      await sandbox.current.control.stripe.confirmPaymentIntent(
        intentId,
        paymentMethod ? { payment_method: paymentMethod } : {}
      )
      const result = await completeCart(api, checkout)
      expect(result.type).toEqual("order")
      const [payment] = await payments().listPayments({ payment_session_id: checkout.session.id })
      const headers = await adminHeaders(getContainer(), api)
      return { checkout, orderId: result.order!.id, paymentId: payment.id, intentId, headers }
    }

    async function adminPayment(id: string, headers: Record<string, string>): Promise<AdminPayment> {
      const { data } = await api.get(`/admin/payments/${id}?fields=*captures,*refunds`, { headers })
      return data.payment
    }

    async function paymentData(id: string): Promise<PaymentRecord> {
      const payment = await payments().retrievePayment(id, { select: ["id", "data"] })
      return payment.data as PaymentRecord
    }

    const capture = (id: string, headers: Record<string, string>, amount?: number) =>
      api.post(`/admin/payments/${id}/capture`, amount === undefined ? {} : { amount }, { headers })
    const refund = (id: string, headers: Record<string, string>, amount?: number) =>
      api.post(`/admin/payments/${id}/refund`, amount === undefined ? {} : { amount }, { headers })

    describe("checkout through the store API", () => {
      it("authorizes the order's payment once the buyer confirmed the card; the session carries only the client_secret", async () => {
        const checkout = await startCheckout(api, getContainer(), { provider_id: PROVIDER })
        expect(checkout.session.status).toEqual("pending")
        expect(checkout.session.data.client_secret).toEqual(expect.stringMatching(/^pi_.+_secret_/))
        expect(JSON.stringify(checkout.session.data)).not.toMatch(/sk_(test|live)_|whsec_/)

        const intentId = checkout.session.data.id as string
        const before = await inspect(intentId)
        expect(before.payment_intent).toMatchObject({
          status: "requires_payment_method",
          amount: checkout.cart.total * 100,
          currency: "usd",
          capture_method: "manual",
          metadata: expect.objectContaining({ session_id: checkout.session.id }),
        })

        await sandbox.current.control.stripe.confirmPaymentIntent(intentId)
        const result = await completeCart(api, checkout)
        expect(result.type).toEqual("order")

        const [payment] = await payments().listPayments({ payment_session_id: checkout.session.id })
        expect(payment).toMatchObject({ provider_id: PROVIDER, captured_at: null, canceled_at: null })
        expect(Number(payment.amount)).toEqual(checkout.cart.total)
        expect(payment.data).toMatchObject({ id: intentId, status: "authorized", amount: checkout.cart.total * 100 })
        const after = await inspect(intentId)
        expect(after.payment_intent).toMatchObject({
          status: "requires_capture",
          amount_capturable: checkout.cart.total * 100,
        })
        expect(after.captures).toHaveLength(0)
      })

      it("fails cart completion on a declined card and shows the session in error", async () => {
        const checkout = await startCheckout(api, getContainer(), { provider_id: PROVIDER })
        const intentId = checkout.session.data.id as string
        const pi = await sandbox.current.control.stripe.confirmPaymentIntent(intentId, {
          payment_method: "pm_card_chargeDeclined",
        })
        expect(pi.status).toEqual("requires_payment_method")

        const result = await completeCart(api, checkout)
        expect(result.type).not.toEqual("order")
        expect(result.order).toBeUndefined()

        const session = await payments().retrievePaymentSession(checkout.session.id)
        expect(session.status).toEqual("error")
        expect(await payments().listPayments({ payment_session_id: checkout.session.id })).toHaveLength(0)
        expect((await inspect(intentId)).payment_intent.last_payment_error?.code).toEqual("card_declined")
      })

      it("waits for 3-D Secure (requires_more), then completes once the buyer passed the challenge", async () => {
        const checkout = await startCheckout(api, getContainer(), { provider_id: PROVIDER })
        const intentId = checkout.session.data.id as string
        const pi = await sandbox.current.control.stripe.confirmPaymentIntent(intentId, {
          payment_method: "pm_card_threeDSecure2Required",
        })
        expect(pi.status).toEqual("requires_action")

        const first = await completeCart(api, checkout)
        expect(first.type).not.toEqual("order")
        expect((await payments().retrievePaymentSession(checkout.session.id)).status).toEqual("requires_more")

        await sandbox.current.control.stripe.completeThreeDSecure(intentId, "pass")
        const second = await completeCart(api, checkout)
        expect(second.type).toEqual("order")
        const [payment] = await payments().listPayments({ payment_session_id: checkout.session.id })
        expect(payment.data).toMatchObject({ status: "authorized" })
        expect((await inspect(intentId)).payment_intent.status).toEqual("requires_capture")
      })
    })

    describe("capture through Medusa's admin API", () => {
      it("captures the whole authorization when no amount is given", async () => {
        const { paymentId, intentId, headers, checkout } = await authorizedOrder()
        const res = await capture(paymentId, headers)
        expect(res.status).toEqual(200)

        const payment = await adminPayment(paymentId, headers)
        expect(payment.captured_at).not.toBeNull()
        expect(payment.captures.map((c) => Number(c.amount))).toEqual([checkout.cart.total])
        const data = await paymentData(paymentId)
        expect(data.captures).toEqual([
          expect.objectContaining({ medusa_capture_id: payment.captures[0].id, amount: 7000 }),
        ])

        const psp = await inspect(intentId)
        expect(psp.payment_intent).toMatchObject({ status: "succeeded", amount_received: 7000 })
        expect(psp.captures.map((c) => c.amount)).toEqual([7000])
      })

      it("captures exactly the partial amount at Stripe, then the rest with a second capture (multicapture card)", async () => {
        const { paymentId, intentId, headers } = await authorizedOrder(STRIPE_MULTICAPTURE_CARD)
        expect((await paymentData(paymentId)).multicapture).toBe(true)

        await capture(paymentId, headers, 25)
        let psp = await inspect(intentId)
        expect(psp.captures.map((c) => ({ amount: c.amount, final: c.final }))).toEqual([
          { amount: 2500, final: false },
        ])
        expect(psp.payment_intent).toMatchObject({
          status: "requires_capture",
          amount_received: 2500,
          amount_capturable: 4500,
        })
        let payment = await adminPayment(paymentId, headers)
        expect(payment.captured_at).toBeNull()
        expect(payment.captures.map((c) => Number(c.amount))).toEqual([25])

        await capture(paymentId, headers, 45)
        psp = await inspect(intentId)
        expect(psp.captures.map((c) => c.amount)).toEqual([2500, 4500])
        expect(psp.payment_intent).toMatchObject({ status: "succeeded", amount_received: 7000, amount_capturable: 0 })
        payment = await adminPayment(paymentId, headers)
        expect(payment.captured_at).not.toBeNull()
        expect(payment.captures.map((c) => Number(c.amount)).sort()).toEqual([25, 45])
        const data = await paymentData(paymentId)
        expect(data.captures.map((c: { amount: number }) => c.amount)).toEqual([2500, 4500])
        expect(data.status).toEqual("captured")
      })

      it("without multicapture (most cards and accounts): a partial capture is final and releases the rest; nothing more is capturable", async () => {
        const { orderId, paymentId, intentId, headers } = await authorizedOrder()
        const charge = (await inspect(intentId)).payment_intent as { latest_charge?: unknown }
        expect(charge.latest_charge).toBeTruthy()
        expect(await paymentData(paymentId)).toMatchObject({ multicapture: false })
        const txBase = `/admin/orders/${orderId}/transactions`
        const ledger = async () => (await api.get(txBase, { headers })).data.data as TransactionView[]
        const auth = (await ledger()).find((t) => t.transaction_type === "authorize")!
        expect(auth).toMatchObject({ multicapture: false, capturable_amount: 7000, released_amount: 0 })

        // Our route, non-final: refused before anything moves, naming multicapture.
        const nonFinal = await api
          .post(
            `${txBase}/${auth.id}/capture`,
            { data: { capture_amount: 2500, capture_type: "non-final" } },
            { headers }
          )
          .catch((e: { response: AxiosResponse }) => e.response)
        expect(nonFinal.status).toBe(400)
        expect(nonFinal.data.errors[0].detail).toMatch(/non-final needs multicapture.*\(\$45\.00\) is released/)
        expect((await inspect(intentId)).captures).toEqual([])
        expect((await adminPayment(paymentId, headers)).captures).toEqual([])

        // Medusa's own route, partial: captured as final at Stripe (never final_capture=false), the rest released.
        await capture(paymentId, headers, 25)
        const psp = await inspect(intentId)
        expect(psp.captures.map((c) => ({ amount: c.amount, final: c.final }))).toEqual([{ amount: 2500, final: true }])
        expect(psp.payment_intent).toMatchObject({ status: "succeeded", amount_received: 2500, amount_capturable: 0 })
        expect((await paymentData(paymentId)).captures).toEqual([
          expect.objectContaining({ amount: 2500, final: true }),
        ])
        const after = (await ledger()).find((t) => t.transaction_type === "authorize")!
        expect(after).toMatchObject({ capturable_amount: 0, released_amount: 4500 })
        expect(after.next_actions).not.toContain("capture")

        // A further capture: refused with a 400 that says why, through both routes; nothing moves.
        const again = await capture(paymentId, headers, 10).catch((e: { response: AxiosResponse }) => e.response)
        expect(again.status).toBe(400)
        expect(JSON.stringify(again.data)).toMatch(/no multicapture at stripe, so its first capture was final/)
        const viaLedger = await api
          .post(`${txBase}/${auth.id}/capture`, {}, { headers })
          .catch((e: { response: AxiosResponse }) => e.response)
        expect(viaLedger.status).toBe(400)
        expect(viaLedger.data.errors[0].detail).toMatch(/no multicapture at stripe.*released the rest \(\$45\.00\)/)
        expect((await inspect(intentId)).captures).toHaveLength(1)
        expect((await adminPayment(paymentId, headers)).captures.map((c) => Number(c.amount))).toEqual([25])
      })

      it("the sandbox refuses final_capture=false without multicapture, as Stripe does, capturing nothing", async () => {
        const { intentId } = await authorizedOrder()
        const refused = await stripeSdk()
          .paymentIntents.capture(intentId, { amount_to_capture: 1000, final_capture: false })
          .catch((e) => e)
        expect(refused).toMatchObject({ type: "StripeInvalidRequestError", statusCode: 400, param: "final_capture" })
        expect((await inspect(intentId)).captures).toEqual([])
      })

      it("answers 4xx naming the expiry when the authorization expired, and leaves no capture", async () => {
        const { paymentId, intentId, headers } = await authorizedOrder()
        await sandbox.current.control.stripe.expirePaymentIntent(intentId)

        const res = await capture(paymentId, headers).catch(
          (e: { response: { status: number; data: { message: string } } }) => e.response
        )
        expect(res.status).toBeGreaterThanOrEqual(400)
        expect(res.status).toBeLessThan(500)
        expect(res.data.message).toMatch(/expired/i)
        expect(res.data.message).toMatch(/cancel the payment|pay again/i)

        const payment = await adminPayment(paymentId, headers)
        expect(payment.captures).toHaveLength(0)
        expect(payment.captured_at).toBeNull()
        expect((await inspect(intentId)).captures).toHaveLength(0)
      })

      it("retries a capture whose answer was lost (5xx) with the same idempotency key: one capture at Stripe and in Medusa", async () => {
        const { paymentId, intentId, headers } = await authorizedOrder()
        await sandbox.current.control.addFault({
          psp: "stripe",
          path: "/capture",
          kind: "status",
          status: 500,
          phase: "after",
        })
        // (the fault matches the next capture call; the request log is filtered to this intent because the sandbox outlives each test)

        const res = await capture(paymentId, headers)
        expect(res.status).toEqual(200)

        const requests = await sandbox.current.control.requests({
          psp: "stripe",
          path: `/payment_intents/${intentId}/capture`,
        })
        expect(requests.map((r) => ({ status: r.status, replayed: r.replayed }))).toEqual([
          { status: 500, replayed: false },
          { status: 200, replayed: true },
        ])
        expect(new Set(requests.map((r) => r.idempotency_key)).size).toEqual(1)

        expect((await inspect(intentId)).captures.map((c) => c.amount)).toEqual([7000])
        const payment = await adminPayment(paymentId, headers)
        expect(payment.captures).toHaveLength(1)
        expect(payment.captured_at).not.toBeNull()
      })
    })

    describe("refund and cancel", () => {
      it("refunds partially, then the rest, keeping Stripe's refund ids", async () => {
        const { paymentId, intentId, headers } = await authorizedOrder()
        await capture(paymentId, headers)

        expect((await refund(paymentId, headers, 20)).status).toEqual(200)
        expect((await refund(paymentId, headers, 50)).status).toEqual(200)

        const payment = await adminPayment(paymentId, headers)
        expect(payment.refunds.map((r) => Number(r.amount)).sort()).toEqual([20, 50])
        const data = await paymentData(paymentId)
        const psp = await inspect(intentId)
        expect(psp.refunds.map((r) => r.amount).sort()).toEqual([2000, 5000])
        expect(data.refunds.map((r: { id: string }) => r.id).sort()).toEqual(psp.refunds.map((r) => r.id).sort())
        expect(data.refunds.map((r) => r.medusa_refund_id).sort()).toEqual(payment.refunds.map((r) => r.id).sort())
        expect(psp.charges[0]).toMatchObject({ amount_refunded: 7000, refunded: true })
      })

      it("cancels the uncaptured payment with the order: the intent is canceled at Stripe", async () => {
        const { orderId, paymentId, intentId, headers } = await authorizedOrder()
        const res = await api.post(`/admin/orders/${orderId}/cancel`, {}, { headers })
        expect(res.status).toEqual(200)

        const payment = await adminPayment(paymentId, headers)
        expect(payment.canceled_at).not.toBeNull()
        expect(await paymentData(paymentId)).toMatchObject({ status: "canceled" })
        expect((await inspect(intentId)).payment_intent.status).toEqual("canceled")
      })
    })

    describe("currencies with zero and three decimals", () => {
      async function authorizedModulePayment(currency: string, amount: number) {
        const collection = await payments().createPaymentCollections({ currency_code: currency, amount })
        const session = await payments().createPaymentSession(collection.id, {
          provider_id: PROVIDER,
          currency_code: currency,
          amount,
          data: {},
        })
        const intentId = session.data.id as string
        await sandbox.current.control.stripe.confirmPaymentIntent(intentId)
        const payment = await payments().authorizePaymentSession(session.id, {})
        return { intentId, paymentId: payment!.id }
      }

      it("sends JPY 9000 as 9000 and captures/refunds in yen", async () => {
        const { intentId, paymentId } = await authorizedModulePayment("jpy", 9000)
        expect((await inspect(intentId)).payment_intent).toMatchObject({
          amount: 9000,
          currency: "jpy",
          status: "requires_capture",
        })

        await payments().capturePayment({ payment_id: paymentId, amount: 3000 })
        await payments().refundPayment({ payment_id: paymentId, amount: 1000 })
        const psp = await inspect(intentId)
        expect(psp.captures.map((c) => c.amount)).toEqual([3000])
        expect(psp.refunds.map((r) => r.amount)).toEqual([1000])
      })

      it("sends KWD 18.5 as 18500 and captures/refunds in fils", async () => {
        const { intentId, paymentId } = await authorizedModulePayment("kwd", 18.5)
        expect((await inspect(intentId)).payment_intent).toMatchObject({
          amount: 18500,
          currency: "kwd",
          status: "requires_capture",
        })

        await payments().capturePayment({ payment_id: paymentId, amount: 10.25 })
        await payments().refundPayment({ payment_id: paymentId, amount: 5.5 })
        const psp = await inspect(intentId)
        expect(psp.captures.map((c) => c.amount)).toEqual([10250])
        expect(psp.refunds.map((r) => r.amount)).toEqual([5500])
      })
    })

    describe("saved cards and merchant-initiated payments", () => {
      it("creates an account holder, saves a card, lists it, pays off-session with it and removes both", async () => {
        const container: MedusaContainer = getContainer()
        const [customer] = await container
          .resolve(Modules.CUSTOMER)
          .createCustomers([{ email: "grace@example.com", first_name: "Grace", last_name: "Hopper" }])

        const holder = await payments().createAccountHolder({
          provider_id: PROVIDER,
          context: { customer: customer as never },
        })
        expect(holder.external_id).toMatch(/^cus_/)
        const stripe = stripeSdk()
        expect(await stripe.customers.retrieve(holder.external_id)).toMatchObject({
          email: "grace@example.com",
          name: "Grace Hopper",
          metadata: { medusa_customer_id: customer.id },
        })
        const accountHolder = { data: holder.data as Record<string, unknown> }
        await payments().updateAccountHolder({
          id: holder.id,
          provider_id: PROVIDER,
          context: { account_holder: holder as never, customer: { ...customer, first_name: "Amazing" } as never },
        })
        expect(await stripe.customers.retrieve(holder.external_id)).toMatchObject({ name: "Amazing Hopper" })

        const saved = await payments().createPaymentMethods({
          provider_id: PROVIDER,
          data: { payment_method: "pm_card_visa" },
          context: { account_holder: accountHolder },
        })
        expect(saved.id).toMatch(/^pm_/)
        expect(saved.data).toMatchObject({ status: "succeeded", customer: holder.external_id })

        const methods = await payments().listPaymentMethods({
          provider_id: PROVIDER,
          context: { account_holder: accountHolder },
        })
        expect(methods.map((m) => m.id)).toEqual([saved.id])
        expect(methods[0].data).toMatchObject({
          customer: holder.external_id,
          card: expect.objectContaining({ last4: "4242" }),
        })

        // A storefront asking for an off-session payment is ignored: only a server-side grant makes one.
        const planted = await payments().createPaymentSession(
          (await payments().createPaymentCollections({ currency_code: "usd", amount: 25 })).id,
          {
            provider_id: PROVIDER,
            currency_code: "usd",
            amount: 25,
            data: { off_session: true, off_session_grant: undefined },
            context: { account_holder: accountHolder },
          }
        )
        expect(planted.status).toEqual("pending")
        expect((await inspect(planted.data.id as string)).off_session).toBeFalsy()

        const { result: grant } = await grantOffSessionPaymentWorkflow(container).run({
          input: { customer: holder.external_id, payment_method: saved.id },
        })
        const collection = await payments().createPaymentCollections({ currency_code: "usd", amount: 25 })
        const session = await payments().createPaymentSession(collection.id, {
          provider_id: PROVIDER,
          currency_code: "usd",
          amount: 25,
          data: { off_session_grant: grant },
          context: { account_holder: accountHolder },
        })
        expect(session.status).toEqual("authorized")
        const payment = await payments().authorizePaymentSession(session.id, {})
        expect(payment!.data).toMatchObject({ status: "authorized", amount: 2500 })
        const psp = await inspect(session.data.id as string)
        expect(psp.off_session).toBe(true)
        // The grant is used up: the same grant cannot start a second merchant-initiated payment.
        await expect(
          payments().createPaymentSession(
            (await payments().createPaymentCollections({ currency_code: "usd", amount: 25 })).id,
            {
              provider_id: PROVIDER,
              currency_code: "usd",
              amount: 25,
              data: { off_session_grant: grant },
              context: { account_holder: accountHolder },
            }
          )
        ).rejects.toThrow(/grant is unknown, used or expired/)
        expect(psp.payment_intent).toMatchObject({
          status: "requires_capture",
          customer: holder.external_id,
          payment_method: saved.id,
          amount_capturable: 2500,
        })

        await payments().deletePaymentMethods({
          provider_id: PROVIDER,
          id: saved.id,
          context: { account_holder: accountHolder },
        } as never)
        expect(
          await payments().listPaymentMethods({ provider_id: PROVIDER, context: { account_holder: accountHolder } })
        ).toEqual([])
        await payments().deleteAccountHolder(holder.id)
        expect(await stripe.customers.retrieve(holder.external_id)).toMatchObject({ deleted: true })
      })
    })

    describe("provider options", () => {
      it("capture: true takes the money when the buyer pays, under the statement descriptor; Medusa records one capture of the whole amount", async () => {
        const AUTO = "pp_stripe_autocapture"
        const collection = await payments().createPaymentCollections({ currency_code: "usd", amount: 25 })
        const session = await payments().createPaymentSession(collection.id, {
          provider_id: AUTO,
          currency_code: "usd",
          amount: 25,
          data: {},
        })
        const intentId = session.data.id as string
        expect((await inspect(intentId)).payment_intent).toMatchObject({
          capture_method: "automatic",
          statement_descriptor_suffix: "ORCHESTRA SHOP",
          status: "requires_payment_method",
        })
        await sandbox.current.control.stripe.confirmPaymentIntent(intentId)
        const payment = await payments().authorizePaymentSession(session.id, {})
        const after = await payments().retrievePayment(payment!.id, { relations: ["captures"] })
        expect(after.captured_at).not.toBeNull()
        expect(after.captures!.map((c) => Number(c.amount))).toEqual([25])
        expect((await inspect(intentId)).payment_intent).toMatchObject({
          status: "succeeded",
          amount_received: 2500,
          statement_descriptor_suffix: "ORCHESTRA SHOP",
        })
      })
    })
  },
})
