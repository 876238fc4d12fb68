/**
 * Reads and writes of the reconciler outside the pure plan: one payment as Medusa, the plugin's instructions and the
 * PSP hold it, and the Medusa rows a crash left half-written (Medusa's `captured_at`, the order transaction, the
 * payment collection's totals). Every write checks first, so a second run writes nothing.
 */
import type { IOrderModuleService, IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import type { GatewayDispute, GatewayPayment, GatewayRefund } from "../../gateways/types"
import type { SqlConnection } from "../../modules/payment-orchestrator/instruction-store"
import { readRecord, recordGateway } from "../../payment-record/record"
import { resolveSyncProvider } from "../../providers/provider-registry"
import type { WebhookSyncProvider } from "../../providers/webhook-sync-types"
import { toMinorUnits } from "../../utils/money"
import type { ReconcileState, StartedAttempt } from "./reconcile-plan"
import { CAPTURE_AND_REFUND_FIELDS } from "../payment-queries"

/** The PSP reads the reconciler needs of a provider (`provider-base.ts`, block "Reconciliation"). */
export interface ReconcileProvider extends WebhookSyncProvider {
  retrievePspPayment(reference: string): Promise<GatewayPayment>
}

export function resolveReconcileProvider(container: MedusaContainer, providerId: string): ReconcileProvider {
  const provider = resolveSyncProvider(container, providerId) as ReconcileProvider | null
  if (!provider || typeof provider.retrievePspPayment !== "function") {
    throw new Error(
      `Provider ${providerId} is not one of medusa-payment-orchestrator's loaded providers, so its payments cannot be reconciled.`
    )
  }
  return provider
}

export interface ReconcileTarget {
  payment_id: string
  order_id: string
  provider_id: string
}

interface PaymentRow {
  id: string
  provider_id: string
  currency_code: string
  amount: unknown
  raw_amount?: unknown
  captured_at: string | Date | null
  canceled_at: string | Date | null
  payment_collection_id: string
  data: Record<string, unknown> | null
  captures?: { id: string; amount: unknown; raw_amount?: unknown; created_at: string | Date }[]
  refunds?: { id: string; amount: unknown; raw_amount?: unknown; created_at: string | Date; metadata?: unknown }[]
}

export async function readPaymentRow(container: MedusaContainer, paymentId: string): Promise<PaymentRow | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "payment",
    fields: [
      "id",
      "provider_id",
      "currency_code",
      "amount",
      "raw_amount",
      "captured_at",
      "canceled_at",
      "payment_collection_id",
      "data",
      ...CAPTURE_AND_REFUND_FIELDS,
      "refunds.metadata",
    ],
    filters: { id: paymentId },
  })
  return (data[0] as PaymentRow | undefined) ?? null
}

const iso = (d: string | Date | null | undefined) => (d ? new Date(d).toISOString() : null)

