import type Stripe from "stripe"
import type { GatewayPaymentStatus } from "../types"

/** A PaymentIntent's status in the plugin's vocabulary. */
export function stripePaymentStatus(intent: Stripe.PaymentIntent): GatewayPaymentStatus {
  switch (intent.status) {
    case "requires_payment_method":
      return intent.last_payment_error ? "failed" : "pending"
    case "requires_confirmation":
      return "pending"
    case "requires_action":
      return "requires_action"
    case "processing":
      return "processing"
    case "requires_capture":
      return intent.amount_received > 0 ? "partially_captured" : "authorized"
    case "succeeded":
      return "captured"
    case "canceled":
      return intent.cancellation_reason === "expired" || intent.cancellation_reason === "automatic"
        ? "expired"
        : "canceled"
    default:
      return "pending"
  }
}
