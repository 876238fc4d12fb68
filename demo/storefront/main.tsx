/**
 * The demo's checkout page: a cart through Medusa's store API (@medusajs/js-sdk), the buyer picks Stripe or PayPal,
 * pays with the official storefront's Stripe code (Payment Element, confirmPayment with redirect "if_required") or
 * the storefront kit's PayPal button, and the cart completes into an order. Stripe.js and PayPal's JS SDK come from
 * the PSP sandbox, so it all runs offline.
 */
import Medusa from "@medusajs/js-sdk"
import type { HttpTypes } from "@medusajs/types"
import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js"
import {
  PayPalPaymentButton,
  STRIPE_PLACE_ORDER_STATUSES,
  isPayPal,
  isStripe,
  pendingSession,
} from "medusa-payment-orchestrator/storefront"
import { loadStripeFrom } from "medusa-payment-orchestrator/storefront/stripe"
import { useEffect, useMemo, useState } from "react"
import { createRoot } from "react-dom/client"
import type { CheckoutPageConfig } from "../checkout-page"

declare const __CHECKOUT_CONFIG__: CheckoutPageConfig
const config = __CHECKOUT_CONFIG__
const sdk = new Medusa({ baseUrl: config.medusaUrl, publishableKey: config.publishableKey })

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

const money = (amount: number, currency: string) =>
  new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(amount)

async function createCart(): Promise<HttpTypes.StoreCart> {
  const { cart } = await sdk.store.cart.create({
    region_id: config.regionId,
    email: "ada@example.com",
    items: [{ variant_id: config.variantId, quantity: 1 }],
    shipping_address: ADDRESS,
    billing_address: ADDRESS,
  })
  const { cart: withShipping } = await sdk.store.cart.addShippingMethod(cart.id, {
    option_id: config.shippingOptionId,
  })
  return withShipping
}

/** The official storefront's Stripe payment button, as it is there (confirmPayment, then place the order). */
function StripePayButton({ onPaid, onError }: { onPaid: () => Promise<void>; onError: (m: string) => void }) {
  const stripe = useStripe()
  const elements = useElements()
  const [busy, setBusy] = useState(false)
  const pay = async () => {
    if (!stripe || !elements) return
    setBusy(true)
    onError("")
    const { error, paymentIntent } = await stripe.confirmPayment({
      elements,
      confirmParams: {
        return_url: `${window.location.origin}/`,
        payment_method_data: { billing_details: { name: "Ada Lovelace", email: "ada@example.com" } },
      },
      redirect: "if_required",
    })
    const status = (paymentIntent ?? error?.payment_intent)?.status
    if (status && (STRIPE_PLACE_ORDER_STATUSES as readonly string[]).includes(status)) {
      await onPaid().catch((e: Error) => onError(e.message))
    } else if (error) {
      onError(error.message ?? "The payment failed.")
    }
    setBusy(false)
  }
  return (
    <button className="pay" data-testid="stripe-pay" disabled={!stripe || busy} onClick={() => void pay()}>
      {busy ? "Paying…" : "Pay"}
    </button>
  )
}

function App() {
  const [cart, setCart] = useState<HttpTypes.StoreCart>()
  const [order, setOrder] = useState<HttpTypes.StoreOrder>()
  const [error, setError] = useState("")
  const [choosing, setChoosing] = useState(false)
  const stripePromise = useMemo(
    () => loadStripeFrom(`${config.sandboxUrl}/endive/stripe.js`, config.stripePublishableKey),
    []
  )

  useEffect(() => {
    createCart().then(setCart, (e: Error) => setError(`The cart could not be created: ${e.message}`))
  }, [])

  const session = pendingSession(cart)

  const choose = async (providerId: string) => {
    if (!cart || session?.provider_id === providerId) return
    setChoosing(true)
    setError("")
    try {
      await sdk.store.payment.initiatePaymentSession(cart, { provider_id: providerId })
      const { cart: fresh } = await sdk.store.cart.retrieve(cart.id)
      setCart(fresh)
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setChoosing(false)
    }
  }

  const placeOrder = async () => {
    const result = await sdk.store.cart.complete(cart!.id)
    if (result.type !== "order") {
      throw new Error(result.error?.message ?? "The order could not be placed.")
    }
    setOrder(result.order)
  }

  if (order) {
    return (
      <main>
        <div className="placed" data-testid="order-placed" data-order-id={order.id}>
          <h1>Thank you, order #{order.display_id} is placed</h1>
          <p>
            {money(order.total, order.currency_code)} paid with {isStripe(session?.provider_id) ? "a card" : "PayPal"}:
            authorized, to be captured from the admin.
          </p>
          <p>
            Find it in the admin: <a href={`${config.medusaUrl}/app/orders/${order.id}`}>{order.id}</a>
          </p>
          <button className="pay" onClick={() => window.location.reload()}>
            Buy again
          </button>
        </div>
      </main>
    )
  }

  return (
    <main>
      <h1>Checkout</h1>
      <p className="muted">A cart from the demo store, paid through the PSP sandbox (offline).</p>
      {!cart ? (
        <p data-testid="cart-loading">{error || "Creating your cart…"}</p>
      ) : (
        <>
          <div className="summary" data-testid="cart-summary" data-cart-id={cart.id}>
            <span>
              {cart.items?.[0]?.product_title ?? "Item"} × {cart.items?.[0]?.quantity}, shipping included
            </span>
            <strong data-testid="cart-total">{money(cart.total, cart.currency_code)}</strong>
          </div>
          <div className="methods" role="radiogroup" aria-label="Payment method">
            {[
              [STRIPE, "Credit card (Stripe)"],
              [PAYPAL, "PayPal"],
            ].map(([id, label]) => (
              <label key={id} className={session?.provider_id === id ? "active" : ""}>
                <input
                  type="radio"
                  name="provider"
                  data-testid={`choose-${isStripe(id) ? "stripe" : "paypal"}`}
                  checked={session?.provider_id === id}
                  disabled={choosing}
                  onChange={() => void choose(id)}
                />{" "}
                {label}
              </label>
            ))}
          </div>
          {session && isStripe(session.provider_id) && (
            <Elements
              key={session.id}
              stripe={stripePromise}
              options={{ clientSecret: session.data.client_secret as string }}
            >
              <PaymentElement />
              <StripePayButton onPaid={placeOrder} onError={setError} />
            </Elements>
          )}
          {session && isPayPal(session.provider_id) && (
            <PayPalPaymentButton
              key={session.id}
              session={session}
              clientId={config.paypalClientId}
              sdkBaseUrl={`${config.sandboxUrl}/paypal/sdk/js`}
              onApproved={placeOrder}
            />
          )}
          {error && (
            <p className="error" role="alert" data-testid="checkout-error">
              {error}
            </p>
          )}
          <p className="hint">
            Test cards: <code>4242 4242 4242 4242</code> pays, <code>4000 0000 0000 0002</code> is declined,{" "}
            <code>4000 0027 6000 3184</code> asks for 3-D Secure; any future expiry, any CVC.
          </p>
        </>
      )}
    </main>
  )
}

createRoot(document.getElementById("root")!).render(<App />)