/** The plugin's attempt marks of a payment that are still `started`. */
async function startedAttempts(container: MedusaContainer, reference: string): Promise<StartedAttempt[]> {
  const db = container.resolve<SqlConnection>(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await db.raw(
    `SELECT id, kind, medusa_id, options FROM orchestrator_instruction
     WHERE reference = ? AND state = 'started' AND kind IN ('capture', 'refund') AND deleted_at IS NULL`,
    [reference]
  )
  return rows.map((r) => ({
    id: r.id as string,
    kind: r.kind as "capture" | "refund",
    medusa_id: (r.medusa_id as string | null) ?? null,
    options: (typeof r.options === "string" ? JSON.parse(r.options) : (r.options ?? {})) as StartedAttempt["options"],
  }))
}

/** One payment as Medusa, the instructions and the PSP hold it now. */
export async function readReconcileState(
  container: MedusaContainer,
  target: ReconcileTarget,
  psp?: { payment: GatewayPayment; refunds: GatewayRefund[] }
): Promise<ReconcileState> {
  const row = await readPaymentRow(container, target.payment_id)
  if (!row) {
    throw new Error(`Payment ${target.payment_id} was not found, so it cannot be reconciled.`)
  }
  const gateway = recordGateway(row.data)
  if (!gateway) {
    throw new Error(`Payment ${row.id} was not made by medusa-payment-orchestrator's providers.`)
  }
  const record = readRecord(row.data, gateway)
  const currency = row.currency_code.toLowerCase()
  const minor = (r: { amount: unknown; raw_amount?: unknown }) =>
    toMinorUnits((r.raw_amount ?? r.amount) as never, currency)
  const provider = resolveReconcileProvider(container, target.provider_id)
  const payment = psp?.payment ?? (await provider.retrievePspPayment(record.reference))
  const refunds = psp?.refunds ?? (await provider.listPspRefunds(record.reference))
  return {
    gateway,
    currency,
    record,
    medusa: {
      amount: minor(row),
      captured_at: iso(row.captured_at),
      canceled_at: iso(row.canceled_at),
      captures: (row.captures ?? []).map((c) => ({ id: c.id, amount: minor(c), created_at: iso(c.created_at)! })),
      refunds: (row.refunds ?? []).map((r) => ({
        id: r.id,
        amount: minor(r),
        created_at: iso(r.created_at)!,
        metadata: (r.metadata as Record<string, unknown> | null) ?? null,
      })),
    },
    started: await startedAttempts(container, record.reference),
    psp: payment,
    psp_refunds: refunds,
  }
}

export async function listPspDisputesOf(
  container: MedusaContainer,
  target: ReconcileTarget,
  reference: string
): Promise<GatewayDispute[]> {
  return resolveReconcileProvider(container, target.provider_id).listPspDisputes(reference)
}

/**
 * Completes in Medusa what its capture or refund workflow would have written after the provider answered: the order
 * transaction of the capture or refund (when missing), Medusa's `captured_at` once the payment is fully captured, and
 * the payment collection's totals. Answers what it wrote.
 */
export async function completeMedusaRows(
  container: MedusaContainer,
  target: ReconcileTarget,
  source: { kind: "capture" | "refund"; id: string }
): Promise<string[]> {
  const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const orders = container.resolve<IOrderModuleService>(Modules.ORDER)
  const row = await readPaymentRow(container, target.payment_id)
  if (!row) {
    return []
  }
  const done: string[] = []
  const rows = source.kind === "capture" ? (row.captures ?? []) : (row.refunds ?? [])
  const medusaRow = rows.find((r) => r.id === source.id)
  if (!medusaRow) {
    return []
  }
  const existing = await orders.listOrderTransactions({ reference_id: source.id } as never, { take: 1 })
  if (existing.length === 0) {
    const amount = (medusaRow.raw_amount ?? medusaRow.amount) as never
    await orders.addOrderTransactions({
      order_id: target.order_id,
      amount: source.kind === "capture" ? amount : MathBN.mult(amount, -1),
      currency_code: row.currency_code,
      reference: source.kind,
      reference_id: source.id,
    } as never)
    done.push("order transaction")
  }
  if (source.kind === "capture" && !row.captured_at) {
    const captured = (row.captures ?? []).reduce(
      (total, c) => MathBN.add(total, (c.raw_amount ?? c.amount) as never),
      MathBN.convert(0)
    )
    if (MathBN.gte(captured, (row.raw_amount ?? row.amount) as never)) {
      await payments.updatePayment({ id: row.id, captured_at: new Date() } as never)
      done.push("captured_at")
    }
  }
  // The payment module recomputes the collection's authorized, captured and refunded totals from its rows (what its
  // capture and refund do after the provider answers). Internal: absent in another version, the totals stay.
  const recompute = (payments as unknown as { maybeUpdatePaymentCollection_?: (id: string) => Promise<void> })
    .maybeUpdatePaymentCollection_
  if (typeof recompute === "function") {
    await recompute.call(payments, row.payment_collection_id)
  }
  return done
}
