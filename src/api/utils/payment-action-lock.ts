import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { ILockingModule, Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import {
  acquireOrderLock,
  newLockOwner,
  OrderLockTimeoutError,
  orderLockKey,
  type OrderLockOptions,
} from "../../workflows/transactions/order-lock"

/**
 * Which lock a request takes: the order's key, or null to take none (the route then answers its own 404).
 */
export type OrderLockTarget = (req: MedusaRequest) => Promise<string | null>

/**
 * Runs one of Medusa's own routes that move money on an order under the order's lock (`order-lock.ts`), the same lock
 * as the transaction routes and the webhook sync. Without it, two actions on one order at once (a double click, two
 * admins, an admin beside a webhook) each read the payment before the other wrote it.
 *
 * The lock is taken with an owner of this request's own and held **until Medusa's handler has done its work**: the
 * handler answers (`res.end`) as its last act, after its workflow has run to completion, whether or not the client is
 * still there. A client that disconnects (the socket closes) does not release it; only the end of the handler does,
 * or, for a handler that never answers, the lease once renewal stops (`ORDER_LOCK.maxHold`). A request that cannot get
 * the lock within `ORDER_LOCK.timeout` answers 409 and changes nothing.
 */
export function lockOrderAction(target: OrderLockTarget, options: Pick<OrderLockOptions, "timeout"> = {}) {
  return async function orderActionLock(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
    const key = await target(req)
    if (!key) {
      return next()
    }
    const locking = req.scope.resolve<ILockingModule>(Modules.LOCKING)
    let lock
    try {
      lock = await acquireOrderLock(locking, key, newLockOwner("http"), {
        ...options,
        logger: req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER),
      })
    } catch (e) {
      if (e instanceof OrderLockTimeoutError) {
        return next(
          new MedusaError(
            MedusaError.Types.CONFLICT,
            `Another payment action on this order is in progress: wait for it to finish, then retry. (${e.message})`
          )
        )
      }
      return next(e)
    }
    const release = () => void lock.release().catch(() => undefined)
    releaseWhenHandlerAnswers(res, release)
    next()
  }
}

/**
 * Calls `release` once the handler has answered: when it calls `res.end` (Medusa's route handlers and its error
 * handler answer last), or when the response finishes. Never on `close`: a client that left does not end the handler.
 */
export function releaseWhenHandlerAnswers(res: MedusaResponse, release: () => void): void {
  let done = false
  const once = () => {
    if (!done) {
      done = true
      release()
    }
  }
  const end = res.end
  res.end = function (this: MedusaResponse, ...args: unknown[]) {
    try {
      return (end as (...a: unknown[]) => MedusaResponse).apply(this, args)
    } finally {
      once()
    }
  } as MedusaResponse["end"]
  res.once("finish", once)
}

/** `POST /admin/payments/:id/...`: the payment's order (payment → collection → order), else the payment itself. */
export const orderOfPaymentParam: OrderLockTarget = async (req) => {
  const paymentId = req.params.id
  const collectionId = await one<{ payment_collection_id?: string }>(req, "payment", ["payment_collection_id"], {
    id: paymentId,
  }).then((p) => p?.payment_collection_id)
  const orderId = collectionId ? await orderOfCollection(req, collectionId) : null
  return orderLockKey(orderId ?? `payment:${paymentId}`)
}

/** `POST /admin/payment-collections/:id/...`: the collection's order. */
export const orderOfPaymentCollectionParam: OrderLockTarget = async (req) => {
  const orderId = await orderOfCollection(req, req.params.id)
  return orderId ? orderLockKey(orderId) : null
}

/** `POST /admin/orders/:id/...` and `/admin/order-edits/:id/...` (an order edit is named by its order). */
export const orderParam: OrderLockTarget = async (req) => orderLockKey(req.params.id)

/** `POST /admin/returns|claims|exchanges/:id/...`: the order of that return, claim or exchange. */
export const orderOf =
  (entity: "return" | "order_claim" | "order_exchange"): OrderLockTarget =>
  async (req) => {
    const orderId = (await one<{ order_id?: string }>(req, entity, ["order_id"], { id: req.params.id }))?.order_id
    return orderId ? orderLockKey(orderId) : null
  }

async function orderOfCollection(req: MedusaRequest, collectionId: string): Promise<string | null> {
  return (
    (
      await one<{ order_id?: string }>(req, "order_payment_collection", ["order_id"], {
        payment_collection_id: collectionId,
      })
    )?.order_id ?? null
  )
}

async function one<T>(
  req: MedusaRequest,
  entity: string,
  fields: string[],
  filters: Record<string, unknown>
): Promise<T | undefined> {
  try {
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity, fields, filters })
    return data[0] as T | undefined
  } catch {
    return undefined
  }
}
