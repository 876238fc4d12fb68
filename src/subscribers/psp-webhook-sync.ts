import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import type { ProviderWebhookPayload } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, PaymentWebhookEvents } from "@medusajs/framework/utils"
import { syncPspEventWorkflow } from "../workflows/webhook-sync"

/**
 * Refunds and chargebacks made at Stripe or PayPal, from their webhooks at Medusa's standard URL
 * (`/hooks/payment/<identifier>_<id>`). Runs beside core's `payment-webhook-handler` on the same event and hands the
 * delivery to the `sync-psp-event` workflow, which verifies, deduplicates and records it. A failure is rethrown after
 * logging, so an event bus that retries (Redis) delivers it again; the workflow has undone its claim by then.
 */
export default async function pspWebhookSync({
  event,
  container,
}: SubscriberArgs<ProviderWebhookPayload>): Promise<void> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    const { result } = await syncPspEventWorkflow(container).run({ input: event.data })
    if (result) {
      logger.info(`[payment-orchestrator] ${event.data.provider} webhook synced: ${result}`)
    }
  } catch (e) {
    logger.error(
      `[payment-orchestrator] A ${event.data.provider} webhook could not be synced: ${(e as Error).message} Nothing of it was recorded as processed, so its next delivery (the event bus's retry, the PSP's redelivery) or the payment's next event syncs it.`
    )
    throw e
  }
}

export const config: SubscriberConfig = {
  event: PaymentWebhookEvents.WebhookReceived,
  context: { subscriberId: "payment-orchestrator-psp-webhook-sync" },
}
