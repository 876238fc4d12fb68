import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import type { ProviderWebhookPayload } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, PaymentWebhookEvents } from "@medusajs/framework/utils"
import { syncPspEventWorkflow } from "../workflows/webhook-sync"
import { webhookSyncOptionsOf } from "../workflows/webhook-sync/webhook-sync-options"

/**
 * Refunds and chargebacks made at Stripe or PayPal, from their webhooks at Medusa's standard URL
 * (`/hooks/payment/<identifier>_<id>`). Runs beside core's `payment-webhook-handler` on the same event and hands the
 * delivery to the `sync-psp-event` workflow, which verifies, deduplicates and records it.
 *
 * Medusa's webhook route has already answered the PSP 200, and the in-process event bus never retries, so a transient
 * failure (a PSP read that timed out, the order's lock held too long by another process) is retried here, or the effect
 * would wait for the payment's next event: `webhookSync.attempts` tries (default 5), waiting `webhookSync.retryDelayMs`
 * (default 1 s), then twice as long each time (1 s, 2 s, 4 s, 8 s), with jitter so a burst does not retry in step.
 * Then it is rethrown after logging, so an event bus that retries (Redis) delivers it again; the workflow has undone
 * its claim by then.
 */
export default async function pspWebhookSync({
  event,
  container,
}: SubscriberArgs<ProviderWebhookPayload>): Promise<void> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const { attempts, retryDelayMs } = webhookSyncOptionsOf(container.resolve(ContainerRegistrationKeys.CONFIG_MODULE))
  for (let attempt = 1; ; attempt++) {
    try {
      const { result } = await syncPspEventWorkflow(container).run({ input: event.data })
      if (result) {
        logger.info(`[payment-orchestrator] ${event.data.provider} webhook synced: ${result}`)
      }
      return
    } catch (e) {
      if (attempt < attempts) {
        await sleep(retryDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random()))
        continue
      }
      logger.error(
        `[payment-orchestrator] A ${event.data.provider} webhook could not be synced after ${attempts} attempts: ${(e as Error).message} Nothing of it was recorded as processed, so its next delivery (the event bus's retry, the PSP's redelivery) or the payment's next event syncs it.`
      )
      throw e
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export const config: SubscriberConfig = {
  event: PaymentWebhookEvents.WebhookReceived,
  context: { subscriberId: "payment-orchestrator-psp-webhook-sync" },
}
