import type { GatewayName, GatewayPayment, GatewayPaymentStatus } from "../gateways/types"

export type Mechanism = "automatic" | "manual"

/** One capture of the payment, tied to Medusa's capture row: made at the PSP, or recorded as taken outside it. */
export interface CaptureRecord {
  /** PSP capture id (PayPal capture id; Stripe: the charge id plus the Medusa capture id); `manual_…` when manual. */
  id: string
  /** Medusa capture id (`capt_…`), also the idempotency key of the PSP call. */
  medusa_capture_id: string | null
  amount: number
  final: boolean
  created_at: string
  /** `manual`: the money was taken outside the gateway (Elastic Path's manual capture); never refunded at the PSP. */
  mechanism?: Mechanism
  custom_reference?: string | null
  statement_descriptor?: string | null
  /** Order line items this capture paid for (ProcessOut `invoice_detail_ids`). */
  invoice_detail_ids?: string[] | null
}

/** One refund known for the payment: issued by the plugin, or synced from the PSP (dashboard). */
export interface RefundRecord {
  /** PSP refund id (`re_…`, PayPal refund id). */
  id: string
  medusa_refund_id: string | null
  amount: number
  capture_id: string | null
  source: "plugin" | "psp"
  status: string
  created_at: string
  /** The Medusa capture this refund (or this part of a refund) gives back. */
  medusa_capture_id?: string | null
  /** `manual`: marked as refunded, the money was given back outside the gateway. */
  mechanism?: Mechanism
  /** The lost dispute this refund records (a chargeback; the money went back through the card network). */
  dispute_id?: string | null
}

/** Options for the next capture, set by the plugin's capture workflow before it asks Medusa to capture. */
export interface PendingCaptureOptions {
  final?: boolean
  statement_descriptor?: string | null
  custom_reference?: string | null
  mechanism?: Mechanism
  invoice_detail_ids?: string[] | null
}

/** Options for the next refund, set by the plugin's refund workflow before it asks Medusa to refund. */
export interface PendingRefundOptions {
  /** Refund this capture only (Elastic Path refunds a capture transaction). */
  medusa_capture_id?: string | null
  /** `manual`: mark as refunded, without calling the PSP. */
  mechanism?: Mechanism
  note?: string | null
}

/**
 * What the plugin keeps in Medusa's `PaymentSession.data` and `Payment.data`. Amounts are minor units of `currency`.
 * `id` is the PSP reference, and `client_secret` / `approve_url` are what a storefront needs; no secret key is ever
 * stored here (session data is visible to the storefront).
 */
export interface OrchestratorPaymentData extends Record<string, unknown> {
  gateway: GatewayName
  id: string
  reference: string
  authorization_id: string | null
  session_id: string | null
  currency: string
  amount: number
  status: GatewayPaymentStatus
  psp_status: string
  client_secret?: string
  approve_url?: string
  custom_reference: string | null
  expires_at: string | null
  captures: CaptureRecord[]
  refunds: RefundRecord[]
  pending_capture?: PendingCaptureOptions | null
  pending_refund?: PendingRefundOptions | null
  /** Refunds made at the PSP that Medusa is recording now: the provider must not send them again. */
  pending_external_refunds?: { id: string; amount: number; medusa_capture_id?: string | null }[]
  /**
   * PSP ids of the disputes (chargebacks) still open on this payment, kept by the webhook sync. While one is open the
   * provider refuses refunds: a refund plus a lost chargeback would pay the customer twice.
   */
  open_disputes?: string[]
}

/** Statuses in which the storefront still needs the client secret (confirming the card, 3-D Secure). */
const BUYER_STATUSES = new Set<GatewayPaymentStatus>(["pending", "requires_action", "processing"])

export function paymentData(
  payment: GatewayPayment,
  previous: Partial<OrchestratorPaymentData> = {}
): OrchestratorPaymentData {
  // The client secret lets a browser confirm the payment; once the buyer is done it only widens what a leak exposes
  // (payment data reaches admin responses and logs), so it is kept only while the buyer still has to act.
  const { client_secret: _previousSecret, ...rest } = previous
  const buyerMustAct = BUYER_STATUSES.has(payment.status)
  return {
    ...rest,
    gateway: payment.gateway,
    id: payment.reference,
    reference: payment.reference,
    authorization_id: payment.authorization_id ?? previous.authorization_id ?? null,
    session_id: previous.session_id ?? null,
    currency: payment.currency,
    amount: payment.amount,
    status: payment.status,
    psp_status: payment.psp_status,
    ...(buyerMustAct && (payment.client.client_secret ?? _previousSecret)
      ? { client_secret: payment.client.client_secret ?? _previousSecret }
      : {}),
    ...(payment.client.approve_url ? { approve_url: payment.client.approve_url } : {}),
    custom_reference: previous.custom_reference ?? payment.custom_reference ?? null,
    expires_at: payment.expires_at ?? previous.expires_at ?? null,
    captures: previous.captures ?? [],
    refunds: previous.refunds ?? [],
  }
}

/** Reads the plugin's data back from what Medusa stored, failing clearly when it is not ours. */
export function readPaymentData(
  data: Record<string, unknown> | undefined,
  gateway: GatewayName
): OrchestratorPaymentData {
  const value = data as Partial<OrchestratorPaymentData> | undefined
  if (!value || typeof value.reference !== "string" || value.gateway !== gateway) {
    throw new Error(
      `This payment has no ${gateway} reference in its data: it was not created by the ${gateway} provider of medusa-payment-orchestrator.`
    )
  }
  return {
    captures: [],
    refunds: [],
    custom_reference: null,
    authorization_id: null,
    session_id: null,
    expires_at: null,
    ...value,
  } as OrchestratorPaymentData
}
