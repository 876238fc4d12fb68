import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../../modules/payment-orchestrator"
import type PaymentOrchestratorModuleService from "../../../modules/payment-orchestrator/service"
import type { PaymentTarget } from "../payment-sync"
import type { VerifiedDelivery } from "./verify-psp-event"

export interface WebhookClaim {
  id: string
  /** False: another delivery of the same PSP event has it (a duplicate): acknowledge and skip. */
  claimed: boolean
}

/**
 * A claim that was never finished (no outcome) this long after it was made belongs to a process that died while
 * processing it: another delivery may take it over. Re-processing is safe, the sync converges on the PSP's state.
 */
export const STALE_CLAIM_MS = 10 * 60 * 1000

interface EventRow {
  id: string
  outcome: string | null
  updated_at: Date | string
}

/**
 * The first effectful step: inserts the event's row under the unique (gateway, event_id) constraint. The insert that
 * wins processes the event; a duplicate delivery fails to insert and is skipped, however many processes receive it
 * at once. If a later step fails, the compensation deletes the row, so a redelivery or a retry can process it.
 */
export const claimWebhookEventStep = createStep(
  "claim-webhook-event",
  async (input: { delivery: VerifiedDelivery | null; target: PaymentTarget | null }, { container }) => {
    if (!input.delivery || !input.target) {
      return new StepResponse<WebhookClaim | null, string | null>(null, null)
    }
    const { event } = input.delivery
    const module = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
    const row = { gateway: event.gateway, event_id: event.event_id, event_type: event.type, object_id: event.object_id }
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const created = (await module.createOrchestratorWebhookEvents(row)) as unknown as EventRow
        return new StepResponse<WebhookClaim | null, string | null>({ id: created.id, claimed: true }, created.id)
      } catch (e) {
        if (!isDuplicate(e)) {
          throw e
        }
        const [existing] = (await module.listOrchestratorWebhookEvents({
          gateway: event.gateway,
          event_id: event.event_id,
        })) as unknown as EventRow[]
        if (!existing) {
          continue
        }
        const stale = existing.outcome === null && Date.now() - new Date(existing.updated_at).getTime() > STALE_CLAIM_MS
        if (!stale || attempt > 0) {
          return new StepResponse<WebhookClaim | null, string | null>({ id: existing.id, claimed: false }, null)
        }
        container
          .resolve(ContainerRegistrationKeys.LOGGER)
          .warn(
            `[payment-orchestrator] ${event.gateway} event ${event.event_id} was claimed ${existing.updated_at} and never finished; processing it again.`
          )
        await module.deleteOrchestratorWebhookEvents(existing.id)
      }
    }
    throw new Error(`Could not claim ${event.gateway} event ${event.event_id}; it will be processed when redelivered.`)
  },
  async (claimedId, { container }) => {
    if (claimedId) {
      await container
        .resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
        .deleteOrchestratorWebhookEvents(claimedId)
    }
  }
)

function isDuplicate(e: unknown): boolean {
  const error = e as { type?: string; code?: string; message?: string }
  return (
    error?.type === "duplicate_error" ||
    error?.code === "23505" ||
    /already exists|unique constraint|duplicate key/i.test(error?.message ?? "")
  )
}
