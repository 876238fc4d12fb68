import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import {
  buildLedgerLines,
  type DisputeState,
  type LedgerLine,
  type MedusaPaymentRow,
} from "../../../ledger/ledger-lines"
import { toTransactionView, type LedgerRow, type TransactionView } from "../../../ledger/transaction-view"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../../modules/payment-orchestrator"
import type PaymentOrchestratorModuleService from "../../../modules/payment-orchestrator/service"

/** An order's ledger after reconciliation: each line with its persisted row and its Elastic Path view. */
export interface OrderLedger {
  order_id: string
  entries: { line: LedgerLine; transaction: TransactionView }[]
}

const PAYMENT_FIELDS = [
  "id",
  "provider_id",
  "currency_code",
  "amount",
  "raw_amount",
  "created_at",
  "canceled_at",
  "data",
  "captures.id",
  "captures.amount",
  "captures.raw_amount",
  "captures.created_at",
  "refunds.id",
  "refunds.amount",
  "refunds.raw_amount",
  "refunds.created_at",
  "refunds.refund_reason.code",
].map((f) => `payment_collections.payments.${f}`)

/** Dispute statuses after which a dispute is over (Stripe and PayPal words, normalised by the webhook sync). */
const CLOSED_DISPUTE_STATUSES = new Set([
  "won",
  "lost",
  "closed",
  "resolved",
  "warning_closed",
  "charge_refunded",
  "prevented",
])

/** The columns of a ledger row that follow the line; anything else (id, history, timestamps) is the ledger's own. */
const STORED_FIELDS = [
  "order_id",
  "payment_id",
  "transaction_type",
  "gateway",
  "provider_id",
  "reference",
  "custom_reference",
  "capture_mechanism",
  "refund_mechanism",
  "amount",
  "currency",
  "status",
  "detailed_status",
  "psp_status",
  "statement_descriptor",
  "invoice_detail_ids",
  "expires_at",
  "occurred_at",
] as const

type StoredRow = LedgerRow & Record<(typeof STORED_FIELDS)[number], unknown>

/**
 * Brings the order's ledger in line with Medusa's payments, captures and refunds, creating a row for every new
 * Medusa record and updating rows whose state changed (appending to their status history). Idempotent; safe to run
 * concurrently (a row created twice at once loses on the unique `source_id` and the reconciliation runs again).
 */
export async function reconcileOrderLedger(container: MedusaContainer, orderId: string): Promise<OrderLedger> {
  try {
    return await reconcileOnce(container, orderId)
  } catch (e) {
    if (/already exists|unique/i.test((e as Error).message ?? "")) {
      return reconcileOnce(container, orderId)
    }
    throw e
  }
}

async function reconcileOnce(container: MedusaContainer, orderId: string): Promise<OrderLedger> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const ledger = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
  const { data: orders } = await query.graph({
    entity: "order",
    fields: ["id", ...PAYMENT_FIELDS],
    filters: { id: orderId },
  })
  const order = orders[0] as { id: string; payment_collections?: { payments?: MedusaPaymentRow[] }[] } | undefined
  if (!order) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${orderId} was not found.`)
  }
  const payments = (order.payment_collections ?? []).flatMap((c) => c?.payments ?? []).filter(Boolean)
  const [rows, disputes] = await Promise.all([
    ledger.listOrchestratorTransactions({ order_id: orderId }) as unknown as Promise<StoredRow[]>,
    ledger.listOrchestratorDisputes({ order_id: orderId }),
  ])
  const bySource = new Map(rows.map((r) => [r.source_id, r]))
  const disputeStates: DisputeState[] = disputes.map((d) => ({
    payment_id: d.payment_id,
    capture_id: rows.find((r) => r.id === d.transaction_id)?.source_id ?? null,
    open: !CLOSED_DISPUTE_STATUSES.has(d.status),
    outcome: d.status === "won" || d.status === "lost" ? d.status : null,
  }))

  const lines = buildLedgerLines(orderId, payments, disputeStates)
  const now = new Date().toISOString()
  const entries: OrderLedger["entries"] = []
  // Lines come parents first (authorize, capture, refund at or after it), so a parent's row exists when needed.
  for (const line of lines) {
    const parent_id = line.parent_source_id ? (bySource.get(line.parent_source_id)?.id ?? null) : null
    const stored = storedValues(line)
    const existing = bySource.get(line.source_id)
    let row: StoredRow
    if (!existing) {
      row = (await ledger.createOrchestratorTransactions({
        ...stored,
        source_id: line.source_id,
        parent_id,
        status_history: [{ status: line.status, detailed_status: line.detailed_status, at: now }],
      } as never)) as unknown as StoredRow
    } else if (differs(existing, stored) || existing.parent_id !== parent_id) {
      const statusChanged =
        existing.status !== line.status || (existing.detailed_status as string) !== line.detailed_status
      row = (await ledger.updateOrchestratorTransactions({
        id: existing.id,
        ...stored,
        parent_id,
        ...(statusChanged
          ? {
              status_history: [
                ...(existing.status_history ?? []),
                { status: line.status, detailed_status: line.detailed_status, at: now },
              ],
            }
          : {}),
      } as never)) as unknown as StoredRow
    } else {
      row = existing
    }
    bySource.set(line.source_id, row)
    entries.push({ line, transaction: toTransactionView(line, row) })
  }
  return { order_id: orderId, entries }
}

function storedValues(line: LedgerLine): Record<(typeof STORED_FIELDS)[number], unknown> {
  return Object.fromEntries(STORED_FIELDS.map((f) => [f, line[f]])) as Record<(typeof STORED_FIELDS)[number], unknown>
}

function differs(row: StoredRow, stored: Record<string, unknown>): boolean {
  return STORED_FIELDS.some((field) => normalise(field, row[field]) !== normalise(field, stored[field]))
}

function normalise(field: string, value: unknown): string {
  if (value === null || value === undefined) {
    return ""
  }
  if (field === "amount") {
    return MathBN.convert(value as never).toFixed()
  }
  if (field === "expires_at" || field === "occurred_at") {
    return new Date(value as string).toISOString()
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value)
}

/** Reconciles the order's ledger (see `reconcileOrderLedger`). */
export const reconcileOrderLedgerStep = createStep(
  "reconcile-order-ledger",
  async (input: { order_id: string }, { container }) => {
    return new StepResponse(await reconcileOrderLedger(container, input.order_id))
  }
)
