import { MedusaService } from "@medusajs/framework/utils"
import { InstructionStore, type SqlConnection } from "./instruction-store"
import { OrchestratorDispute } from "./models/orchestrator-dispute"
import { OrchestratorInstruction } from "./models/orchestrator-instruction"
import { OrchestratorPaymentRef } from "./models/orchestrator-payment-ref"
import { OrchestratorTransaction } from "./models/orchestrator-transaction"
import { OrchestratorWebhookEvent } from "./models/orchestrator-webhook-event"

/**
 * The plugin's own data: the order transaction ledger, disputes, processed webhook events, and the providers'
 * instructions (`instructions`: written here by the plugin's workflows only, claimed by the providers).
 */
export default class PaymentOrchestratorModuleService extends MedusaService({
  OrchestratorTransaction,
  OrchestratorDispute,
  OrchestratorWebhookEvent,
  OrchestratorInstruction,
  OrchestratorPaymentRef,
}) {
  private readonly cradle: Record<string, unknown>
  private store?: InstructionStore

  constructor(cradle: Record<string, unknown>, ...rest: unknown[]) {
    super(cradle, ...rest)
    this.cradle = cradle
  }

  get instructions(): InstructionStore {
    this.store ??= new InstructionStore(this.cradle.__pg_connection__ as SqlConnection)
    return this.store
  }
}
