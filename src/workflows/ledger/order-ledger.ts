import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { ledgerTransactionId } from "../../ledger/ledger-ids"
import { statusHistory, type StatusChange } from "../../ledger/ledger-history"
import { buildLedgerLines, type DisputeState, type LedgerLine, type MedusaPaymentRow } from "../../ledger/ledger-lines"
import { toTransactionView, type LedgerRow, type TransactionView } from "../../ledger/transaction-view"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../modules/payment-orchestrator"
import type PaymentOrchestratorModuleService from "../../modules/payment-orchestrator/service"
import { isDisputeOpen } from "../../planners/rules"
import { CAPTURE_AND_REFUND_FIELDS } from "../payment-queries"

/** An order's ledger: each line (built from Medusa's rows) with its Elastic Path view. */
export interface OrderLedger {
  order_id: string
  entries: { line: LedgerLine; transaction: TransactionView }[]
}

/** Which lines a write records: Medusa records by id (`pay_…`, `capt_…`, `ref_…`), or every line of some payments. */
export interface LedgerWriteTarget {
  source_ids?: string[]
  payment_ids?: string[]
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
  ...CAPTURE_AND_REFUND_FIELDS,
  "refunds.refund_reason.code",
].map((f) => `payment_collections.payments.${f}`)

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

interface LedgerState {
  order_id: string
  lines: LedgerLine[]
  rows: Map<string, StoredRow>
}

/**
 * The order's ledger as it stands, written nothing: lines from Medusa's payment, capture and refund rows and the
 * providers' records, with the stored rows' ids and status histories. A line whose row is not written yet has its
 * derived id and the history its Medusa timestamps tell.
 */
export async function readOrderLedger(container: MedusaContainer, orderId: string): Promise<OrderLedger> {
  return toOrderLedger(await loadLedgerState(container, orderId))
}

/**
 * Writes the rows of the lines of those Medusa records (and of their parents: a refund's capture, a capture's
 * authorization, whose statuses follow), creating the missing ones with their derived ids and appending status
 * changes with the time they happened. Touches no other row and no row that is already in line. Idempotent; a row
 * created twice at once loses on the unique `source_id` and the write runs again. Answers the whole ledger after it.
 */
export async function recordOrderLedger(
  container: MedusaContainer,
  orderId: string,
  target: LedgerWriteTarget
): Promise<OrderLedger> {
  try {
    return await recordOnce(container, orderId, target)
  } catch (e) {
    if (/already exists|unique/i.test((e as Error).message ?? "")) {
      return recordOnce(container, orderId, target)
    }
    throw e
  }
}

/**
 * The ledger id of the line behind one Medusa record, without building the order's ledger: its row's id, else the id
 * derived from the record (`ledgerTransactionId`), as `readOrderLedger` answers it.
 */
export async function ledgerIdOfSource(container: MedusaContainer, sourceId: string): Promise<string> {
  const ledger = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
  const [row] = (await ledger.listOrchestratorTransactions(
    { source_id: sourceId },
    { select: ["id"], take: 1 }
  )) as unknown as { id: string }[]
  return row?.id ?? ledgerTransactionId(sourceId)
}

/** The entry of the line behind that Medusa record (the first part of a refund split over captures). */
export function ledgerEntryOf(
  ledger: OrderLedger,
  sourceId: string | null | undefined
): OrderLedger["entries"][number] | undefined {
  return sourceId ? ledger.entries.find((e) => e.line.source_id === sourceId) : undefined
}

/** The lines a write targets, with their ancestors, parents first (the order of `buildLedgerLines`). */
export function selectLedgerLines(lines: LedgerLine[], target: LedgerWriteTarget): LedgerLine[] {
  const sources = new Set(target.source_ids ?? [])
  const payments = new Set(target.payment_ids ?? [])
  const bySource = new Map(lines.map((l) => [l.source_id, l]))
  const chosen = new Set<string>()
  for (const line of lines) {
    if (sources.has(line.source_id) || sources.has(line.source_id.split("~")[0]) || payments.has(line.payment_id)) {
      for (let l: LedgerLine | undefined = line; l && !chosen.has(l.source_id);) {
        chosen.add(l.source_id)
        l = l.parent_source_id ? bySource.get(l.parent_source_id) : undefined
      }
    }
  }
  return lines.filter((l) => chosen.has(l.source_id))
}

