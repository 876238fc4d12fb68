/**
 * A whole checkout as a storefront built on the official Next.js starter runs it, through `@medusajs/js-sdk` against a
 * real Medusa app and the PSP sandbox: region and product lookup, cart, line item, addresses, shipping method,
 * payment session, the buyer's step at the PSP (done here through the sandbox's control API, standing in for Stripe.js
 * and the PayPal buttons), cart completion. Each test then checks the order and its authorized payment in Medusa
 * (admin API through the js-sdk, and the Payment Module) and the payment's state at the PSP.
 *
 * One app for the file; the database is restored before every test, so every test seeds the store itself.
 */
import Medusa, { FetchError } from "@medusajs/js-sdk"
import type { HttpTypes, IPaymentModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { AxiosResponse } from "axios"
import { seedDemoStore, type SeededStore } from "../../demo/seed-store"
import type { TransactionView } from "../../src/ledger/transaction-view"
import { capturesOf } from "../../src/planners/refund-planner"
import { PAYMENT_RECORD_KEYS, RECORD_VERSION, type PaymentRecord } from "../../src/payment-record/schema"
import { STOREFRONT_KEYS } from "../../src/payment-record/storefront-input"
import { ADMIN_EMAIL, ADMIN_PASSWORD, adminHeaders } from "../utils/admin"
import { expectLedgerAgrees } from "../utils/ledger"
import { orderPayment, placeAuthorizedOrder, STRIPE_MULTICAPTURE_CARD, type AuthorizedOrder } from "../utils/orders"
import {
  openPaymentStep,
  PLANTED_CUSTOM_REFERENCE,
  PLANTED_LEGACY_AND_UNKNOWN,
  plantedRecord,
  plantedSessionData,
  postPaymentSession,
  pspMoney,
  registerCustomer,
  unplantedRecordKeys,
  type PaymentStep,
} from "../utils/planted"
import { useSandbox } from "../utils/sandbox"

// pp_stripe_methods (medusa-config.ts, optionProviders): card and iDEAL. Set before the runner loads the config.
process.env.ORCHESTRATOR_OPTION_PROVIDERS = "on"

jest.setTimeout(120_000)

const sandbox = useSandbox()

const STRIPE = "pp_stripe_stripe"
const PAYPAL = "pp_paypal_paypal"
/** Offers card and iDEAL (`paymentMethodTypes`); iDEAL is EUR only and captured when the buyer pays. */
const STRIPE_METHODS = "pp_stripe_methods"

const ADDRESS = {
  first_name: "Ada",
  last_name: "Lovelace",
  address_1: "1 Analytical Way",
  city: "London",
  country_code: "gb",
  postal_code: "N1 9GU",
}

/** What the storefront keeps between steps. */
interface StorefrontCheckout {
  store: SeededStore
  sdk: Medusa
  cart: HttpTypes.StoreCart
  session: HttpTypes.StorePaymentSession
}

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    const baseUrl = () => api.defaults.baseURL as string
    const payments = (): IPaymentModuleService => getContainer().resolve(Modules.PAYMENT)

    /**
     * The storefront's steps up to the payment step (the starter's `retrieveRegion`, `listProducts`, `addToCart`,
     * `setAddresses`, `setShippingMethod`, `initiatePaymentSession`), then the cart as the payment step reads it.
     */
    async function checkoutUpToPayment(providerId: string): Promise<StorefrontCheckout> {
      const store = await seedDemoStore(getContainer())
      const sdk = new Medusa({ baseUrl: baseUrl(), publishableKey: store.publishable_key })

      const { regions } = await sdk.store.region.list()
      const region = regions.find((r) => r.countries?.some((c) => c.iso_2 === ADDRESS.country_code))
      expect(region?.id).toEqual(store.region_id)

      const { products } = await sdk.store.product.list({
        region_id: region!.id,
        fields: "*variants.calculated_price",
      })
      const variant = products.find((p) => p.handle === "orchestrator-t-shirt")?.variants?.[0]
      expect(variant?.calculated_price?.calculated_amount).toEqual(60)

      const { cart: created } = await sdk.store.cart.create({ region_id: region!.id })
      await sdk.store.cart.createLineItem(created.id, { variant_id: variant!.id, quantity: 1 })
      await sdk.store.cart.update(created.id, {
        email: "ada@example.com",
        shipping_address: ADDRESS,
        billing_address: ADDRESS,
      })

      const { shipping_options } = await sdk.store.fulfillment.listCartOptions({ cart_id: created.id })
      expect(shipping_options.map((o) => o.id)).toContain(store.shipping_option_id)
      const { cart: withShipping } = await sdk.store.cart.addShippingMethod(created.id, {
        option_id: shipping_options[0].id,
      })
      expect(withShipping.total).toEqual(70)

      const { payment_providers } = await sdk.store.payment.listPaymentProviders({ region_id: region!.id })
      expect(payment_providers.map((p) => p.id).sort()).toEqual([PAYPAL, STRIPE])

      const { payment_collection } = await sdk.store.payment.initiatePaymentSession(withShipping, {
        provider_id: providerId,
      })
      expect(payment_collection.payment_sessions?.map((s) => s.provider_id)).toEqual([providerId])

      // The payment step renders from the cart it retrieves again.
      const { cart } = await sdk.store.cart.retrieve(created.id)
      const session = cart.payment_collection?.payment_sessions?.find((s) => s.provider_id === providerId)
      expect(session).toBeDefined()
      // Pending until the buyer acts (Stripe.js confirms the card, the buyer approves the PayPal order): the official
      // storefront picks the session whose status is "pending".
      expect(session!.status).toEqual("pending")
      expect(cart.payment_collection?.payment_sessions?.find((s) => s.status === "pending")?.id).toEqual(session!.id)
      expect(session!.data.id).toEqual(session!.data.reference)
      expect(session!.amount).toEqual(70)
      expect(JSON.stringify(session!.data)).not.toMatch(/sk_(test|live)_|whsec_|client_secret":"sandbox-client/)
      return { store, sdk, cart, session: session! }
    }

    /** `sdk.store.cart.complete` after the buyer's step: the order, or the test fails with Medusa's error. */
    async function placeOrder(checkout: StorefrontCheckout): Promise<HttpTypes.StoreOrder> {
      const result = await checkout.sdk.store.cart.complete(checkout.cart.id)
      if (result.type !== "order") {
        throw new Error(`The cart did not complete: ${result.error?.message ?? JSON.stringify(result)}`)
      }
      expect(result.order).toMatchObject({ email: "ada@example.com", total: 70, currency_code: "usd" })
      return result.order
    }

    /** The order through the admin API, with the js-sdk as the admin dashboard uses it (JWT in memory here). */
    async function adminOrder(orderId: string) {
      await adminHeaders(getContainer(), api)
      const admin = new Medusa({ baseUrl: baseUrl(), auth: { type: "jwt", jwtTokenStorageMethod: "memory" } })
      await admin.auth.login("user", "emailpass", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
      const { order } = await admin.admin.order.retrieve(orderId, {
        fields: "id,status,payment_status,total,currency_code,*payment_collections,*payment_collections.payments",
      })
      return order
    }

    /** The order exists, its one payment is authorized (not captured, not canceled), for the cart's total. */
    async function expectAuthorizedOrder(checkout: StorefrontCheckout, orderId: string, providerId: string) {
      const order = await adminOrder(orderId)
      expect(order).toMatchObject({ id: orderId, status: "pending", payment_status: "authorized", total: 70 })
      const [collection] = order.payment_collections ?? []
      expect(collection).toMatchObject({ status: "authorized", amount: 70 })
      expect(collection.payments).toHaveLength(1)
      expect(collection.payments![0]).toMatchObject({ provider_id: providerId, amount: 70 })

      const [payment] = await payments().listPayments({ payment_session_id: checkout.session.id })
      expect(payment).toMatchObject({
        id: collection.payments![0].id,
        provider_id: providerId,
        captured_at: null,
        canceled_at: null,
      })
      expect(Number(payment.amount)).toEqual(70)
      expect(payment.data).toMatchObject({ status: "authorized", amount: 7000, currency: "usd" })
      return payment
    }

    describe("Stripe (pp_stripe_stripe)", () => {
      it("gives the storefront a client_secret for Stripe Elements; a confirmed card completes into an authorized order", async () => {
        const checkout = await checkoutUpToPayment(STRIPE)
        const clientSecret = checkout.session.data.client_secret as string
        expect(clientSecret).toEqual(expect.stringMatching(/^pi_[A-Za-z0-9]+_secret_[A-Za-z0-9]+$/))
        // Stripe.js derives the PaymentIntent from the client secret; the session's id is the same intent.
        const intentId = clientSecret.split("_secret_")[0]
        expect(checkout.session.data.id).toEqual(intentId)

        // stripe.confirmCardPayment(client_secret, { payment_method: { card } }) in the buyer's browser.
        const confirmed = await sandbox.current.control.stripe.confirmPaymentIntent(intentId)
        expect(confirmed.status).toEqual("requires_capture")

        const order = await placeOrder(checkout)
        await expectAuthorizedOrder(checkout, order.id, STRIPE)

        const psp = await sandbox.current.control.stripe.inspectPaymentIntent(intentId)
        expect(psp.payment_intent).toMatchObject({
          status: "requires_capture",
          amount: 7000,
          amount_capturable: 7000,
          amount_received: 0,
          currency: "usd",
          capture_method: "manual",
          metadata: expect.objectContaining({ session_id: checkout.session.id }),
        })
        expect(psp.captures).toHaveLength(0)
      })

      it("completes a 3-D Secure card once the buyer passed the challenge", async () => {
        const checkout = await checkoutUpToPayment(STRIPE)
        const intentId = (checkout.session.data.client_secret as string).split("_secret_")[0]

        const challenged = await sandbox.current.control.stripe.confirmPaymentIntent(intentId, {
          payment_method: "pm_card_threeDSecure2Required",
        })
        expect(challenged.status).toEqual("requires_action")
        expect(challenged.next_action).toBeTruthy()

        // Stripe.js shows the issuer's challenge (handleNextAction); the buyer passes it.
        const passed = await sandbox.current.control.stripe.completeThreeDSecure(intentId, "pass")
        expect(passed.status).toEqual("requires_capture")

        const order = await placeOrder(checkout)
        await expectAuthorizedOrder(checkout, order.id, STRIPE)
        expect((await sandbox.current.control.stripe.inspectPaymentIntent(intentId)).payment_intent).toMatchObject({
          status: "requires_capture",
          amount_capturable: 7000,
          payment_method: expect.stringMatching(/^pm_/),
        })
      })

      it("rejects cart completion of a declined card (FetchError, 4xx) and places no order", async () => {
        const checkout = await checkoutUpToPayment(STRIPE)
        const intentId = (checkout.session.data.client_secret as string).split("_secret_")[0]
        const declined = await sandbox.current.control.stripe.confirmPaymentIntent(intentId, {
          payment_method: "pm_card_chargeDeclined",
        })
        expect(declined.status).toEqual("requires_payment_method")

        // The js-sdk rejects (a 4xx answer) rather than resolving { type: "cart", error }: the storefront has to catch
        // it and show the buyer the message.
        const error = await checkout.sdk.store.cart.complete(checkout.cart.id).then(
          () => null,
          (e: unknown) => e
        )
        expect(error).toBeInstanceOf(FetchError)
        expect((error as FetchError).status).toBeGreaterThanOrEqual(400)
        expect((error as FetchError).status).toBeLessThan(500)
        expect((error as FetchError).message).toMatch(/was not authorized with the provider/)
        expect(await payments().listPayments({ payment_session_id: checkout.session.id })).toHaveLength(0)
        expect((await payments().retrievePaymentSession(checkout.session.id)).status).toEqual("error")
      })
    })

    describe("Stripe redirect methods: iDEAL (pp_stripe_methods)", () => {
      const DUTCH_ADDRESS = { ...ADDRESS, city: "Amsterdam", country_code: "nl", postal_code: "1012 AB" }
      /** The storefront's return page (the starter's `/api/payment-return`), where the bank sends the buyer back. */
      const RETURN_URL = "https://shop.example/api/payment-return"

      /**
       * A EUR region for the Netherlands offering pp_stripe_methods (admin API), shipped to by the demo shipping option
       * (a geo zone and a EUR price), then the storefront's steps up to an initiated payment session in that region.
       */
      async function idealCheckoutUpToPayment(): Promise<StorefrontCheckout & { intentId: string }> {
        const store = await seedDemoStore(getContainer())
        const headers = await adminHeaders(getContainer(), api)
        const { data: created } = await api.post(
          "/admin/regions",
          { name: "Netherlands", currency_code: "eur", countries: ["nl"], payment_providers: [STRIPE_METHODS] },
          { headers }
        )
        await api.post("/admin/tax-regions", { country_code: "nl", provider_id: "tp_system" }, { headers })
        const fulfillment = getContainer().resolve(Modules.FULFILLMENT)
        const option = await fulfillment.retrieveShippingOption(store.shipping_option_id)
        await fulfillment.createGeoZones({
          service_zone_id: option.service_zone_id,
          country_code: "nl",
          type: "country",
        })
        const { data: shipping } = await api.get(`/admin/shipping-options/${store.shipping_option_id}`, { headers })
        await api.post(
          `/admin/shipping-options/${store.shipping_option_id}`,
          {
            prices: [
              ...shipping.shipping_option.prices.map((p: { id: string; amount: number }) => ({
                id: p.id,
                amount: p.amount,
              })),
              { currency_code: "eur", amount: 5 },
            ],
          },
          { headers }
        )

        const sdk = new Medusa({ baseUrl: baseUrl(), publishableKey: store.publishable_key })
        const regionId = created.region.id as string
        const { products } = await sdk.store.product.list({ region_id: regionId, fields: "*variants.calculated_price" })
        const variant = products.find((p) => p.handle === "orchestrator-t-shirt")?.variants?.[0]
        const { cart: fresh } = await sdk.store.cart.create({ region_id: regionId })
        expect(fresh.currency_code).toEqual("eur")
        await sdk.store.cart.createLineItem(fresh.id, { variant_id: variant!.id, quantity: 1 })
        await sdk.store.cart.update(fresh.id, {
          email: "ada@example.com",
          shipping_address: DUTCH_ADDRESS,
          billing_address: DUTCH_ADDRESS,
        })
        const { shipping_options } = await sdk.store.fulfillment.listCartOptions({ cart_id: fresh.id })
        const { cart: withShipping } = await sdk.store.cart.addShippingMethod(fresh.id, {
          option_id: shipping_options[0].id,
        })
        expect(withShipping.total).toEqual(60)
        const { payment_providers } = await sdk.store.payment.listPaymentProviders({ region_id: regionId })
        expect(payment_providers.map((p) => p.id)).toEqual([STRIPE_METHODS])
        await sdk.store.payment.initiatePaymentSession(withShipping, { provider_id: STRIPE_METHODS })
        const { cart } = await sdk.store.cart.retrieve(fresh.id)
        const session = cart.payment_collection!.payment_sessions!.find((s) => s.provider_id === STRIPE_METHODS)!
        expect(session.status).toEqual("pending")
        const intentId = (session.data.client_secret as string).split("_secret_")[0]
        return { store, sdk, cart, session, intentId }
      }

      /**
       * What Stripe.js sends for `stripe.confirmPayment({ elements, confirmParams: { return_url } })` with iDEAL chosen
       * in the Payment Element: the publishable key, the client secret, the method and the return_url. Stripe answers
       * requires_action with next_action.redirect_to_url (the bank's page, then the return_url).
       */
      async function confirmWithIdeal(checkout: StorefrontCheckout & { intentId: string }) {
        const body = new URLSearchParams({
          client_secret: checkout.session.data.client_secret as string,
          "payment_method_data[type]": "ideal",
          "payment_method_data[ideal][bank]": "ing",
          return_url: RETURN_URL,
        })
        const res = await fetch(`${sandbox.current.url}/v1/payment_intents/${checkout.intentId}/confirm`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${sandbox.current.stripe.publishableKey}`,
            "content-type": "application/x-www-form-urlencoded",
          },
          body,
        })
        const intent = await res.json()
        expect(res.status).toEqual(200)
        expect(intent).toMatchObject({
          status: "requires_action",
          next_action: { type: "redirect_to_url", redirect_to_url: { return_url: RETURN_URL } },
        })
      }

      it("completes the cart when the buyer returns from the bank: order placed, captured at payment, the ledger says so", async () => {
        const checkout = await idealCheckoutUpToPayment()
        await confirmWithIdeal(checkout)

        // The buyer authorizes at the bank, which sends the browser back to the storefront's return page.
        const { return_url } = await sandbox.current.control.stripe.completeRedirect(checkout.intentId, "succeeded")
        const back = new URL(return_url)
        expect(back.searchParams.get("payment_intent")).toEqual(checkout.intentId)
        expect(back.searchParams.get("payment_intent_client_secret")).toEqual(checkout.session.data.client_secret)
        expect(back.searchParams.get("redirect_status")).toEqual("succeeded")

        // The return page completes the cart.
        const result = await checkout.sdk.store.cart.complete(checkout.cart.id)
        if (result.type !== "order") {
          throw new Error(`The cart did not complete: ${result.error?.message ?? JSON.stringify(result)}`)
        }
        expect(result.order).toMatchObject({ total: 60, currency_code: "eur" })

        // Medusa recorded the capture the PSP made when the buyer paid (authorization answered `captured`, so Medusa
        // made its capture row without calling the provider's capturePayment); the plugin's record is captured.
        const [payment] = await payments().listPayments(
          { payment_session_id: checkout.session.id },
          { relations: ["captures"] }
        )
        expect(payment.captured_at).not.toBeNull()
        expect(payment.captures?.map((c) => Number(c.amount))).toEqual([60])
        expect(payment.data).toMatchObject({ status: "captured", amount: 6000, currency: "eur" })
        expect(capturesOf(payment.data as PaymentRecord)).toEqual([
          expect.objectContaining({ amount: 6000, at_payment: true }),
        ])
        const order = await adminOrder(result.order.id)
        expect(order).toMatchObject({ payment_status: "captured", total: 60 })

        // At the PSP: succeeded with an iDEAL charge, and no capture call was made.
        const psp = await sandbox.current.control.stripe.inspectPaymentIntent(checkout.intentId)
        expect(psp.payment_intent).toMatchObject({ status: "succeeded", amount_received: 6000, currency: "eur" })
        expect(psp.charges.map((c) => c.payment_method_details?.type)).toEqual(["ideal"])
        expect(psp.captures).toHaveLength(0)

        const { data: ledger } = await api.get(`/admin/orders/${result.order.id}/transactions`, {
          headers: await adminHeaders(getContainer(), api),
        })
        const captures = (ledger.data as TransactionView[]).filter((t) => t.transaction_type === "capture")
        expect(captures).toEqual([expect.objectContaining({ amount: 6000, captured_at_payment: true })])
      })

      it("places no order when the buyer failed at the bank (4xx); the intent waits for another method", async () => {
        const checkout = await idealCheckoutUpToPayment()
        await confirmWithIdeal(checkout)
        const { return_url } = await sandbox.current.control.stripe.completeRedirect(checkout.intentId, "failed")
        expect(new URL(return_url).searchParams.get("redirect_status")).toEqual("failed")

        // A return page that completes the cart regardless is refused.
        const error = await checkout.sdk.store.cart.complete(checkout.cart.id).then(
          () => null,
          (e: unknown) => e
        )
        expect(error).toBeInstanceOf(FetchError)
        expect((error as FetchError).status).toBeGreaterThanOrEqual(400)
        expect((error as FetchError).status).toBeLessThan(500)
        expect(await payments().listPayments({ payment_session_id: checkout.session.id })).toHaveLength(0)
        const psp = await sandbox.current.control.stripe.inspectPaymentIntent(checkout.intentId)
        expect(psp.payment_intent).toMatchObject({
          status: "requires_payment_method",
          last_payment_error: { code: "payment_intent_authentication_failure" },
        })
        expect(psp.charges).toHaveLength(0)
      })
    })

    describe("PayPal (pp_paypal_paypal)", () => {
      it("gives the storefront the PayPal order id and approval link; an approved order completes into an authorized order", async () => {
        const checkout = await checkoutUpToPayment(PAYPAL)
        const paypalOrderId = checkout.session.data.id as string
        const approveUrl = checkout.session.data.approve_url as string
        expect(paypalOrderId).toBeTruthy()
        expect(checkout.session.data.reference).toEqual(paypalOrderId)

        const created = await sandbox.current.control.paypal.getOrder(paypalOrderId)
        expect(created).toMatchObject({ id: paypalOrderId, intent: "AUTHORIZE", status: "CREATED" })
        expect(created.purchase_units?.[0]?.amount).toMatchObject({ currency_code: "USD", value: "70.00" })
        // The link the PayPal buttons (or a redirect) send the buyer to is PayPal's own "approve" link.
        expect(approveUrl).toEqual(created.links?.find((l) => l.rel === "approve")?.href)
        expect(new URL(approveUrl).searchParams.get("token")).toEqual(paypalOrderId)

        // The buyer approves in PayPal's window (createOrder returned the order id; onApprove completes the cart).
        const approved = await sandbox.current.control.paypal.approveOrder(paypalOrderId)
        expect(approved.status).toEqual("APPROVED")

        const order = await placeOrder(checkout)
        const payment = await expectAuthorizedOrder(checkout, order.id, PAYPAL)

        const authorizationId = (payment.data as { authorization_id?: string }).authorization_id
        expect(authorizationId).toBeTruthy()
        const authorization = await sandbox.current.control.paypal.getAuthorization(authorizationId!)
        expect(authorization).toMatchObject({
          id: authorizationId,
          status: "CREATED",
          amount: { currency_code: "USD", value: "70.00" },
        })
        expect(authorization.captures).toHaveLength(0)
        expect((await sandbox.current.control.paypal.getOrder(paypalOrderId)).status).toEqual("COMPLETED")
      })
    })

    /**
     * Issue 11: a storefront's session data is untrusted. Planted through the store API, every key of the payment
     * record (the list comes from the schema), the keys the plugin once read as instructions and unknown keys; then
     * Medusa's own capture and refund routes and the plugin's move exactly the requested money at the sandbox, and
     * Medusa, the ledger and the PSP agree after every step.
     */
    describe("planted session data steers no money", () => {
      const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0)
      const cents = (major: number) => Math.round(major * 100)
      const gatewayOf = (provider: string) => (provider === STRIPE ? "stripe" : "paypal") as "stripe" | "paypal"

      const admin = async (
        method: "get" | "post",
        path: string,
        headers: Record<string, string>,
        body?: unknown
      ): Promise<AxiosResponse> =>
        (method === "get" ? api.get(path, { headers }) : api.post(path, body, { headers })).catch(
          (e: { response?: AxiosResponse }) => {
            if (!e.response) {
              throw e
            }
            return e.response
          }
        )

      async function ledger(orderId: string, headers: Record<string, string>): Promise<TransactionView[]> {
        const res = await admin("get", `/admin/orders/${orderId}/transactions`, headers)
        expect(res.status).toBe(200)
        return res.data.data
      }

      /** The session data was accepted (200) or the answer is shown, so a failure names Medusa's message. */
      const statusOf = (res: { status: number; data: unknown }) => ({ status: res.status, body: res.data })

      /**
       * After each step: the sandbox moved exactly `captures` / `refunded` (minor units) on the shopper's payment;
       * Medusa's capture and refund rows, the ledger and the PSP agree; `payment.data` holds only the record's keys, and
       * none of the planted values.
       */
      async function expectAllAgree(
        provider: string,
        order: AuthorizedOrder,
        victim: AuthorizedOrder,
        headers: Record<string, string>,
        expected: { captures: number[]; refunded: number; status: string }
      ): Promise<void> {
        const container = getContainer()
        const gateway = gatewayOf(provider)
        const psp = await pspMoney(sandbox.current, {
          gateway,
          reference: order.reference,
          authorization_id: order.authorizationId,
        })
        expect({ captures: psp.captures, captured: psp.captured, refunded: psp.refunded }).toEqual({
          captures: expected.captures,
          captured: sum(expected.captures),
          refunded: expected.refunded,
        })

        const payment = await orderPayment(container, order.orderId)
        expect(payment.captures.map((c) => cents(c.amount)).sort((a, b) => a - b)).toEqual(
          [...expected.captures].sort((a, b) => a - b)
        )
        expect(sum(payment.refunds.map((r) => cents(r.amount)))).toBe(expected.refunded)

        const lines = await ledger(order.orderId, headers)
        await expectLedgerAgrees(container, lines, order.orderId)
        const ofType = (type: string) => lines.filter((t) => t.transaction_type === type)
        expect(ofType("authorize").map((t) => t.amount)).toEqual([7000])
        expect(sum(ofType("capture").map((t) => t.amount))).toBe(psp.captured)
        expect(sum(ofType("refund").map((t) => t.amount))).toBe(psp.refunded)

        // payment.data: the record's keys only, every fact the PSP's and Medusa's, nothing planted.
        const data = payment.data as unknown as Record<string, unknown>
        expect(Object.keys(data).filter((k) => !(PAYMENT_RECORD_KEYS as string[]).includes(k))).toEqual([])
        expect(payment.data).toMatchObject({
          v: RECORD_VERSION,
          gateway,
          id: order.reference,
          reference: order.reference,
          session_id: order.checkout.session.id,
          currency: "usd",
          amount: 7000,
          status: expected.status,
          client_secret: null,
          custom_reference: PLANTED_CUSTOM_REFERENCE,
          open_disputes: [],
          // The PSP's answer (the multicapture card; PayPal always), not the planted `multicapture: false`.
          multicapture: true,
          // Never reauthorized, whatever was planted (`reauthorized: true` would hide the reauthorize action).
          reauthorized: false,
        })
        expect(payment.data.reference).not.toEqual(victim.reference)
        expect(payment.data.expires_at).not.toEqual("2000-01-01T00:00:00.000Z")
        // PayPal's honor period, from the PSP's authorization; Stripe has none (the planted date would offer reauthorize).
        expect(payment.data.honor_until).toEqual(gateway === "paypal" ? expect.any(String) : null)
        expect(payment.data.honor_until).not.toEqual("2000-01-01T00:00:00.000Z")
        expect(payment.data.approve_url).toEqual(gateway === "paypal" ? order.checkout.session.data.approve_url : null)
        if (gateway === "paypal") {
          expect(payment.data.authorization_id).not.toEqual(victim.authorizationId)
          expect(await sandbox.current.control.paypal.getAuthorization(payment.data.authorization_id!)).toMatchObject({
            supplementary_data: { related_ids: { order_id: order.reference } },
          })
        }
        const medusaCaptureIds = payment.captures.map((c) => c.id).sort()
        expect(payment.data.captures.map((c) => c.medusa_capture_id).sort()).toEqual(medusaCaptureIds)
        expect(payment.data.captures.map((c) => c.amount).sort((a, b) => a - b)).toEqual(
          [...expected.captures].sort((a, b) => a - b)
        )
        expect(payment.data.captures.filter((c) => c.mechanism === "manual")).toEqual([])
        const liveRefunds = payment.data.refunds.filter((r) => r.status !== "failed")
        expect(sum(liveRefunds.map((r) => r.amount))).toBe(expected.refunded)
        expect(payment.data.refunds.filter((r) => r.mechanism === "manual" || r.source !== "plugin")).toEqual([])
        const text = JSON.stringify(payment.data)
        for (const planted of ["ch_fake", "re_fake", "du_fake", "planted", "attacker.example", victim.reference]) {
          expect(text).not.toContain(planted)
        }

        // The payment the planted references pointed at was never touched.
        expect(
          await pspMoney(sandbox.current, {
            gateway,
            reference: victim.reference,
            authorization_id: victim.authorizationId,
          })
        ).toMatchObject({ captured: 0, captures: [], refunded: 0, refunds: [] })
        const victimPayment = await orderPayment(container, victim.orderId)
        expect({ captures: victimPayment.captures, refunds: victimPayment.refunds }).toEqual({
          captures: [],
          refunds: [],
        })
      }

      it("plants a value for every key of the payment record (derived from the schema), old instruction keys and unknown keys", () => {
        const victim = { reference: "pi_victim", authorization_id: null, session_id: "payses_victim" }
        for (const gateway of ["stripe", "paypal"] as const) {
          const data = plantedSessionData(gateway, victim)
          expect(unplantedRecordKeys(data)).toEqual([])
          expect(Object.keys(plantedRecord(gateway, victim)).sort()).toEqual([...PAYMENT_RECORD_KEYS].sort())
          // Only custom_reference is also a storefront key (documented; a valid value is honoured, it moves no money).
          expect(Object.keys(data).filter((k) => (STOREFRONT_KEYS as readonly string[]).includes(k))).toEqual([
            "custom_reference",
          ])
          expect(data).toMatchObject(PLANTED_LEGACY_AND_UNKNOWN)
        }
      })

      describe.each([
        ["Stripe", STRIPE],
        ["PayPal", PAYPAL],
      ])("%s", (_name, provider) => {
        it("Medusa's own capture and refund, and ours, move exactly the requested money; Medusa, the ledger and the PSP agree", async () => {
          const container = getContainer()
          const gateway = gatewayOf(provider)
          // Another shopper's authorized payment: its references are planted, to steer captures and refunds to it.
          const victim = await placeAuthorizedOrder(api, container, sandbox.current, provider)
          const planted = plantedSessionData(gateway, {
            reference: victim.reference,
            authorization_id: victim.authorizationId,
            session_id: victim.checkout.session.id,
          })
          expect(unplantedRecordKeys(planted)).toEqual([])

          // POST /store/payment-collections/:id/payment-sessions with the planted data, the buyer's step, completion.
          // Captured in parts below (non-final): on Stripe that needs the multicapture card.
          const order = await placeAuthorizedOrder(api, container, sandbox.current, provider, {
            session_data: planted,
            ...(provider === STRIPE ? { payment_method: STRIPE_MULTICAPTURE_CARD } : {}),
          })
          expect(order.reference).not.toEqual(victim.reference)
          expect(order.checkout.session.data).toMatchObject({
            v: RECORD_VERSION,
            gateway,
            reference: order.reference,
            amount: 7000,
            currency: "usd",
            captures: [],
            refunds: [],
            open_disputes: [],
          })
          // Medusa merges JSON data on every update (`mergeObjectProperties`), so the session keeps the planted keys the
          // record does not know (inert: `readRecord` never reads them); every key of the record is the provider's.
          const session = await payments().retrievePaymentSession(order.checkout.session.id, { select: ["id", "data"] })
          const payment = await orderPayment(container, order.orderId)
          for (const key of PAYMENT_RECORD_KEYS) {
            expect({ key, value: session.data[key] }).toEqual({ key, value: payment.data[key] })
          }
          if (provider === STRIPE) {
            // `off_session: true` from the store API did not make a merchant-initiated payment.
            const intent = await sandbox.current.control.stripe.inspectPaymentIntent(order.reference)
            expect(intent.off_session).toBe(false)
            expect(intent.payment_intent).toMatchObject({ amount: 7000, currency: "usd", amount_capturable: 7000 })
          }

          const headers = await adminHeaders(container, api)
          await expectAllAgree(provider, order, victim, headers, { captures: [], refunded: 0, status: "authorized" })

          // (1) Medusa's own capture route, partial.
          const medusaCapture = await admin("post", `/admin/payments/${order.payment.id}/capture`, headers, {
            amount: 20,
          })
          expect(statusOf(medusaCapture)).toMatchObject({ status: 200 })
          expect(medusaCapture.data.payment.captures.map((c: { amount: number }) => c.amount)).toEqual([20])
          await expectAllAgree(provider, order, victim, headers, {
            captures: [2000],
            refunded: 0,
            status: "partially_captured",
          })

          // (2) Our capture route, part of the rest.
          const auth = (await ledger(order.orderId, headers)).find((t) => t.transaction_type === "authorize")!
          expect(auth).toMatchObject({ capturable_amount: 5000, next_actions: ["capture"] })
          const ourCapture = await admin(
            "post",
            `/admin/orders/${order.orderId}/transactions/${auth.id}/capture`,
            headers,
            {
              data: { capture_amount: 3000, capture_type: "non-final" },
            }
          )
          expect(statusOf(ourCapture)).toMatchObject({ status: 200 })
          expect(ourCapture.data.data).toMatchObject({
            transaction_type: "capture",
            amount: 3000,
            capture_mechanism: "automatic",
            custom_reference: PLANTED_CUSTOM_REFERENCE,
          })
          await expectAllAgree(provider, order, victim, headers, {
            captures: [2000, 3000],
            refunded: 0,
            status: "partially_captured",
          })

          // (3) Medusa's own refund route, partial.
          const medusaRefund = await admin("post", `/admin/payments/${order.payment.id}/refund`, headers, { amount: 5 })
          expect(statusOf(medusaRefund)).toMatchObject({ status: 200 })
          await expectAllAgree(provider, order, victim, headers, {
            captures: [2000, 3000],
            refunded: 500,
            status: "partially_captured",
          })

          // (4) Our refund route, part of our capture.
          const ourRefund = await admin(
            "post",
            `/admin/orders/${order.orderId}/transactions/${ourCapture.data.data.id}/refund`,
            headers,
            { data: { amount: 1200 } }
          )
          expect(statusOf(ourRefund)).toMatchObject({ status: 200 })
          expect(ourRefund.data.data).toMatchObject({
            transaction_type: "refund",
            refund_mechanism: "automatic",
            amount: 1200,
            relationships: { parent: { data: { id: ourCapture.data.data.id } } },
          })
          await expectAllAgree(provider, order, victim, headers, {
            captures: [2000, 3000],
            refunded: 1700,
            status: "partially_captured",
          })

          // (5) Medusa's own route captures the rest: the authorization is fully captured, exactly once.
          const rest = await admin("post", `/admin/payments/${order.payment.id}/capture`, headers, { amount: 20 })
          expect(statusOf(rest)).toMatchObject({ status: 200 })
          await expectAllAgree(provider, order, victim, headers, {
            captures: [2000, 3000, 2000],
            refunded: 1700,
            status: "captured",
          })
        })

        it("refuses session data a shopper may not send (400, clear message) and creates nothing at the PSP", async () => {
          const step = await openPaymentStep(api, getContainer())
          const pspCount = async () =>
            provider === STRIPE
              ? (await sandbox.current.control.stripe.state()).payment_intents
              : (await sandbox.current.control.paypal.state()).orders.length
          const before = await pspCount()
          const cases: [string, Record<string, unknown>, RegExp][] = [
            ["custom_reference with a control character", { custom_reference: "ref\n1" }, /custom_reference must be/],
            ["custom_reference too long", { custom_reference: "r".repeat(129) }, /custom_reference must be/],
            ["custom_reference not a string", { custom_reference: 42 }, /custom_reference must be/],
            [
              "a saved payment_method without an account holder",
              { payment_method: "pm_card_visa" },
              /not one of this customer's saved/,
            ],
            ["saving the method as a guest", { save_payment_method: true }, /Only a logged-in customer can save/],
            [
              "setup_future_usage as a guest",
              { setup_future_usage: "off_session" },
              /Only a logged-in customer can save/,
            ],
            [
              "a forged off-session grant",
              { off_session_grant: `mit_${"f".repeat(24)}` },
              /grant is unknown, used or expired/,
            ],
          ]
          for (const [what, data, message] of cases) {
            const res = await postPaymentSession(api, step, provider, {
              ...data,
              pending_capture: { mechanism: "manual" },
            })
            expect({ what, status: res.status, message: res.data?.message }).toEqual({
              what,
              status: 400,
              message: expect.stringMatching(message),
            })
          }
          expect(await pspCount()).toBe(before)
          expect(await payments().listPaymentSessions({ payment_collection_id: step.payment_collection_id })).toEqual(
            []
          )

          // The same cart then pays normally.
          const ok = await postPaymentSession(api, step, provider, { custom_reference: "order-1001" })
          expect(statusOf(ok)).toMatchObject({ status: 200 })
          expect(await pspCount()).toBe(before + 1)
        })
      })

      it("Stripe: a logged-in shopper pays with a saved card of their own, never another customer's; off_session from the store API is ignored", async () => {
        const container = getContainer()
        const store = await seedDemoStore(container)
        const owner = await registerCustomer(api, store, "owner@example.com")
        const ownerStep = await openPaymentStep(api, container, owner.token)
        // The first session gives the logged-in customer an account holder (a Stripe customer).
        expect(statusOf(await postPaymentSession(api, ownerStep, STRIPE, {}))).toMatchObject({ status: 200 })
        const { data: customers } = await container.resolve("query").graph({
          entity: "customer",
          fields: ["id", "account_holders.*"],
          filters: { id: owner.customer_id },
        })
        const holder = (
          customers[0] as {
            account_holders: { provider_id: string; external_id: string; data: Record<string, unknown> }[]
          }
        ).account_holders.find((h) => h.provider_id === STRIPE)!
        expect(holder.external_id).toMatch(/^cus_/)
        const saved = await payments().createPaymentMethods({
          provider_id: STRIPE,
          data: { payment_method: "pm_card_visa" },
          context: { account_holder: { data: holder.data } },
        })
        expect(saved.id).toMatch(/^pm_/)

        // Another logged-in customer (with an account holder of their own) and a guest name the owner's card: refused.
        const other = await registerCustomer(api, store, "other@example.com")
        const otherStep = await openPaymentStep(api, container, other.token)
        const guestStep: PaymentStep = await openPaymentStep(api, container)
        const intents = async () => (await sandbox.current.control.stripe.state()).payment_intents
        const before = await intents()
        for (const step of [otherStep, guestStep]) {
          const refused = await postPaymentSession(api, step, STRIPE, { payment_method: saved.id, off_session: true })
          expect({ status: refused.status, message: refused.data?.message }).toEqual({
            status: 400,
            message: expect.stringMatching(
              new RegExp(`${saved.id} is not one of this customer's saved stripe payment methods`)
            ),
          })
        }
        expect(await intents()).toBe(before)

        // The owner may use it; `off_session: true` sent with it does not make the payment merchant-initiated.
        const own = await postPaymentSession(api, ownerStep, STRIPE, { payment_method: saved.id, off_session: true })
        expect(statusOf(own)).toMatchObject({ status: 200 })
        expect(await intents()).toBe(before + 1)
        const session = own.data.payment_collection.payment_sessions.find(
          (s: { provider_id: string }) => s.provider_id === STRIPE
        )
        const intent = await sandbox.current.control.stripe.inspectPaymentIntent(session.data.reference)
        expect(intent.off_session).toBe(false)
        expect(intent.payment_intent).toMatchObject({ customer: holder.external_id, payment_method: saved.id })
      })

      it("Stripe: a logged-in customer saves a card at checkout, finds it in the store API, and pays with it next time (customer-initiated)", async () => {
        const container = getContainer()
        const store = await seedDemoStore(container)
        const owner = await registerCustomer(api, store, "saver@example.com")
        const sessionOf = (res: AxiosResponse) =>
          res.data.payment_collection.payment_sessions.find((s: { provider_id: string }) => s.provider_id === STRIPE)
        const savedMethods = (headers: Record<string, string>, query = "") =>
          api
            .get(`/store/customers/me/payment-methods${query}`, { headers })
            .catch((e: { response: AxiosResponse }) => e.response)

        // First order: the shopper ticks "save my card"; Stripe.js confirms the card; the cart completes.
        const first = await openPaymentStep(api, container, owner.token)
        expect((await savedMethods(first.headers)).data).toEqual({ payment_methods: [] })
        const saving = await postPaymentSession(api, first, STRIPE, { save_payment_method: true })
        expect(statusOf(saving)).toMatchObject({ status: 200 })
        const firstIntent = sessionOf(saving).data.reference as string
        expect((await sandbox.current.control.stripe.inspectPaymentIntent(firstIntent)).payment_intent).toMatchObject({
          setup_future_usage: "off_session",
          customer: expect.stringMatching(/^cus_/),
        })
        await sandbox.current.control.stripe.confirmPaymentIntent(firstIntent, { payment_method: "pm_card_visa" })
        const firstOrder = await api.post(`/store/carts/${first.cart_id}/complete`, {}, { headers: first.headers })
        expect(firstOrder.data).toMatchObject({ type: "order", order: { id: expect.stringMatching(/^order_/) } })

        // The store API lists the saved card, as a storefront shows it: no billing details, no fingerprint.
        const listed = await savedMethods(first.headers)
        expect(statusOf(listed)).toMatchObject({ status: 200 })
        const customerId = (await sandbox.current.control.stripe.inspectPaymentIntent(firstIntent)).payment_intent
          .customer
        expect(listed.data.payment_methods).toEqual([
          {
            id: expect.stringMatching(/^pm_/),
            provider_id: STRIPE,
            type: "card",
            customer: customerId,
            card: { brand: "visa", last4: "4242", exp_month: expect.any(Number), exp_year: expect.any(Number) },
          },
        ])
        const saved = listed.data.payment_methods[0].id as string
        expect((await savedMethods(first.headers, `?provider_id=${STRIPE}`)).data.payment_methods).toHaveLength(1)
        expect((await savedMethods(first.headers, `?provider_id=${PAYPAL}`)).data.payment_methods).toEqual([])
        const badQuery = await savedMethods(first.headers, "?provider_id=../../admin")
        expect({ status: badQuery.status, message: badQuery.data?.message }).toEqual({
          status: 400,
          message: expect.stringMatching(/provider_id: must be a payment provider id/),
        })

        // Another customer sees none of it; a guest is not let in.
        const other = await registerCustomer(api, store, "neighbour@example.com")
        const otherStep = await openPaymentStep(api, container, other.token)
        expect((await savedMethods(otherStep.headers)).data).toEqual({ payment_methods: [] })
        const guest = await savedMethods({ "x-publishable-api-key": store.publishable_key })
        expect(guest.status).toBe(401)

        // Next order: the shopper picks the saved card and confirms it (present: customer-initiated, not off-session).
        const second = await openPaymentStep(api, container, owner.token)
        const paying = await postPaymentSession(api, second, STRIPE, { payment_method: saved })
        expect(statusOf(paying)).toMatchObject({ status: 200 })
        const secondIntent = sessionOf(paying).data.reference as string
        await sandbox.current.control.stripe.confirmPaymentIntent(secondIntent, { payment_method: saved })
        const secondOrder = await api.post(`/store/carts/${second.cart_id}/complete`, {}, { headers: second.headers })
        expect(secondOrder.data).toMatchObject({ type: "order", order: { id: expect.stringMatching(/^order_/) } })
        const paid = await sandbox.current.control.stripe.inspectPaymentIntent(secondIntent)
        expect(paid.off_session).toBe(false)
        expect(paid.payment_intent).toMatchObject({
          status: "requires_capture",
          customer: customerId,
          payment_method: saved,
          amount_capturable: 7000,
        })
        const order = await payments().listPayments({ payment_session_id: sessionOf(paying).id })
        expect(order.map((p) => p.provider_id)).toEqual([STRIPE])
      })
    })
  },
})
