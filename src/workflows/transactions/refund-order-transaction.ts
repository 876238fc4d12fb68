import { acquireLockStep, refundPaymentWorkflow, releaseLockStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ORDER_LOCK, newEntry, orderLockKey } from "./order-lock"
import { reconcileOrderLedgerStep } from "./steps/reconcile-order-ledger"
import { setPendingPaymentOptionsStep } from "./steps/set-pending-payment-options"
import { validateRefundRequestStep, type RefundRequest } from "./steps/validate-refund-request"

export interface RefundOrderTransactionInput {
  order_id: string
  transaction_id: string
  request: RefundRequest
  created_by?: string
}

/**
 * Refunds a capture transaction at the PSP (an amount), or marks the rest of it as refunded without calling the PSP
 * (no amount: Elastic Path's "mark as refunded"), through Medusa's own refund workflow so the refund row, order
 * totals, credit line and `payment.refunded` event follow. Answers the new refund transaction.
 */
export const refundOrderTransactionWorkflow = createWorkflow(
  "refund-order-transaction",
  (input: RefundOrderTransactionInput) => {
    const key = transform({ input }, ({ input }) => orderLockKey(input.order_id))
    acquireLockStep({ key, ...ORDER_LOCK })
    const before = reconcileOrderLedgerStep({ order_id: input.order_id })
    const plan = validateRefundRequestStep({
      ledger: before,
      transaction_id: input.transaction_id,
      request: input.request,
    })
    setPendingPaymentOptionsStep({ payment_id: plan.payment_id, pending_refund: plan.pending_refund })
    refundPaymentWorkflow.runAsStep({
      input: {
        payment_id: plan.payment_id,
        amount: plan.major_amount,
        created_by: input.created_by,
        note: input.request.note,
      },
    })
    const after = reconcileOrderLedgerStep({ order_id: input.order_id }).config({
      name: "reconcile-order-ledger-after",
    })
    releaseLockStep({ key })
    return new WorkflowResponse(
      transform({ before, after }, ({ before, after }) => newEntry(before, after, "refund")?.transaction ?? null)
    )
  }
)