async function recordOnce(
  container: MedusaContainer,
  orderId: string,
  target: LedgerWriteTarget
): Promise<OrderLedger> {
  const state = await loadLedgerState(container, orderId)
  const ledger = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
  const now = new Date().toISOString()
  for (const line of selectLedgerLines(state.lines, target)) {
    const existing = state.rows.get(line.source_id)
    const id = idOf(state, line.source_id)
    const parent_id = line.parent_source_id ? idOf(state, line.parent_source_id) : null
    const status_history = statusHistory(line, existing?.status_history, now)
    const stored = storedValues(line)
    if (!existing) {
      const row = (await ledger.createOrchestratorTransactions({
        id,
        ...stored,
        source_id: line.source_id,
        parent_id,
        status_history,
      } as never)) as unknown as StoredRow
      state.rows.set(line.source_id, row)
    } else if (
      differs(existing, stored) ||
      existing.parent_id !== parent_id ||
      (existing.status_history ?? []).length !== status_history.length
    ) {
      const row = (await ledger.updateOrchestratorTransactions({
        id: existing.id,
        ...stored,
        parent_id,
        status_history,
      } as never)) as unknown as StoredRow
      state.rows.set(line.source_id, row)
    }
  }
  return toOrderLedger(state)
}

async function loadLedgerState(container: MedusaContainer, orderId: string): Promise<LedgerState> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const ledger = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
  const [{ data: orders }, rows, disputes] = await Promise.all([
    query.graph({ entity: "order", fields: ["id", ...PAYMENT_FIELDS], filters: { id: orderId } }),
    ledger.listOrchestratorTransactions({ order_id: orderId }) as unknown as Promise<StoredRow[]>,
    ledger.listOrchestratorDisputes({ order_id: orderId }),
  ])
  const order = orders[0] as { id: string; payment_collections?: { payments?: MedusaPaymentRow[] }[] } | undefined
  if (!order) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${orderId} was not found.`)
  }
  const payments = (order.payment_collections ?? []).flatMap((c) => c?.payments ?? []).filter(Boolean)
  // A dispute names the ledger id of its capture: a row's id, or the id derived from the Medusa capture.
  const captureOfId = new Map<string, string>()
  for (const capture of payments.flatMap((p) => p.captures ?? [])) {
    captureOfId.set(ledgerTransactionId(capture.id), capture.id)
  }
  for (const row of rows) {
    captureOfId.set(row.id, row.source_id)
  }
  const disputeStates: DisputeState[] = disputes.map((d) => ({
    payment_id: d.payment_id,
    capture_id: d.transaction_id ? (captureOfId.get(d.transaction_id) ?? null) : null,
    open: isDisputeOpen(d.status),
    outcome: d.status === "won" || d.status === "lost" ? d.status : null,
    opened_at: d.created_at ? new Date(d.created_at as Date | string).toISOString() : null,
    closed_at: d.closed_at ? new Date(d.closed_at as Date | string).toISOString() : null,
  }))
  return {
    order_id: orderId,
    lines: buildLedgerLines(orderId, payments, disputeStates),
    rows: new Map(rows.map((r) => [r.source_id, r])),
  }
}

function toOrderLedger(state: LedgerState): OrderLedger {
  return {
    order_id: state.order_id,
    entries: state.lines.map((line) => ({
      line,
      transaction: toTransactionView(line, {
        id: idOf(state, line.source_id),
        parent_id: line.parent_source_id ? idOf(state, line.parent_source_id) : null,
        status_history: statusHistory(line, state.rows.get(line.source_id)?.status_history as StatusChange[] | null),
      }),
    })),
  }
}

function idOf(state: LedgerState, sourceId: string): string {
  return state.rows.get(sourceId)?.id ?? ledgerTransactionId(sourceId)
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
