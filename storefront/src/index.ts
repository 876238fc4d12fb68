/**
 * `medusa-payment-orchestrator/storefront`: what a Medusa storefront (the official Next.js starter, or any React
 * storefront) adds to pay with the plugin's providers. React and the PSP client libraries are optional peer
 * dependencies; nothing here is imported by the plugin's server code.
 */
export { PayPalPaymentButton, type PayPalPaymentButtonProps } from "./PayPalPaymentButton.js"
export {
  isPayPal,
  isStripe,
  payPalIntent,
  payPalOrderId,
  pendingSession,
  STRIPE_PLACE_ORDER_STATUSES,
  type StorefrontPaymentSession,
} from "./sessions.js"
// Stripe needs nothing here: the starter's own Payment Element code works with `pp_stripe_` sessions as they are.
// `medusa-payment-orchestrator/storefront/stripe` loads Stripe.js from another host (the sandbox, offline).
