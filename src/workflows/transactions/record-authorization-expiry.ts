import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { recordLedgerStep } from "../ledger/steps"
import { recordAuthorizationExpiryStep } from "./steps/record-authorization-expiry"

/**
 * After the PSP refused a capture because the authorization expired: remember it on the payment and write the
 * authorize line's row, so the authorize transaction shows `expired_uncaptured_charge` with `cancel` as its next action.
 */
export const recordAuthorizationExpiryWorkflow = createWorkflow(
  "record-authorization-expiry",
  (input: { order_id: string; payment_id: string; psp_status?: string | null }) => {
    recordAuthorizationExpiryStep({ payment_id: input.payment_id, psp_status: input.psp_status })
    return new WorkflowResponse(recordLedgerStep({ order_id: input.order_id, source_ids: [input.payment_id] }))
  }
)
