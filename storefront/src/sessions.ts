/**
 * Which payment session a storefront shows, and for which PSP: the official storefront recognises providers by id
 * prefix (`pp_stripe_`, `pp_paypal_`) and picks the session whose status is `pending`, which is what this plugin's
 * providers answer until the buyer has acted.
 */

/** The fields of a Medusa store payment session the kit reads (`HttpTypes.StorePaymentSession` has them). */
export interface StorefrontPaymentSession {
  id: string
  provider_id: string
  status: string
  currency_code: string
  amount: number
  data: Record<string, unknown>
}

export const isStripe = (providerId?: string | null): boolean => !!providerId?.startsWith("pp_stripe_")
export const isPayPal = (providerId?: string | null): boolean => !!providerId?.startsWith("pp_paypal")

/** The session the buyer pays with: the pending one, as `nextjs-starter-medusa` picks it. */
export function pendingSession<S extends { status: string }>(
  cart: { payment_collection?: { payment_sessions?: S[] | null } | null } | null | undefined
): S | undefined {
  return cart?.payment_collection?.payment_sessions?.find((s) => s.status === "pending")
}

/** The PayPal order id of the plugin's PayPal session (`data.id`), what `createOrder` returns to the buttons. */
export function payPalOrderId(session: StorefrontPaymentSession): string {
  const id = session.data.id
  if (typeof id !== "string" || !id) {
    throw new Error(
      `Payment session ${session.id} has no PayPal order id: initiate the payment session with the PayPal provider again.`
    )
  }
  return id
}

/**
 * The PayPal order's intent for the JS SDK URL (`intent=authorize|capture`): the session's `data.intent` (written by
 * the provider from the order it created); `fallback` only for sessions created before the provider wrote it.
 */
export function payPalIntent(session: StorefrontPaymentSession, fallback: "authorize" | "capture" = "authorize") {
  const intent = session.data.intent
  return typeof intent === "string" && /^(authorize|capture)$/i.test(intent)
    ? (intent.toLowerCase() as "authorize" | "capture")
    : fallback
}

/** The PaymentIntent statuses after which the starter places the order (`requires_capture`, `succeeded`). */
export const STRIPE_PLACE_ORDER_STATUSES = ["requires_capture", "succeeded"] as const
