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
  type StorefrontPaymentSession,
} from "./sessions.js"
export { loadStripeFrom, STRIPE_PLACE_ORDER_STATUSES } from "./stripe.js"
