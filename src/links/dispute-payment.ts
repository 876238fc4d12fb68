import PaymentModule from "@medusajs/medusa/payment"
import { defineLink } from "@medusajs/framework/utils"
import PaymentOrchestratorModule from "../modules/payment-orchestrator"

/** Read-only link through the ledger's `payment_id` column: query.graph can walk from a Dispute line to its payment. */
export default defineLink(
  { linkable: PaymentOrchestratorModule.linkable.orchestratorDispute, field: "payment_id" },
  PaymentModule.linkable.payment,
  { readOnly: true }
)
