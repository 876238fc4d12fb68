import { PaymentSessionStatus } from "@medusajs/framework/utils"
import type Stripe from "stripe"
import { stripePaymentStatus } from "../../gateways/stripe/stripe-status"
import { SESSION_STATUS } from "../status-map"

describe("status mapping", () => {
  it("maps every gateway status to the Medusa session status the storefront needs", () => {
    expect(SESSION_STATUS).toEqual({
      pending: PaymentSessionStatus.PENDING,
      requires_action: PaymentSessionStatus.REQUIRES_MORE,
      processing: PaymentSessionStatus.PENDING,
      authorized: PaymentSessionStatus.AUTHORIZED,
      partially_captured: PaymentSessionStatus.AUTHORIZED,
      captured: PaymentSessionStatus.CAPTURED,
      canceled: PaymentSessionStatus.CANCELED,
      expired: PaymentSessionStatus.CANCELED,
      failed: PaymentSessionStatus.ERROR,
    })
  })

  const intent = (fields: Partial<Stripe.PaymentIntent>) =>
    ({ amount_received: 0, last_payment_error: null, cancellation_reason: null, ...fields }) as Stripe.PaymentIntent

  it.each([
    [{ status: "requires_payment_method" }, "pending"],
    [{ status: "requires_payment_method", last_payment_error: { type: "card_error" } }, "failed"],
    [{ status: "requires_confirmation" }, "pending"],
    [{ status: "requires_action" }, "requires_action"],
    [{ status: "processing" }, "processing"],
    [{ status: "requires_capture" }, "authorized"],
    [{ status: "requires_capture", amount_received: 500 }, "partially_captured"],
    [{ status: "succeeded" }, "captured"],
    [{ status: "canceled", cancellation_reason: "requested_by_customer" }, "canceled"],
    [{ status: "canceled", cancellation_reason: "expired" }, "expired"],
    [{ status: "canceled", cancellation_reason: "automatic" }, "expired"],
  ] as [Partial<Stripe.PaymentIntent>, string][])("Stripe %o reads as %s", (fields, expected) => {
    expect(stripePaymentStatus(intent(fields))).toEqual(expected)
  })
})
