import Stripe from "stripe"
import { GatewayError, type GatewayErrorKind } from "../errors"

const UNKNOWN_OUTCOME =
  "the outcome at Stripe is unknown: Stripe may or may not have acted. The webhook, or a retry of the same request (same idempotency key), will settle it."

/** Turns a Stripe SDK error into a GatewayError whose message says what happened and what to do next. */
export function fromStripeError(e: unknown, what: string): GatewayError {
  if (!(e instanceof Stripe.errors.StripeError)) {
    return new GatewayError(
      "stripe",
      "unknown_outcome",
      `Stripe did not answer while trying to ${what}: ${UNKNOWN_OUTCOME}`
    )
  }
  const psp = { status: e.statusCode ?? null, code: e.code ?? null, body: e.raw ?? null }
  const fail = (kind: GatewayErrorKind, message: string) => new GatewayError("stripe", kind, message, psp)

  if (
    e instanceof Stripe.errors.StripeConnectionError ||
    e instanceof Stripe.errors.StripeAPIError ||
    (e.statusCode ?? 0) >= 500
  ) {
    return fail("unknown_outcome", `Stripe failed to ${what} (${e.message}); ${UNKNOWN_OUTCOME}`)
  }
  if (e instanceof Stripe.errors.StripeIdempotencyError || e.statusCode === 409) {
    return fail("unknown_outcome", `Stripe is still processing an earlier request to ${what}; ${UNKNOWN_OUTCOME}`)
  }
  if (e instanceof Stripe.errors.StripeRateLimitError || e.statusCode === 429) {
    return fail(
      "unknown_outcome",
      `Stripe is rate-limiting requests, so it did not ${what}: nothing was done. Try again in a moment.`
    )
  }
  if (e instanceof Stripe.errors.StripeAuthenticationError || e instanceof Stripe.errors.StripePermissionError) {
    return fail(
      "authentication",
      `Stripe rejected the API key while trying to ${what}: check the provider's apiKey option.`
    )
  }
  if (e instanceof Stripe.errors.StripeCardError) {
    const decline = e.decline_code ? ` (${e.decline_code})` : ""
    if (e.code === "authentication_required") {
      return fail(
        "declined",
        `The card needs the customer to authenticate (3-D Secure)${decline}: ask the customer to pay on session.`
      )
    }
    return fail(
      "declined",
      `The card was declined${decline}: ${e.message} Ask the customer for another payment method.`
    )
  }
  const intent = (e.raw as { payment_intent?: Stripe.PaymentIntent } | undefined)?.payment_intent ?? e.payment_intent
  switch (e.code) {
    case "payment_intent_unexpected_state":
      if (
        intent?.status === "canceled" &&
        (intent.cancellation_reason === "expired" || intent.cancellation_reason === "automatic")
      ) {
        return fail(
          "authorization_expired",
          `The authorization of ${intent.id} expired before it was captured, so Stripe released the funds. Cancel the payment, or ask the customer to pay again.`
        )
      }
      return fail(
        "invalid_state",
        `Stripe cannot ${what} because the payment is ${intent?.status ?? "in another state"}${intent?.cancellation_reason ? ` (${intent.cancellation_reason})` : ""}.`
      )
    case "amount_too_large":
    case "amount_too_small":
    case "invalid_amount":
      return fail("invalid_amount", `Stripe refused the amount while trying to ${what}: ${e.message}`)
    case "charge_already_refunded":
      return fail("invalid_state", `The payment is already fully refunded at Stripe: nothing is left to refund.`)
    case "charge_disputed":
      return fail("disputed", `The payment is disputed at Stripe: it cannot be refunded while the dispute is open.`)
    default:
      return fail("invalid_request", `Stripe refused to ${what}: ${e.message}`)
  }
}
