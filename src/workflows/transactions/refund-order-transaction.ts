import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ledgerEntryOf } from "../ledger/order-ledger"
import { readOrderLedgerStep, recordLedgerStep } from "../ledger/steps"
import { ORDER_LOCK, orderLockKey } from "./order-lock"
import { acquireOrderLockStep, releaseOrderLockStep } from "./order-lock-steps"
import { claimedMedusaIdStep, planInstructionStep } from "./steps/plan-instruction"
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
    acquireOrderLockStep({ key, ...ORDER_LOCK })
    const before = readOrderLedgerStep({ order_id: input.order_id })
    const plan = validateRefundRequestStep({
      ledger: before,
      transaction_id: input.transaction_id,
      request: input.request,
    })
    const instruction = planInstructionStep({
      kind: "refund",
      payment_id: plan.payment_id,
      reference: plan.reference,
      options: plan.options,
    })
    refundPaymentWorkflow.runAsStep({
      input: {
        payment_id: plan.payment_id,
        amount: plan.major_amount,
        created_by: input.created_by,
        note: input.request.note,
      },
    })
    const moved = claimedMedusaIdStep({ instruction_id: instruction.id })
    const after = recordLedgerStep({ order_id: input.order_id, source_ids: moved })
    releaseOrderLockStep({ key })
    return new WorkflowResponse(
      transform({ after, moved }, ({ after, moved }) => ledgerEntryOf(after, moved[0])?.transaction ?? null)
    )
  }
)
