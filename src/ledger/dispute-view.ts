import { MathBN } from "@medusajs/framework/utils"

/** One change of a dispute's status, as the webhook sync saw it. */
export interface DisputeHistoryEntry {
  status: string
  psp_status: string | null
  at: string
  /** The PSP event whose processing saw the change. */
  event_id?: string | null
}

/** A persisted dispute row, as the module returns it. */
export interface DisputeRow {
  id: string
  gateway: string
  reference: string
  order_id: string
  payment_id: string
  transaction_id: string | null
  amount: unknown
  raw_amount?: unknown
  currency: string
  reason: string | null
  status: string
  psp_status: string | null
  evidence_due_by: Date | string | null
  closed_at: Date | string | null
  refund_id: string | null
  history: DisputeHistoryEntry[] | null
  created_at: Date | string
  updated_at: Date | string
}

/**
 * A chargeback in the transactions API's style: the amount in minor units, the PSP's dispute id as `reference`, the
 * ledger id of the disputed capture as `transaction_id`. `meta` adds what support needs beyond the listed fields.
 */
export interface DisputeView {
  id: string
  type: "dispute"
  gateway: string
  reference: string
  transaction_id: string | null
  amount: number
  currency: string
  reason: string | null
  status: string
  evidence_due_by: string | null
  created_at: string
  updated_at: string
  history: DisputeHistoryEntry[]
  meta: {
    psp_status: string | null
    closed_at: string | null
    /** The Medusa refund that records a lost dispute. */
    refund_id: string | null
    payment_id: string
  }
}

export function toDisputeView(row: DisputeRow): DisputeView {
  const amount = MathBN.convert((row.raw_amount ?? row.amount) as never).toNumber()
  return {
    id: row.id,
    type: "dispute",
    gateway: row.gateway,
    reference: row.reference,
    transaction_id: row.transaction_id,
    amount,
    currency: row.currency.toUpperCase(),
    reason: row.reason,
    status: row.status,
    evidence_due_by: iso(row.evidence_due_by),
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
    history: row.history ?? [],
    meta: {
      psp_status: row.psp_status,
      closed_at: iso(row.closed_at),
      refund_id: row.refund_id,
      payment_id: row.payment_id,
    },
  }
}

function iso(value: Date | string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null
}
