import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { recordAuthorizationExpiryStep } from "./steps/record-authorization-expiry"
import { reconcileOrderLedgerStep } from "./steps/reconcile-order-ledger"

/**
 * After the PSP refused a capture because the authorization expired: remember it on the payment and bring the ledger
 * in line, so the authorize transaction shows `expired_uncaptured_charge` with `cancel` as its next action.
 */
export const recordAuthorizationExpiryWorkflow = createWorkflow(
  "record-authorization-expiry",
  (input: { order_id: string; payment_id: string; psp_status?: string | null }) => {
    recordAuthorizationExpiryStep({ payment_id: input.payment_id, psp_status: input.psp_status })
    return new WorkflowResponse(reconcileOrderLedgerStep({ order_id: input.order_id }))
  }
)
