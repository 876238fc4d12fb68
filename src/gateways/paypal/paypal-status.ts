import type { GatewayPaymentStatus } from "../types"

/**
 * Order statuses before any payment exists (Orders v2 `status`). COMPLETED is read from its payments. A new order
 * (CREATED, SAVED) is `pending` until the buyer acts, as a new Stripe PaymentIntent is: storefronts pick the session
 * whose status is `pending` (nextjs-starter-medusa). PAYER_ACTION_REQUIRED means the buyer started and must do more
 * (3-D Secure of a card, the payer-action link).
 */
export const PAYPAL_ORDER_STATUS: Record<string, GatewayPaymentStatus> = {
  CREATED: "pending",
  SAVED: "pending",
  PAYER_ACTION_REQUIRED: "requires_action",
  /** Approved by the buyer, not authorized yet: `authorizePayment` completes it. */
  APPROVED: "pending",
  VOIDED: "canceled",
}

/** Authorization statuses (Payments v2). VOIDED past `expiration_time` is expiry (see `payPalAuthorizationStatus`). */
export const PAYPAL_AUTHORIZATION_STATUS: Record<string, GatewayPaymentStatus> = {
  CREATED: "authorized",
  PENDING: "processing",
  PARTIALLY_CAPTURED: "partially_captured",
  CAPTURED: "captured",
  VOIDED: "canceled",
  EXPIRED: "expired",
  DENIED: "failed",
}

/** Capture statuses of an order captured at approval (intent CAPTURE). */
export const PAYPAL_CAPTURE_STATUS: Record<string, GatewayPaymentStatus> = {
  COMPLETED: "captured",
  PARTIALLY_REFUNDED: "captured",
  REFUNDED: "captured",
  PENDING: "processing",
  DECLINED: "failed",
  FAILED: "failed",
}

/** PayPal sends VOIDED for expiry too: a voided authorization whose expiration_time is past has expired. */
export function payPalAuthorizationStatus(
  status: string | undefined,
  expirationTime: string | undefined | null,
  now: number = Date.now()
): GatewayPaymentStatus {
  if (status === "VOIDED" && expirationTime && Date.parse(expirationTime) <= now) {
    return "expired"
  }
  return PAYPAL_AUTHORIZATION_STATUS[status ?? ""] ?? "processing"
}

/**
 * The payment's status from what the order holds: the authorization when there is one (intent AUTHORIZE), the
 * capture of an intent CAPTURE order, else the order's own status.
 */
export function payPalPaymentStatus(input: {
  orderStatus: string | undefined
  authorization?: { status?: string; expirationTime?: string } | null
  capture?: { status?: string } | null
  now?: number
}): GatewayPaymentStatus {
  if (input.authorization) {
    return payPalAuthorizationStatus(input.authorization.status, input.authorization.expirationTime, input.now)
  }
  if (input.capture) {
    return PAYPAL_CAPTURE_STATUS[input.capture.status ?? ""] ?? "processing"
  }
  if (input.orderStatus === "COMPLETED") {
    return "processing"
  }
  return PAYPAL_ORDER_STATUS[input.orderStatus ?? ""] ?? "pending"
}
