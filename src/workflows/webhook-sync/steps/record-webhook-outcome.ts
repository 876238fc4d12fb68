import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../../modules/payment-orchestrator"
import type PaymentOrchestratorModuleService from "../../../modules/payment-orchestrator/service"
import type { WebhookClaim } from "./claim-webhook-event"

/** Writes what processing the event did onto its row: the record of the effect, and the mark that it finished. */
export const recordWebhookOutcomeStep = createStep(
  "record-webhook-outcome",
  async (input: { claim: WebhookClaim | null; outcome: string }, { container }) => {
    if (!input.claim?.claimed) {
      return new StepResponse(null)
    }
    const module = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
    await module.updateOrchestratorWebhookEvents({ id: input.claim.id, outcome: input.outcome.slice(0, 2000) })
    return new StepResponse(input.outcome)
  }
)
