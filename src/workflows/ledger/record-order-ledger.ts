import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { recordLedgerTargetStep, resolveLedgerTargetStep } from "./steps"

/**
 * Writes the ledger rows of a payment (`payment_id`) or of every payment of an order (`order_id`) after money moved
 * outside the plugin's own workflows: Medusa's capture and refund routes, order cancel, the authorization at checkout.
 * Run by the ledger subscribers. Answers how many lines the ledger has.
 */
export const recordOrderLedgerWorkflow = createWorkflow(
  "record-order-ledger",
  (input: { order_id?: string; payment_id?: string }) => {
    const target = resolveLedgerTargetStep(input)
    return new WorkflowResponse(recordLedgerTargetStep(target))
  }
)
