import OrderModule from "@medusajs/medusa/order"
import { defineLink } from "@medusajs/framework/utils"
import PaymentOrchestratorModule from "../modules/payment-orchestrator"

/** Read-only link through the ledger's `order_id` column: query.graph can walk from a Dispute line to its order. */
export default defineLink(
  { linkable: PaymentOrchestratorModule.linkable.orchestratorDispute, field: "order_id" },
  OrderModule.linkable.order,
  { readOnly: true }
)
