/**
 * The admin transactions API as the widget consumes it (`/admin/orders/:id/transactions…`, `/admin/orders/:id/disputes`),
 * Elastic Path style: every amount is an integer in MINOR units of `currency` (upper-case ISO 4217).
 */

export type TransactionType = "authorize" | "capture" | "refund"
export type TransactionStatus = "pending" | "complete" | "failed" | "canceled"
export type TransactionNextAction = "capture" | "cancel" | "refund" | "reauthorize"
export type Gateway = "stripe" | "paypal"

/** Known values of `payment_details.detailed_status`; the API may add others, which the widget shows as they come. */
export type DetailedStatus =
  | "authorized"
  | "completed"
  | "partially-refunded"
  | "refunded"
  | "voided"
  | "failed"
  | "chargeback-initiated"
  | "expired_uncaptured_charge"
  | (string & {})

export interface DisplayAmount {
  amount: number
  currency: string
  formatted: string
}

export interface Transaction {
  id: string
  type: "transaction"
  reference: string
  custom_reference: string | null
  gateway: Gateway | (string & {})
  amount: number
  refunded_amount: number
  currency: string
  transaction_type: TransactionType
  status: TransactionStatus
  capture_mechanism?: "automatic" | "manual" | null
  refund_mechanism?: "automatic" | "manual" | null
  payment_details: { detailed_status: DetailedStatus }
  next_actions: TransactionNextAction[]
  expires_at: string | null
  /** On authorize transactions: what can still be captured. */
  capturable_amount?: number
  /** On authorize transactions: what a final capture released uncaptured (given back to the customer). */
  released_amount?: number
  /**
   * On authorize transactions: whether the PSP captures it more than once (Stripe multicapture; PayPal always). False:
   * a partial capture is final and releases the rest. Null: not known.
   */
  multicapture?: boolean | null
  /** On authorize transactions: when PayPal's 3-day honor period ends (after it, `reauthorize` may be offered). */
  honor_until?: string | null
  /** On capture transactions: what can still be refunded. */
  refundable_amount?: number
  relationships: {
    order: { data: { type: "order"; id: string } }
    parent?: { data: { type: "transaction"; id: string } }
  }
  meta: {
    display_price: DisplayAmount
    display_refunded_amount?: { total: DisplayAmount }
    timestamps: { created_at: string; updated_at: string }
  }
}

export type DisputeStatus =
  | "needs_response"
  | "under_review"
  | "won"
  | "lost"
  | "warning_needs_response"
  | "warning_under_review"
  | "warning_closed"
  | (string & {})

export interface Dispute {
  id: string
  type: "dispute"
  gateway: Gateway | (string & {})
  reference: string
  transaction_id: string | null
  amount: number
  currency: string
  reason: string | null
  status: DisputeStatus
  evidence_due_by: string | null
  created_at: string
  updated_at: string
  history?: unknown[]
}

export interface CaptureRequestData {
  custom_reference?: string
  capture_mechanism?: "manual"
  capture_amount?: number
  capture_type?: "final" | "non-final"
  capture_statement_descriptor?: string
  invoice_detail_ids?: string[]
}

export interface ApiErrorItem {
  status?: number | string
  title?: string
  detail?: string
  meta?: Record<string, unknown>
}

export interface ApiErrorBody {
  errors?: ApiErrorItem[]
  /** Medusa's own error format (auth and validation middlewares answer with it). */
  message?: string
  type?: string
}
