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
import { seedDemoStore, type SeededStore } from "../../demo/seed-store"
import { ADMIN_EMAIL, ADMIN_PASSWORD, adminHeaders } from "../utils/admin"
import { useSandbox } from "../utils/sandbox"

jest.setTimeout(120_000)

const sandbox = useSandbox()

const STRIPE = "pp_stripe_stripe"
const PAYPAL = "pp_paypal_paypal"

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
      // Stripe: pending until Stripe.js confirms the card; PayPal: the buyer has to approve the order first.
      expect(session!.status).toEqual(providerId === PAYPAL ? "requires_more" : "pending")
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
  },
})
