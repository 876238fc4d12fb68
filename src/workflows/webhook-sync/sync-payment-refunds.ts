import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { recordLedgerStep } from "../ledger/steps"
import type { PaymentTarget } from "./payment-sync"
import { syncPspRefundsStep } from "./steps/sync-psp-refunds"

/**
 * After a PSP refund event: records the payment's refunds made at the PSP (dashboard, partial, several, failed later)
 * in Medusa, then brings the order's ledger in line. Run under the order's lock (`sync-psp-event`). Answers what it
 * did.
 */
export const syncPaymentRefundsWorkflow = createWorkflow("sync-payment-refunds", (input: PaymentTarget) => {
  const outcome = syncPspRefundsStep(input)
  recordLedgerStep({ order_id: input.order_id, payment_ids: [input.payment_id] })
  return new WorkflowResponse(outcome)
})
