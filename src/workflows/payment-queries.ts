import type { RemoteQueryFunction } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/**
 * The fields of a Medusa payment's captures and refunds that the plugin's workflows read (exact amounts and when each
 * was made), for `query.graph` on `payment`; the ledger, the webhook sync and the reconciler add what each needs.
 */
export const CAPTURE_AND_REFUND_FIELDS = [
  "captures.id",
  "captures.amount",
  "captures.raw_amount",
  "captures.created_at",
  "refunds.id",
  "refunds.amount",
  "refunds.raw_amount",
  "refunds.created_at",
]

/** The order a payment collection belongs to (Medusa's order–payment-collection link), or null when none yet. */
export async function orderOfPaymentCollection(
  container: { resolve(key: string): unknown },
  paymentCollectionId: string | null | undefined
): Promise<string | null> {
  if (!paymentCollectionId) {
    return null
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY) as RemoteQueryFunction
  const { data } = await query.graph({
    entity: "order_payment_collection",
    fields: ["order_id"],
    filters: { payment_collection_id: paymentCollectionId },
  })
  return (data[0] as { order_id?: string } | undefined)?.order_id ?? null
}
