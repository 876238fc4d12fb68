import { formatMoney } from "../utils/money"
import type { StatusChange } from "./ledger-history"
import type { LedgerLine, NextAction, TransactionStatus, TransactionType } from "./ledger-lines"

export type { StatusChange } from "./ledger-history"

/** A persisted ledger row, as the module returns it. */
export interface LedgerRow {
  id: string
  source_id: string
  parent_id: string | null
  created_at: Date | string
  updated_at: Date | string
  status_history: StatusChange[]
}

/**
 * What the ledger adds to a line: its id and its parent's (the row's, or derived from the Medusa ids when the row is
 * not written yet) and its status history.
 */
export interface LedgerIdentity {
  id: string
  parent_id: string | null
  status_history: StatusChange[]
}

interface DisplayPrice {
  amount: number
  currency: string
  formatted: string
}

/** The Elastic Path transaction, with ProcessOut's status vocabulary in `payment_details`. Amounts in minor units. */
export interface TransactionView {
  id: string
  type: "transaction"
  reference: string | null
  custom_reference: string | null
  gateway: string
  amount: number
  refunded_amount: number
  currency: string
  transaction_type: TransactionType
  status: TransactionStatus
  capture_mechanism?: string
  refund_mechanism?: string
  payment_details: { detailed_status: string; psp_status: string | null }
  next_actions: NextAction[]
  expires_at: string | null
  capturable_amount?: number
  /** authorize: what a final capture released uncaptured. */
  released_amount?: number
  /** authorize: whether the PSP allows more than one capture (false: a partial capture is final). */
  multicapture?: boolean | null
  /** authorize: when its honor period ends (PayPal; `reauthorize` is offered after it); null where none applies. */
  honor_until?: string | null
  refundable_amount?: number
  /** capture: the PSP captured the money when the buyer paid (a method that cannot be captured later). */
  captured_at_payment?: boolean
  statement_descriptor?: string | null
  invoice_detail_ids?: string[] | null
  relationships: {
    order: { data: { type: "order"; id: string } }
    payment: { data: { type: "payment"; id: string } }
    parent?: { data: { type: "transaction"; id: string } }
  }
  meta: {
    display_price: DisplayPrice
    display_refunded_amount: { total: DisplayPrice }
    timestamps: { created_at: string; updated_at: string }
    status_history: StatusChange[]
  }
}

/**
 * A line in Elastic Path's shape. `meta.timestamps`: `created_at` is when the Medusa record was created, `updated_at`
 * when the transaction last changed status; both come from the records, so reading twice answers the same.
 */
export function toTransactionView(line: LedgerLine, row: LedgerIdentity): TransactionView {
  const history = row.status_history ?? []
  const updatedAt = history.length ? history[history.length - 1].at : line.occurred_at
  const view: TransactionView = {
    id: row.id,
    type: "transaction",
    reference: line.reference,
    custom_reference: line.custom_reference,
    gateway: line.gateway,
    amount: line.amount,
    refunded_amount: line.refunded_amount,
    currency: line.currency,
    transaction_type: line.transaction_type,
    status: line.status,
    payment_details: { detailed_status: line.detailed_status, psp_status: line.psp_status },
    next_actions: line.next_actions,
    expires_at: line.expires_at,
    relationships: {
      order: { data: { type: "order", id: line.order_id } },
      payment: { data: { type: "payment", id: line.payment_id } },
      ...(row.parent_id ? { parent: { data: { type: "transaction" as const, id: row.parent_id } } } : {}),
    },
    meta: {
      display_price: display(line.amount, line.currency),
      display_refunded_amount: { total: display(line.refunded_amount, line.currency) },
      timestamps: { created_at: line.occurred_at, updated_at: new Date(updatedAt).toISOString() },
      status_history: history,
    },
  }
  if (line.transaction_type === "authorize") {
    view.capturable_amount = line.capturable_amount ?? 0
    view.released_amount = line.released_amount ?? 0
    view.multicapture = line.multicapture ?? null
    view.honor_until = line.honor_until ?? null
  }
  if (line.transaction_type === "capture") {
    view.capture_mechanism = line.capture_mechanism ?? "automatic"
    view.captured_at_payment = line.captured_at_payment ?? false
    view.refundable_amount = line.refundable_amount ?? 0
    view.statement_descriptor = line.statement_descriptor
    view.invoice_detail_ids = line.invoice_detail_ids
  }
  if (line.transaction_type === "refund") {
    view.refund_mechanism = line.refund_mechanism ?? "automatic"
  }
  return view
}

function display(amount: number, currency: string): DisplayPrice {
  return { amount, currency, formatted: formatMoney(amount, currency) }
}
