import type { RemoteQueryFunction } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { GatewayName } from "../gateways/types"
import { readRecord } from "../payment-record/record"
import type { PaymentRecord } from "../payment-record/schema"
import { identifierOf } from "../providers/provider-registry"

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

/** One of an order's payments made with the plugin's providers, with its record read through the whitelist. */
export interface PluginPaymentOfOrder {
  id: string
  provider_id: string
  currency_code: string
  canceled_at: unknown
  gateway: GatewayName
  /** Null when the record cannot be read (one written by a newer plugin version): `unreadable` says why. */
  record: PaymentRecord | null
  unreadable: string | null
  /** Only with the `captures.raw_amount` / `refunds.raw_amount` extra fields. */
  captures?: { raw_amount: unknown }[]
  refunds?: { raw_amount: unknown }[]
}

/**
 * An order's status and its payments made with the plugin's providers; payments of other providers, also those with
 * the same identifier (the official Stripe provider beside the plugin's), are left out. `extraFields` are payment
 * fields to read as well (`captures.raw_amount`, …).
 */
export async function pluginPaymentsOfOrder(
  container: { resolve(key: string): unknown },
  orderId: string,
  extraFields: string[] = []
): Promise<{ status: string | null; payments: PluginPaymentOfOrder[] }> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY) as RemoteQueryFunction
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "status",
      ...["id", "provider_id", "currency_code", "data", "canceled_at", ...extraFields].map(
        (field) => `payment_collections.payments.${field}`
      ),
    ],
    filters: { id: orderId },
  })
  type Row = Omit<PluginPaymentOfOrder, "gateway" | "record" | "unreadable"> & { data: Record<string, unknown> | null }
  const order = data[0] as { status?: string; payment_collections?: { payments?: Row[] }[] } | undefined
  const payments: PluginPaymentOfOrder[] = []
  for (const { data: paymentData, ...row } of (order?.payment_collections ?? []).flatMap((c) => c?.payments ?? [])) {
    const gateway = identifierOf(row.provider_id)
    if (!gateway || paymentData?.gateway !== gateway) {
      continue
    }
    try {
      payments.push({ ...row, gateway, record: readRecord(paymentData, gateway), unreadable: null })
    } catch (e) {
      payments.push({ ...row, gateway, record: null, unreadable: (e as Error).message })
    }
  }
  return { status: order?.status ?? null, payments }
}
