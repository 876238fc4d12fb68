import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { webhookClaims, type WebhookClaim } from "./claim-webhook-event"

/** Writes what processing the event did onto its row and ends the claim (`done`): the mark that it finished. */
export const recordWebhookOutcomeStep = createStep(
  "record-webhook-outcome",
  async (input: { claim: WebhookClaim | null; outcome: string }, { container }) => {
    if (!input.claim?.claimed) {
      return new StepResponse(null)
    }
    await webhookClaims(container).finish(input.claim.id, input.outcome)
    return new StepResponse(input.outcome)
  }
)
