import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { readOrderLedgerStep } from "../ledger/steps"

/** The order's transactions, oldest first, as Medusa's payments and the ledger show them. Writes nothing. */
export const listOrderTransactionsWorkflow = createWorkflow(
  "list-order-transactions",
  (input: { order_id: string }) => {
    const ledger = readOrderLedgerStep({ order_id: input.order_id })
    return new WorkflowResponse(transform({ ledger }, ({ ledger }) => ledger.entries.map((e) => e.transaction)))
  }
)
