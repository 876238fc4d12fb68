import { loadStripe, type Stripe } from "@stripe/stripe-js"

/**
 * Stripe.js from another host than js.stripe.com (the PSP sandbox's stand-in, offline), then `loadStripe` as the
 * starter calls it: `@stripe/stripe-js` uses the `window.Stripe` that script installs. Online, call `loadStripe(pk)`.
 */
export async function loadStripeFrom(scriptUrl: string, publishableKey: string): Promise<Stripe | null> {
  if (typeof window === "undefined") {
    return null
  }
  if (!(window as { Stripe?: unknown }).Stripe) {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement("script")
      script.src = scriptUrl
      script.onload = () => resolve()
      script.onerror = () => reject(new Error(`Stripe.js could not be loaded from ${scriptUrl}.`))
      document.head.appendChild(script)
    })
  }
  return loadStripe(publishableKey)
}

/** The PaymentIntent statuses after which the starter places the order (`requires_capture`, `succeeded`). */
export const STRIPE_PLACE_ORDER_STATUSES = ["requires_capture", "succeeded"] as const
