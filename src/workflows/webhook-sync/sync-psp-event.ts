import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { orderLockKey } from "../transactions/order-lock"
import { acquireOrderLockStep, releaseOrderLockStep } from "../transactions/order-lock-steps"
import { claimWebhookEventStep } from "./steps/claim-webhook-event"
import { locatePspPaymentStep } from "./steps/locate-psp-payment"
import { recordWebhookOutcomeStep } from "./steps/record-webhook-outcome"
import { verifyPspEventStep, type SyncPspEventInput } from "./steps/verify-psp-event"
import { syncDisputeWorkflow } from "./sync-dispute"
import { syncPaymentRefundsWorkflow } from "./sync-payment-refunds"

/**
 * The order lock the webhook sync takes: the same key as the transaction API's actions, so a webhook and an admin's
 * capture or refund of the same order never interleave. A longer wait than the API's: several events of one order
 * arrive together.
 */
export const WEBHOOK_ORDER_LOCK = { timeout: 30, ttl: 120, retryInterval: 0.5 }

/**
 * One PSP webhook delivery (from Medusa's `payment.webhook_received`), exactly once however often and in whatever
 * order it arrives: verify the signature → find the Medusa payment → claim the PSP event id (a duplicate stops here)
 * → under the order's lock, sync the payment's refunds or the dispute from the PSP's current state → record the
 * outcome on the event's row. Answers the outcome, or null when there was nothing to do.
 */
export const syncPspEventWorkflow = createWorkflow("sync-psp-event", (input: SyncPspEventInput) => {
  const delivery = verifyPspEventStep(input)
  const target = locatePspPaymentStep({ delivery })
  const claim = claimWebhookEventStep({ delivery, target })
  const work = transform({ delivery, target, claim }, ({ delivery, target, claim }) =>
    delivery && target && claim?.claimed
      ? {
          kind: delivery.event.kind,
          lock: orderLockKey(target.order_id),
          refunds: target,
          dispute: {
            ...target,
            dispute_id: delivery.event.dispute_id ?? delivery.event.object_id ?? "",
            event_id: delivery.event.event_id,
          },
        }
      : null
  )

  when("lock-order-for-webhook", { work }, ({ work }) => !!work).then(() => {
    acquireOrderLockStep({ key: work.lock, ...WEBHOOK_ORDER_LOCK })
  })
  const refunds = when("sync-refunds-of-event", { work }, ({ work }) => work?.kind === "refund").then(() =>
    syncPaymentRefundsWorkflow.runAsStep({ input: work.refunds })
  )
  const dispute = when("sync-dispute-of-event", { work }, ({ work }) => work?.kind === "dispute").then(() =>
    syncDisputeWorkflow.runAsStep({ input: work.dispute })
  )
  when("release-order-for-webhook", { work }, ({ work }) => !!work).then(() => {
    releaseOrderLockStep({ key: work.lock })
  })

  const outcome = transform({ delivery, target, claim, refunds, dispute }, (data) => {
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
    return `${event.type} → order ${data.target.order_id}, payment ${data.target.payment_id}: ${(data.refunds ?? data.dispute ?? "nothing to do") as string}`
  })
  recordWebhookOutcomeStep({ claim, outcome: transform({ outcome }, ({ outcome }) => outcome ?? "") })
  return new WorkflowResponse(outcome)
})
