/** The PayPal fake's records. Amounts are integers in minor units; times are sandbox-clock milliseconds. */

export type OrderStatus = "CREATED" | "APPROVED" | "COMPLETED" | "VOIDED"
export type AuthorizationStatus = "CREATED" | "PARTIALLY_CAPTURED" | "CAPTURED" | "VOIDED" | "EXPIRED"
export type CaptureStatus = "COMPLETED" | "PARTIALLY_REFUNDED" | "REFUNDED" | "DECLINED"
export type DisputeStatus =
  "OPEN" | "WAITING_FOR_SELLER_RESPONSE" | "WAITING_FOR_BUYER_RESPONSE" | "UNDER_REVIEW" | "RESOLVED"
export type DisputeOutcome = "RESOLVED_BUYER_FAVOUR" | "RESOLVED_SELLER_FAVOUR"

export interface PurchaseUnitRecord {
  referenceId: string
  currency: string
  amountMinor: number
  /** The `amount.breakdown` as sent. */
  breakdown?: Record<string, unknown>
  description?: string
  customId?: string
  invoiceId?: string
  softDescriptor?: string
  items?: unknown[]
  shipping?: unknown
  authorizationIds: string[]
  captureIds: string[]
}

export interface OrderRecord {
  id: string
  intent: "AUTHORIZE" | "CAPTURE"
  status: OrderStatus
  purchaseUnits: PurchaseUnitRecord[]
  payer?: Record<string, unknown>
  paymentSource?: Record<string, unknown>
  /** Set by the `decline` control route: the buyer's funding instrument will be declined. */
  declineInstrument: boolean
  createTime: number
  updateTime: number
}

export interface AuthorizationRecord {
  id: string
  orderId: string
  referenceId: string
  currency: string
  amountMinor: number
  status: AuthorizationStatus
  customId?: string
  invoiceId?: string
  createTime: number
  updateTime: number
  expirationTime: number
  /** Start of the 29-day window this authorization belongs to (the original's create time after a reauthorization). */
  windowStart: number
  captureIds: string[]
  capturedMinor: number
  /** The authorization this one reauthorized, and the one that reauthorized this. */
  reauthorizedFrom?: string
  reauthorizedBy?: string
}

export interface CaptureRecord {
  id: string
  orderId: string
  authorizationId?: string
  currency: string
  amountMinor: number
  status: CaptureStatus
  finalCapture: boolean
  customId?: string
  invoiceId?: string
  noteToPayer?: string
  softDescriptor?: string
  createTime: number
  updateTime: number
  refundIds: string[]
  refundedMinor: number
  disputeIds: string[]
  reversed: boolean
}

export interface RefundRecord {
  id: string
  captureId: string
  currency: string
  amountMinor: number
  status: "COMPLETED"
  /** `api` (refund call), `dashboard` (control route), `reversal` (PayPal reversed the capture), `dispute` (lost). */
  source: "api" | "dashboard" | "reversal" | "dispute"
  invoiceId?: string
  customId?: string
  noteToPayer?: string
  createTime: number
  updateTime: number
}

export interface DisputeRecord {
  id: string
  captureId: string
  currency: string
  amountMinor: number
  reason: string
  status: DisputeStatus
  outcome?: DisputeOutcome
  refundId?: string
  createTime: number
  updateTime: number
  sellerResponseDueTime: number
}

/** All PayPal records of one sandbox. OAuth tokens survive `reset()` so SDK clients with a cached token keep working. */
export class PayPalState {
  readonly tokens = new Map<string, number>()
  readonly orders = new Map<string, OrderRecord>()
  readonly authorizations = new Map<string, AuthorizationRecord>()
  readonly captures = new Map<string, CaptureRecord>()
  readonly refunds = new Map<string, RefundRecord>()
  readonly disputes = new Map<string, DisputeRecord>()

  reset(): void {
    this.orders.clear()
    this.authorizations.clear()
    this.captures.clear()
    this.refunds.clear()
    this.disputes.clear()
  }

  /** Disputes on a capture that are not yet resolved. */
  openDisputes(capture: CaptureRecord): DisputeRecord[] {
    return capture.disputeIds
      .map((id) => this.disputes.get(id))
      .filter((d): d is DisputeRecord => !!d && d.status !== "RESOLVED")
  }
}
