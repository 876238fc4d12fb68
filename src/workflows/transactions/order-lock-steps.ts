import type { ILockingModule, Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse, type StepExecutionContext } from "@medusajs/framework/workflows-sdk"
import { acquireOrderLock, OrderLockTimeoutError, type HeldOrderLock, type OrderLockOptions } from "./order-lock"

export interface OrderLockStepInput extends Pick<OrderLockOptions, "timeout" | "ttl" | "retryInterval" | "maxHold"> {
  key: string
}

/** The locks this process holds for workflow runs, by key and owner: the release step stops their renewal. */
const held = new Map<string, HeldOrderLock>()
const heldId = (key: string, owner: string) => `${key}\u0000${owner}`

/**
 * The owner of a workflow run's lock: the run's own transaction id, so the release step (and the compensation) of the
 * same run name the same owner without passing it along, and no other run can.
 */
function workflowOwner(context: StepExecutionContext): string {
  const transactionId = context.transactionId ?? context.idempotencyKey.split(":")[1]
  return `workflow:${context.workflowId}:${transactionId}`
}

async function release(container: StepExecutionContext["container"], key: string, owner: string): Promise<boolean> {
  const lock = held.get(heldId(key, owner))
  held.delete(heldId(key, owner))
  if (lock) {
    return lock.release()
  }
  // Taken by another process of this run (a resumed workflow): release by owner all the same.
  return container.resolve<ILockingModule>(Modules.LOCKING).release(key, { ownerId: owner })
}

/**
 * Takes the order's lock for this workflow run (see `order-lock.ts`): owner = the run, lease renewed while held.
 * Replaces Medusa's `acquireLockStep`, whose locks have no owner (anyone's `releaseLockStep` releases them) and whose
 * lease is fixed. Like Medusa's, it does nothing when the workflow runs as a step of another one (the parent holds
 * the lock). If the run fails later, its compensation releases the lock.
 */
export const acquireOrderLockStep = createStep(
  "acquire-order-lock",
  async (input: OrderLockStepInput, context) => {
    if (context.parentStepIdempotencyKey) {
      return new StepResponse(null, null)
    }
    const { container } = context
    const owner = workflowOwner(context)
    try {
      const lock = await acquireOrderLock(container.resolve<ILockingModule>(Modules.LOCKING), input.key, owner, {
        timeout: input.timeout,
        ttl: input.ttl,
        retryInterval: input.retryInterval,
        maxHold: input.maxHold,
        logger: container.resolve<Logger>(ContainerRegistrationKeys.LOGGER),
      })
      held.set(heldId(input.key, owner), lock)
    } catch (e) {
      if (e instanceof OrderLockTimeoutError) {
        throw new MedusaError(
          MedusaError.Types.CONFLICT,
          `Another payment action on this order is in progress (timed out acquiring its lock after ${e.seconds} s): wait for it to finish, then retry.`
        )
      }
      throw e
    }
    const taken: { key: string; owner: string } | null = { key: input.key, owner }
    return new StepResponse(taken, taken)
  },
  async (taken, { container }) => {
    if (taken) {
      await release(container, taken.key, taken.owner)
    }
  }
)

/** Releases the order's lock that this workflow run took with `acquireOrderLockStep`, and only that one. */
export const releaseOrderLockStep = createStep("release-order-lock", async (input: { key: string }, context) => {
  if (context.parentStepIdempotencyKey) {
    return new StepResponse(false)
  }
  return new StepResponse(await release(context.container, input.key, workflowOwner(context)))
})
