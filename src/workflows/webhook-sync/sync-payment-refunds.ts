import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { reconcileOrderLedgerStep } from "../transactions/steps/reconcile-order-ledger"
import type { PaymentTarget } from "./payment-sync"
import { syncPspRefundsStep } from "./steps/sync-psp-refunds"

/**
 * After a PSP refund event: records the payment's refunds made at the PSP (dashboard, partial, several, failed later)
 * in Medusa, then brings the order's ledger in line. Run under the order's lock (`sync-psp-event`). Answers what it
 * did.
 */
export const syncPaymentRefundsWorkflow = createWorkflow("sync-payment-refunds", (input: PaymentTarget) => {
  const outcome = syncPspRefundsStep(input)
  reconcileOrderLedgerStep({ order_id: input.order_id })
  return new WorkflowResponse(outcome)
})
