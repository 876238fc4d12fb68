import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { recordLedgerStep } from "../ledger/steps"
import type { PaymentTarget } from "./payment-sync"
import { syncPspRefundsStep } from "./steps/sync-psp-refunds"

/**
 * After a PSP refund event: records the payment's refunds made at the PSP (dashboard, partial, several, failed later)
 * in Medusa, then brings the order's ledger in line where Medusa's own `payment.refunded` does not. Run under the
 * order's lock (`sync-psp-event`). Answers what it did.
 */
export const syncPaymentRefundsWorkflow = createWorkflow("sync-payment-refunds", (input: PaymentTarget) => {
  const synced = syncPspRefundsStep(input)
  // A re-read that found everything in line (another event of the same refund got there first) leaves the ledger be,
  // and so does a refund recorded through Medusa's refund workflow: its `payment.refunded` writes the ledger.
  when({ synced }, ({ synced }) => synced.ledger_stale).then(() => {
    recordLedgerStep({ order_id: input.order_id, payment_ids: [input.payment_id] })
  })
  return new WorkflowResponse(transform({ synced }, ({ synced }) => synced.outcome))
})
