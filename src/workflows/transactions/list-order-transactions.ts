import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { reconcileOrderLedgerStep } from "./steps/reconcile-order-ledger"

/** The order's transactions, oldest first, after bringing the ledger in line with Medusa's payments. */
export const listOrderTransactionsWorkflow = createWorkflow(
  "list-order-transactions",
  (input: { order_id: string }) => {
    const ledger = reconcileOrderLedgerStep({ order_id: input.order_id })
    return new WorkflowResponse(transform({ ledger }, ({ ledger }) => ledger.entries.map((e) => e.transaction)))
  }
)
