import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { readOrderLedger, recordOrderLedger, type LedgerWriteTarget, type OrderLedger } from "./order-ledger"
import { orderOfPaymentCollection } from "../payment-queries"

/** The order's ledger as it stands (`readOrderLedger`): writes nothing, so a workflow may read it before validating. */
export const readOrderLedgerStep = createStep(
  "read-order-ledger",
  async (input: { order_id: string }, { container }) => {
    return new StepResponse(await readOrderLedger(container, input.order_id))
  }
)

/**
 * Writes the ledger rows of the Medusa records that just moved money (`recordOrderLedger`: those records and their
 * parents; `payment_ids` for every line of some payments) and answers the ledger after it, in which the caller finds
 * its new transaction with `ledgerEntryOf(ledger, medusa_id)`. Nothing to undo: the rows follow Medusa's records.
 */
export const recordLedgerStep = createStep(
  "record-ledger",
  async (input: { order_id: string } & LedgerWriteTarget, { container }) => {
    return new StepResponse<OrderLedger>(await recordOrderLedger(container, input.order_id, input))
  }
)

/**
 * For the subscribers: the order a payment belongs to and the payments to record — the one named, or every payment
 * of the order.
 */
export const resolveLedgerTargetStep = createStep(
  "resolve-ledger-target",
  async (input: { order_id?: string; payment_id?: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    if (input.payment_id) {
      const { data: payments } = await query.graph({
        entity: "payment",
        fields: ["id", "payment_collection_id"],
        filters: { id: input.payment_id },
      })
      const collectionId = (payments[0] as { payment_collection_id?: string } | undefined)?.payment_collection_id
      const orderId = (await orderOfPaymentCollection(container, collectionId)) ?? input.order_id ?? null
      return new StepResponse(orderId ? { order_id: orderId, payment_ids: [input.payment_id] } : null)
    }
    if (!input.order_id) {
      return new StepResponse(null)
    }
    const { data: orders } = await query.graph({
      entity: "order",
      fields: ["id", "payment_collections.payments.id"],
      filters: { id: input.order_id },
    })
    const order = orders[0] as { payment_collections?: { payments?: { id: string }[] }[] } | undefined
    const paymentIds = (order?.payment_collections ?? []).flatMap((c) => (c?.payments ?? []).map((p) => p.id))
    return new StepResponse(order ? { order_id: input.order_id, payment_ids: paymentIds } : null)
  }
)

/** Writes the ledger rows of a target found by `resolveLedgerTargetStep` (nothing when there is none). */
export const recordLedgerTargetStep = createStep(
  "record-ledger-target",
  async (input: { order_id: string; payment_ids: string[] } | null, { container }) => {
    if (!input || input.payment_ids.length === 0) {
      return new StepResponse(0)
    }
    const ledger = await recordOrderLedger(container, input.order_id, { payment_ids: input.payment_ids })
    return new StepResponse(ledger.entries.length)
  }
)
