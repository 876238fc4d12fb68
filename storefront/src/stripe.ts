// The pure entry loads Stripe.js only when asked (the main entry injects js.stripe.com as soon as it is imported).
import type { Stripe } from "@stripe/stripe-js"
import { loadStripe } from "@stripe/stripe-js/pure"

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
