/**
 * Stripe SDK failures → GatewayError kind and merchant sentence. Inputs are the SDK's own error classes
 * (`Stripe.errors.*`), built from the raw error body as the SDK builds them from Stripe's answer. No network.
 */
import Stripe from "stripe"
import { GatewayError } from "../../errors"
import { fromStripeError } from "../stripe-errors"

type Raw = ConstructorParameters<typeof Stripe.errors.StripeInvalidRequestError>[0]

const intent = (status: Stripe.PaymentIntent.Status, cancellation_reason: string | null = null) =>
  ({ id: "pi_3Q0expired", object: "payment_intent", status, cancellation_reason }) as unknown as Stripe.PaymentIntent

function unexpectedState(pi: Stripe.PaymentIntent): Stripe.errors.StripeInvalidRequestError {
  return new Stripe.errors.StripeInvalidRequestError({
    type: "invalid_request_error",
    code: "payment_intent_unexpected_state",
    message: `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
    statusCode: 400,
    requestId: "req_123",
    payment_intent: pi,
  } as Raw)
}

const UNKNOWN =
  /the outcome at Stripe is unknown: Stripe may or may not have acted\. The webhook, or a retry of the same request \(same idempotency key\), will settle it\./

describe("fromStripeError: what Stripe said → kind and sentence", () => {
  it.each(["expired", "automatic"])(
    "payment_intent_unexpected_state on an intent canceled by Stripe (%s) → authorization_expired",
    (reason) => {
      const error = fromStripeError(unexpectedState(intent("canceled", reason)), "capture the payment")
      expect(error).toBeInstanceOf(GatewayError)
      expect(error).toMatchObject({
        gateway: "stripe",
        kind: "authorization_expired",
        psp: { status: 400, code: "payment_intent_unexpected_state" },
      })
      expect(error.message).toMatch(/authorization of pi_3Q0expired expired before it was captured/)
      expect(error.message).toMatch(/Cancel the payment, or ask the customer to pay again\./)
    }
  )

  it("payment_intent_unexpected_state on an intent the merchant canceled or already captured → invalid_state", () => {
    const canceled = fromStripeError(
      unexpectedState(intent("canceled", "requested_by_customer")),
      "capture the payment"
    )
    expect(canceled.kind).toBe("invalid_state")
    expect(canceled.message).toBe(
      "Stripe cannot capture the payment because the payment is canceled (requested_by_customer)."
    )
    const succeeded = fromStripeError(unexpectedState(intent("succeeded")), "cancel the payment")
    expect(succeeded.kind).toBe("invalid_state")
    expect(succeeded.message).toBe("Stripe cannot cancel the payment because the payment is succeeded.")
  })

  it("card_declined → declined, with the decline code and what to do", () => {
    const e = new Stripe.errors.StripeCardError({
      type: "card_error",
      code: "card_declined",
      decline_code: "insufficient_funds",
      message: "Your card has insufficient funds.",
      statusCode: 402,
    } as Raw)
    const error = fromStripeError(e, "create the payment")
    expect(error).toMatchObject({ kind: "declined", psp: { status: 402, code: "card_declined" } })
    expect(error.message).toBe(
      "The card was declined (insufficient_funds): Your card has insufficient funds. Ask the customer for another payment method."
    )
  })

  it("authentication_required (off-session card needs 3-D Secure) → declined, ask to pay on session", () => {
    const e = new Stripe.errors.StripeCardError({
      type: "card_error",
      code: "authentication_required",
      decline_code: "authentication_required",
      message: "Your card was declined. This transaction requires authentication.",
      statusCode: 402,
    } as Raw)
    const error = fromStripeError(e, "create the payment")
    expect(error.kind).toBe("declined")
    expect(error.message).toMatch(/needs the customer to authenticate \(3-D Secure\).*pay on session/)
  })

  it.each([
    ["amount_too_large", "invalid_amount"],
    ["amount_too_small", "invalid_amount"],
    ["invalid_amount", "invalid_amount"],
    ["charge_already_refunded", "invalid_state"],
    ["charge_disputed", "disputed"],
    ["resource_missing", "invalid_request"],
    ["parameter_invalid_integer", "invalid_request"],
  ])("400 %s → %s", (code, kind) => {
    const e = new Stripe.errors.StripeInvalidRequestError({
      type: "invalid_request_error",
      code,
      message: `Stripe says ${code}.`,
      statusCode: 400,
    } as Raw)
    const error = fromStripeError(e, "refund the payment")
    expect(error).toMatchObject({ kind, psp: { status: 400, code } })
    expect(error.message.length).toBeGreaterThan(20)
  })

  it("authentication and permission errors → authentication, naming the option and never the key", () => {
    const e = new Stripe.errors.StripeAuthenticationError({
      type: "invalid_request_error",
      message: "Invalid API Key provided: sk_test_********************abcd",
      statusCode: 401,
    } as Raw)
    const error = fromStripeError(e, "create the payment")
    expect(error.kind).toBe("authentication")
    expect(error.message).toBe(
      "Stripe rejected the API key while trying to create the payment: check the provider's apiKey option."
    )
    expect(error.message).not.toMatch(/sk_/)
    const permission = new Stripe.errors.StripePermissionError({
      type: "invalid_request_error",
      message: "The provided key 'rk_test_***' does not have access to resource.",
      statusCode: 403,
    } as Raw)
    expect(fromStripeError(permission, "refund the payment").kind).toBe("authentication")
  })

  it.each([
    [
      "StripeAPIError 500",
      new Stripe.errors.StripeAPIError({ type: "api_error", message: "Internal error.", statusCode: 500 } as Raw),
    ],
    [
      "a 503 of another class",
      new Stripe.errors.StripeInvalidRequestError({ message: "Service unavailable.", statusCode: 503 } as Raw),
    ],
    [
      "StripeConnectionError (network, timeout)",
      new Stripe.errors.StripeConnectionError({
        message: "Request aborted due to timeout being reached (20000ms)",
      } as Raw),
    ],
  ])("%s → unknown_outcome: the outcome is unknown, the webhook or a retry settles it", (_label, e) => {
    const error = fromStripeError(e, "capture the payment")
    expect(error.kind).toBe("unknown_outcome")
    expect(error.message).toMatch(/^Stripe failed to capture the payment \(/)
    expect(error.message).toMatch(UNKNOWN)
  })

  it("anything that is not a Stripe error → unknown_outcome (Stripe did not answer)", () => {
    const error = fromStripeError(new TypeError("fetch failed"), "capture the payment")
    expect(error).toMatchObject({ kind: "unknown_outcome", psp: { status: null, code: null } })
    expect(error.message).toMatch(/^Stripe did not answer while trying to capture the payment: /)
    expect(error.message).toMatch(UNKNOWN)
  })
})
