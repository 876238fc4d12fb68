import type { ProviderWebhookPayload } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { resolveSyncProvider, toProviderId } from "../../../providers/provider-registry"
import { WebhookVerificationError, type VerifiedPspEvent } from "../../../providers/webhook-sync-types"

export interface SyncPspEventInput {
  /** The webhook URL's provider segment (`stripe_stripe`) or the provider id. */
  provider: string
  payload: ProviderWebhookPayload["payload"]
}

export interface VerifiedDelivery {
  provider_id: string
  event: VerifiedPspEvent
}

/**
 * Verifies the delivery's signature before anything else happens. Null when there is nothing to do: another
 * provider's webhook, an event the sync does not act on, or a delivery that cannot be trusted (unsigned, forged,
 * stale), which is logged with the reason and never with the body.
 */
export const verifyPspEventStep = createStep("verify-psp-event", async (input: SyncPspEventInput, { container }) => {
  const provider = resolveSyncProvider(container, input.provider)
  if (!provider || !provider.syncedEventKind(input.payload)) {
    return new StepResponse<VerifiedDelivery | null>(null)
  }
  try {
    const event = await provider.verifyWebhookEvent(input.payload)
    return new StepResponse<VerifiedDelivery | null>(
      event ? { provider_id: toProviderId(input.provider), event } : null
    )
  } catch (e) {
    if (!(e instanceof WebhookVerificationError)) {
      throw e
    }
    const claimed = (input.payload.data ?? {}) as { type?: unknown; event_type?: unknown }
    const type = String(claimed.type ?? claimed.event_type ?? "unknown").slice(0, 80)
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(
        `[payment-orchestrator] Rejected a ${provider.pspName} webhook to /hooks/payment/${input.provider} (claims to be ${type}): ${e.message}. Nothing was changed. If this was a genuine event, check the provider's ${provider.pspName === "stripe" ? "webhookSecret" : "webhookId"} option.`
      )
    return new StepResponse<VerifiedDelivery | null>(null)
  }
})
