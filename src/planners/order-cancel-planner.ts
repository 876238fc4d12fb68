import type { PaymentRecord } from "../payment-record/schema"
import type { Refusal } from "./capture-planner"
import { planRefund } from "./refund-planner"

/** One of the order's payments as Medusa's order cancel would treat it. */
export interface CancelPaymentInput {
  payment_id: string
  record: PaymentRecord
  /** What Medusa's cancel refunds of it (minor units): its captures less its refunds, as Medusa's rows say. */
  refund_amount: number
  gateway: string
  money: (minor: number) => string
}

/**
 * Decides whether Medusa's order cancel (`POST /admin/orders/:id/cancel`) may run. The cancel refunds what each
 * captured payment has left through `refundPaymentsWorkflow`, whose step logs a provider's refusal and goes on: the
 * order would be canceled and an order transaction of the refund written while no money moved. So the refund the
 * provider would refuse (an open dispute, a manual capture, more than the record can give back) refuses the cancel
 * before anything happens, with the refund planner's own sentence and what to do next.
 */
export function planOrderCancel(payments: CancelPaymentInput[], now: string): { kind: "allow" } | Refusal {
  for (const payment of payments) {
    if (payment.refund_amount <= 0) {
      continue
    }
    const plan = planRefund({
      record: payment.record,
      medusa_refund_id: null,
      amount: payment.refund_amount,
      options: {},
      // Whether the PSP refunds per capture changes the calls, never whether the refund is refused.
      refunds_per_capture: false,
      money: payment.money,
      gateway: payment.gateway,
      now,
    })
    if (plan.kind === "refuse") {
      return {
        kind: "refuse",
        type: plan.type === "invalid" ? "not_allowed" : plan.type,
        message: `This order was not canceled: canceling it refunds ${payment.money(payment.refund_amount)} of payment ${payment.payment_id} at ${payment.gateway}, and that refund is refused. ${plan.message} Then cancel the order again. Nothing was canceled, voided or refunded.`,
      }
    }
  }
  return { kind: "allow" }
}

/** Record statuses after which the PSP holds nothing of the authorization. */
const OVER = new Set(["canceled", "expired", "failed"])

/**
 * What the PSP still holds of a payment's authorization (minor units) once Medusa's order cancel is done with it.
 * Medusa voids only payments without captures, so an authorization with captures keeps its uncaptured rest: all of it
 * behind a manual capture (that money was taken outside the PSP), the rest after non-final captures (PayPal, Stripe
 * multicapture). Nothing once a final capture at the PSP released the rest, or the payment is over.
 */
export function heldAfterCaptures(record: PaymentRecord): number {
  if (OVER.has(record.status) || record.captures.length === 0) {
    return 0
  }
  const atPsp = record.captures.filter((c) => c.mechanism !== "manual")
  if (atPsp.some((c) => c.final)) {
    return 0
  }
  return Math.max(0, record.amount - atPsp.reduce((sum, c) => sum + c.amount, 0))
}
