import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { ILockingModule } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { ORDER_LOCK, orderLockKey } from "../../workflows/transactions/order-lock"

/**
 * Runs Medusa's own `POST /admin/payments/:id/capture|refund` under the same per-order lock as the transaction routes.
 * Without it, two of Medusa's requests at once (a double click, two admins) or one of them beside a transaction
 * route each read the payment's data before the other wrote it: the provider's record of a capture or refund was
 * lost (the last write won), and with it what the ledger and later refunds rely on. Payments of no order are locked
 * by their own id. A request that cannot get the lock in time answers 409 and changes nothing.
 */
export function serializePaymentAction() {
  return async function paymentActionLock(
    req: MedusaRequest,
    res: MedusaResponse,
    next: MedusaNextFunction
  ): Promise<void> {
    const paymentId = req.params.id
    const key = orderLockKey((await orderOfPayment(req, paymentId)) ?? `payment:${paymentId}`)
    const locking = req.scope.resolve<ILockingModule>(Modules.LOCKING)
    try {
      await locking.execute(
        key,
        () =>
          new Promise<void>((resolve) => {
            res.once("finish", resolve)
            res.once("close", resolve)
            next()
          }),
        { timeout: ORDER_LOCK.timeout }
      )
    } catch (e) {
      if (!res.headersSent) {
        next(
          new MedusaError(
            MedusaError.Types.CONFLICT,
            `Another payment action on this order is in progress: wait for it to finish, then retry. (${(e as Error).message})`
          )
        )
      }
    }
  }
}

async function orderOfPayment(req: MedusaRequest, paymentId: string): Promise<string | null> {
  try {
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data: payments } = await query.graph({
      entity: "payment",
      fields: ["payment_collection_id"],
      filters: { id: paymentId },
    })
    const collectionId = (payments[0] as { payment_collection_id?: string } | undefined)?.payment_collection_id
    if (!collectionId) {
      return null
    }
    const { data: links } = await query.graph({
      entity: "order_payment_collection",
      fields: ["order_id"],
      filters: { payment_collection_id: collectionId },
    })
    return (links[0] as { order_id?: string } | undefined)?.order_id ?? null
  } catch {
    return null
  }
}
