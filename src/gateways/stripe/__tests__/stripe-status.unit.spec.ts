import type Stripe from "stripe"
import { stripePaymentStatus } from "../stripe-status"

const intent = (fields: Partial<Stripe.PaymentIntent>) =>
  ({ amount_received: 0, last_payment_error: null, cancellation_reason: null, ...fields }) as Stripe.PaymentIntent

describe("stripePaymentStatus: every PaymentIntent status word", () => {
  it.each([
    [{ status: "requires_payment_method" }, "pending"],
    [
      { status: "requires_payment_method", last_payment_error: { type: "card_error", code: "card_declined" } },
      "failed",
    ],
    [{ status: "requires_confirmation" }, "pending"],
    [{ status: "requires_action" }, "requires_action"],
    [{ status: "processing" }, "processing"],
    [{ status: "requires_capture" }, "authorized"],
    [{ status: "requires_capture", amount_received: 2500 }, "partially_captured"],
    [{ status: "succeeded" }, "captured"],
    [{ status: "canceled", cancellation_reason: "expired" }, "expired"],
    [{ status: "canceled", cancellation_reason: "automatic" }, "expired"],
    [{ status: "canceled", cancellation_reason: "requested_by_customer" }, "canceled"],
    [{ status: "canceled", cancellation_reason: "abandoned" }, "canceled"],
    [{ status: "canceled", cancellation_reason: "duplicate" }, "canceled"],
    [{ status: "canceled", cancellation_reason: "fraudulent" }, "canceled"],
    [{ status: "canceled", cancellation_reason: "failed_invoice" }, "canceled"],
    [{ status: "canceled" }, "canceled"],
    [{ status: "some_future_status" }, "pending"],
  ] as [Partial<Stripe.PaymentIntent>, string][])("%o → %s", (fields, expected) => {
    expect(stripePaymentStatus(intent(fields))).toBe(expected)
  })
})
