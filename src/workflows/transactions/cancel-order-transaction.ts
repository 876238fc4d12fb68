import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ledgerEntryOf } from "../ledger/order-ledger"
import { readOrderLedgerStep, recordLedgerStep } from "../ledger/steps"
import { ORDER_LOCK, orderLockKey } from "./order-lock"
import { acquireOrderLockStep, releaseOrderLockStep } from "./order-lock-steps"
import { validateCancelRequestStep } from "./steps/validate-cancel-request"
import { voidPaymentStep } from "./steps/void-payment"

/** Voids an uncaptured authorization at Stripe or PayPal and in Medusa. Answers the updated authorize transaction. */
export const cancelOrderTransactionWorkflow = createWorkflow(
  "cancel-order-transaction",
  (input: { order_id: string; transaction_id: string }) => {
    const key = transform({ input }, ({ input }) => orderLockKey(input.order_id))
    acquireOrderLockStep({ key, ...ORDER_LOCK })
    const before = readOrderLedgerStep({ order_id: input.order_id })
    const plan = validateCancelRequestStep({ ledger: before, transaction_id: input.transaction_id })
    voidPaymentStep({ payment_id: plan.payment_id })
    const voided = transform({ plan }, ({ plan }) => [plan.payment_id])
    const after = recordLedgerStep({ order_id: input.order_id, source_ids: voided })
    releaseOrderLockStep({ key })
    return new WorkflowResponse(
      transform({ after, voided }, ({ after, voided }) => ledgerEntryOf(after, voided[0])?.transaction ?? null)
    )
  }
)
