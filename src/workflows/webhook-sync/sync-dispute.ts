import { createWorkflow, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { recordLedgerStep } from "../ledger/steps"
import type { PaymentTarget } from "./payment-sync"
import { fetchPspDisputeStep } from "./steps/fetch-psp-dispute"
import { recordChargebackStep } from "./steps/record-chargeback"
import { upsertDisputeStep } from "./steps/upsert-dispute"

export interface SyncDisputeInput extends PaymentTarget {
  dispute_id: string
  event_id: string
}

/**
 * After a PSP dispute event: reads the dispute as the PSP holds it now, records it (row, status history, the disputed
 * capture), records a lost one as a chargeback refund in Medusa, and brings the order's ledger in line when the row
 * changed what it shows (new, another status, tied to its capture only now: the capture shows `chargeback-initiated`
 * while open, `reversed` once lost). Run under the order's lock. Answers what it did.
 */
export const syncDisputeWorkflow = createWorkflow("sync-dispute", (input: SyncDisputeInput) => {
  const dispute = fetchPspDisputeStep({ provider_id: input.provider_id, dispute_id: input.dispute_id })
  const target = { payment_id: input.payment_id, order_id: input.order_id, provider_id: input.provider_id }
  const row = upsertDisputeStep({ target, dispute, event_id: input.event_id })
  const outcome = recordChargebackStep({ target, dispute, row })
  // The capture's line follows the dispute's status; a second event about a dispute whose status did not change (its
  // funds withdrawn, say) leaves the ledger be.
  when({ row }, ({ row }) => row.ledger_stale).then(() => {
    recordLedgerStep({ order_id: input.order_id, payment_ids: [input.payment_id] })
  })
  return new WorkflowResponse(outcome)
})
