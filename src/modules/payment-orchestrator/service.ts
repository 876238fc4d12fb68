import { MedusaService } from "@medusajs/framework/utils"
import { OrchestratorDispute } from "./models/orchestrator-dispute"
import { OrchestratorTransaction } from "./models/orchestrator-transaction"
import { OrchestratorWebhookEvent } from "./models/orchestrator-webhook-event"

/** The plugin's own data: the order transaction ledger, disputes and processed webhook events. */
export default class PaymentOrchestratorModuleService extends MedusaService({
  OrchestratorTransaction,
  OrchestratorDispute,
  OrchestratorWebhookEvent,
}) {}
