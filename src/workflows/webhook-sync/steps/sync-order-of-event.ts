import type { ILockingModule, Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { acquireOrderLock, newLockOwner, orderLockKey, OrderLockTimeoutError } from "../../transactions/order-lock"
import { OrderSyncQueue } from "../order-sync-queue"
import type { PaymentTarget } from "../payment-sync"
import { syncDisputeWorkflow } from "../sync-dispute"
import { syncPaymentRefundsWorkflow } from "../sync-payment-refunds"
import { webhookSyncOptionsOf } from "../webhook-sync-options"

/**
 * The order lock the webhook sync takes: the same key as the transaction API's actions, so a webhook and an admin's
 * capture or refund of the same order never interleave. A longer wait than the API's: another process may be syncing
 * the same order.
 */
export const WEBHOOK_ORDER_LOCK = { timeout: 30, ttl: 120, retryInterval: 0.5 }

/** This process's queue of webhook syncs, by order. */
export const orderSyncQueue = new OrderSyncQueue()

export interface EventWork {
  kind: "refund" | "dispute"
  target: PaymentTarget
  dispute_id: string
  event_id: string
}

/**
 * Brings Medusa in line with the PSP's current state of what the event is about — the payment's refunds, or the
 * dispute — under the order's lock, coalesced with the other events of the order that this process is syncing (see
 * `order-sync-queue.ts`): one re-read of the PSP covers every event that arrived before it started. Answers what the
 * sync did. A failure fails every event the re-read was for; each gives its claim up and is retried.
 */
export const syncOrderOfEventStep = createStep(
  "sync-order-of-event",
  async (input: { work: EventWork | null }, { container }) => {
    const work = input.work
    if (!work) {
      return new StepResponse<string | null>(null)
    }
    const { target } = work
    const job =
      work.kind === "refund"
        ? {
            key: `refunds:${target.payment_id}`,
            run: async () => (await syncPaymentRefundsWorkflow(container).run({ input: target })).result as string,
          }
        : {
            key: `dispute:${work.dispute_id}`,
            run: async () =>
              (
                await syncDisputeWorkflow(container).run({
                  input: { ...target, dispute_id: work.dispute_id, event_id: work.event_id },
                })
              ).result as string,
          }
    const lock = async () => {
      try {
        return await acquireOrderLock(
          container.resolve<ILockingModule>(Modules.LOCKING),
          orderLockKey(target.order_id),
          newLockOwner("webhook-sync"),
          { ...WEBHOOK_ORDER_LOCK, logger: container.resolve<Logger>(ContainerRegistrationKeys.LOGGER) }
        )
      } catch (e) {
        if (e instanceof OrderLockTimeoutError) {
          throw new MedusaError(
            MedusaError.Types.CONFLICT,
            `Another payment action on order ${target.order_id} held its lock for more than ${e.seconds} s, so the PSP's changes were not synced yet; the event is retried.`
          )
        }
        throw e
      }
    }
    orderSyncQueue.setMaxRounds(
      webhookSyncOptionsOf(container.resolve(ContainerRegistrationKeys.CONFIG_MODULE)).concurrency
    )
    return new StepResponse<string | null>(await orderSyncQueue.submit(target.order_id, job, lock))
  }
)
