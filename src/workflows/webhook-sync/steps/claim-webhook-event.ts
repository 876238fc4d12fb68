import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SqlConnection } from "../../../modules/payment-orchestrator/instruction-store"
import { WEBHOOK_CLAIM_LEASE_SECONDS, WebhookClaims } from "../../../modules/payment-orchestrator/webhook-claims"
import type { PaymentTarget } from "../payment-sync"
import type { VerifiedDelivery } from "./verify-psp-event"

export interface WebhookClaim {
  id: string
  /** False: another delivery of the same PSP event has it (a duplicate): acknowledge and skip. */
  claimed: boolean
}

/** The webhook claims' SQL over Medusa's shared connection (the same one the plugin's module uses). */
export function webhookClaims(container: { resolve<T>(key: string): T }): WebhookClaims {
  return new WebhookClaims(container.resolve<SqlConnection>(ContainerRegistrationKeys.PG_CONNECTION))
}

/**
 * The first effectful step: claims the event under the unique (gateway, event_id) constraint, as `processing` with a
 * lease (`WEBHOOK_CLAIM_LEASE_SECONDS`). The delivery that inserts the row processes the event; a duplicate is skipped,
 * however many processes receive it at once. A claim still `processing` after its lease ran out belongs to a process
 * that died between the claim and its effect: the next delivery takes it over in the same statement (re-processing is
 * safe, the sync converges on the PSP's state), and the reconciler takes over those of the payment it checks. If a
 * later step fails, the compensation gives the claim up, so a redelivery or a retry can process it.
 */
export const claimWebhookEventStep = createStep(
  "claim-webhook-event",
  async (input: { delivery: VerifiedDelivery | null; target: PaymentTarget | null }, { container }) => {
    if (!input.delivery || !input.target) {
      return new StepResponse<WebhookClaim | null, string | null>(null, null)
    }
    const { event } = input.delivery
    const claim = await webhookClaims(container).claim(
      {
        gateway: event.gateway,
        event_id: event.event_id,
        event_type: event.type,
        object_id: event.object_id,
        payment_id: input.target.payment_id,
      },
      WEBHOOK_CLAIM_LEASE_SECONDS
    )
    if (claim.claimed && claim.attempts > 1) {
      container
        .resolve(ContainerRegistrationKeys.LOGGER)
        .warn(
          `[payment-orchestrator] ${event.gateway} event ${event.event_id} was claimed before and its processing never finished (the lease ran out); processing it again (attempt ${claim.attempts}).`
        )
    }
    return new StepResponse<WebhookClaim | null, string | null>(
      { id: claim.id, claimed: claim.claimed },
      claim.claimed ? claim.id : null
    )
  },
  async (claimedId, { container }) => {
    if (claimedId) {
      await webhookClaims(container).release(claimedId)
    }
  }
)
