import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { claimWebhookEventStep } from "./steps/claim-webhook-event"
import { locatePspPaymentStep } from "./steps/locate-psp-payment"
import { recordWebhookOutcomeStep } from "./steps/record-webhook-outcome"
import { syncOrderOfEventStep, type EventWork } from "./steps/sync-order-of-event"
import { verifyPspEventStep, type SyncPspEventInput } from "./steps/verify-psp-event"

export { WEBHOOK_ORDER_LOCK } from "./steps/sync-order-of-event"

/**
 * One PSP webhook delivery (from Medusa's `payment.webhook_received`), exactly once however often and in whatever
 * order it arrives: verify the signature → find the Medusa payment → claim the PSP event id (a duplicate stops here)
 * → under the order's lock, sync the payment's refunds or the dispute from the PSP's current state, in one re-read
 * with the order's other events that this process is syncing → record the outcome on the event's row. Answers the
 * outcome, or null when there was nothing to do.
 */
export const syncPspEventWorkflow = createWorkflow("sync-psp-event", (input: SyncPspEventInput) => {
  const delivery = verifyPspEventStep(input)
  const target = locatePspPaymentStep({ delivery })
  const claim = claimWebhookEventStep({ delivery, target })
  const work = transform({ delivery, target, claim }, ({ delivery, target, claim }): EventWork | null =>
    delivery && target && claim?.claimed
      ? {
          kind: delivery.event.kind,
          target,
          dispute_id: delivery.event.dispute_id ?? delivery.event.object_id ?? "",
          event_id: delivery.event.event_id,
        }
      : null
  )
  const synced = syncOrderOfEventStep({ work })

  const outcome = transform({ delivery, target, claim, synced }, (data) => {
    if (!data.delivery) {
      return null
    }
    const { event } = data.delivery
    if (!data.target) {
      return `${event.event_id}: ignored, not a Medusa payment of this provider`
    }
    if (!data.claim?.claimed) {
      return `${event.event_id}: duplicate delivery, already processed`
    }
    return `${event.type} → order ${data.target.order_id}, payment ${data.target.payment_id}: ${data.synced ?? "nothing to do"}`
  })
  recordWebhookOutcomeStep({ claim, outcome: transform({ outcome }, ({ outcome }) => outcome ?? "") })
  return new WorkflowResponse(outcome)
})
