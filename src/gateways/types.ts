/**
 * The small interface every PSP adapter implements (one adapter per PSP, as Hyperswitch connectors implement the same
 * flows). Amounts here are always integers in the currency's minor unit: conversion from Medusa's BigNumber major units
 * happens once, in `utils/money.ts`, before a gateway is called. Gateways know nothing of Medusa.
 */
export type GatewayName = "stripe" | "paypal"

/** A payment's state at the PSP, in the plugin's vocabulary. */
export type GatewayPaymentStatus =
  /** Created; the buyer has not confirmed or approved yet. */
  | "pending"
  /** The buyer must act (3-D Secure challenge, PayPal approval). */
  | "requires_action"
  /** The PSP is still deciding (async methods). */
  | "processing"
  /** Authorized, nothing captured yet, capturable. */
  | "authorized"
  /** Some captured, the rest still capturable (non-final partial capture). */
  | "partially_captured"
  /** Captured; nothing more can be captured. */
  | "captured"
  /** Voided by the merchant, or abandoned. */
  | "canceled"
  /** The authorization reached the end of its validity before it was captured. */
  | "expired"
  /** Declined or failed. */
  | "failed"

export interface GatewayCapture {
  id: string
  amount: number
  status: "succeeded" | "pending" | "failed"
  created_at: string
  /** The PSP captured this money when the buyer paid (a method it cannot capture later), not when Medusa asked. */
  at_payment?: true
}

export interface GatewayRefund {
  id: string
  amount: number
  currency: string
  status: "succeeded" | "pending" | "failed" | "canceled"
  /** The capture it refunds (PayPal capture id, Stripe charge id). */
  capture_id: string | null
  reason: string | null
  created_at: string
  /** Our own idempotency key / metadata marker when the plugin issued it; null for dashboard refunds. */
  issued_by_plugin_key: string | null
}

export interface GatewayPayment {
  gateway: GatewayName
  /** PSP id of the payment: Stripe PaymentIntent `pi_…`, PayPal order id. */
  reference: string
  /** PSP id of the authorization where it differs from `reference` (PayPal). */
  authorization_id: string | null
  status: GatewayPaymentStatus
  /** PSP's own status word, for the transaction's detailed status and for support. */
  psp_status: string
  currency: string
  amount: number
  amount_capturable: number
  amount_captured: number
  amount_refunded: number
  captures: GatewayCapture[]
  /** When the authorization stops being capturable, if the PSP says. */
  expires_at: string | null
  /**
   * What a storefront needs to let the buyer act: Stripe `client_secret`; PayPal approval link and the order's intent
   * (its JS SDK must be loaded with the same `intent`).
   */
  client: { client_secret?: string; approve_url?: string; intent?: "authorize" | "capture"; next_action?: unknown }
  /** Why it failed or needs action, in the PSP's words. */
  failure: { code: string | null; message: string | null } | null
  custom_reference: string | null
  /** The Medusa payment session id stored at the PSP (Stripe `metadata.session_id`, PayPal `custom_id`). */
  session_id?: string | null
  /**
   * Whether the authorization can be captured more than once (non-final partial captures). PayPal: always. Stripe:
   * only where `latest_charge.payment_method_details.card.multicapture.status` is `available`, which most accounts
   * and cards are not; elsewhere `final_capture=false` is refused. Null: not known from this answer.
   */
  multicapture?: boolean | null
  /**
   * When the current authorization's honor period ends, where the PSP reauthorizes (PayPal: the authorization's
   * `create_time` plus 3 days; before that PayPal refuses a reauthorization). Null or absent: the PSP has no
   * reauthorization (Stripe).
   */
  honor_until?: string | null
  /** Whether the current authorization is itself a reauthorization (PayPal: the order holds an earlier one). */
  reauthorized?: boolean
}

/**
 * A dispute's status in the plugin's vocabulary: Stripe's words, which PayPal's are mapped onto
 * (`dispute-status.ts`). `warning_*` are inquiries (no money withdrawn yet); `won`, `lost`, `warning_closed`,
 * `prevented` and `closed` end a dispute.
 */
export type GatewayDisputeStatus =
  | "warning_needs_response"
  | "warning_under_review"
  | "warning_closed"
  | "needs_response"
  | "under_review"
  | "won"
  | "lost"
  | "prevented"
  | "closed"

/** A chargeback (Stripe dispute, PayPal dispute) as the PSP holds it now. Amounts in minor units. */
export interface GatewayDispute {
  gateway: GatewayName
  /** PSP dispute id (`du_…`/`dp_…`, `PP-D-…`). */
  id: string
  amount: number
  currency: string
  /** The PSP's reason, lower snake case (`fraudulent`, `merchandise_or_service_not_received`). */
  reason: string | null
  status: GatewayDisputeStatus
  /** The PSP's own status word (and PayPal's outcome code when resolved), for support. */
  psp_status: string
  /** Whether the dispute is still undecided: refunding the payment meanwhile could pay the customer twice. */
  open: boolean
  /** What the merchant lost when the dispute was lost (PayPal's `amount_refunded`, else the disputed amount). */
  amount_lost: number
  evidence_due_by: string | null
  created_at: string
  /** The disputed capture: Stripe charge id, PayPal capture id. */
  capture_id: string | null
  /** PSP payment reference when the dispute names it (Stripe PaymentIntent; PayPal disputes do not name the order). */
  payment_reference: string | null
  /** The Medusa payment session id, when the dispute carries it (PayPal `disputed_transactions[].custom`). */
  session_id: string | null
}

export interface CreatePaymentInput {
  amount: number
  currency: string
  idempotency_key: string
  /** Medusa payment session id, stored at the PSP to map events back. */
  session_id: string
  capture: "automatic" | "manual"
  custom_reference?: string | null
  description?: string
  /**
   * The merchant's default descriptor (provider option), on the payment from its creation: a payment the PSP captures
   * when the buyer pays (automatic capture, or a method that cannot be captured later) never goes through a capture
   * call that could carry it.
   */
  statement_descriptor?: string | null
  /** Saved-method payments (Stripe): the PSP customer and payment method. */
  customer?: string
  payment_method?: string
  /** Merchant-initiated (off-session) payment on a saved method; customer-initiated is the default. */
  off_session?: boolean
  /** Keep the method for later merchant-initiated payments. */
  save_payment_method?: boolean
  metadata?: Record<string, string>
}

export interface CapturePaymentInput {
  reference: string
  authorization_id: string | null
  amount: number
  currency: string
  /** Final (ProcessOut `capture_type: final`): release what stays uncaptured. */
  final: boolean
  idempotency_key: string
  statement_descriptor?: string | null
  custom_reference?: string | null
  metadata?: Record<string, string>
}

export interface RefundPaymentInput {
  reference: string
  /** The capture to refund (PayPal capture id); Stripe refunds the intent. */
  capture_id: string | null
  amount: number
  currency: string
  idempotency_key: string
  reason?: string | null
  note?: string | null
}

export interface PaymentGateway {
  readonly name: GatewayName
  createPayment(input: CreatePaymentInput): Promise<GatewayPayment>
  updatePaymentAmount(
    reference: string,
    amount: number,
    currency: string,
    idempotencyKey?: string
  ): Promise<GatewayPayment>
  /** Completes authorization where the PSP needs a call (PayPal authorize), or re-reads the state (Stripe). */
  authorizePayment(reference: string, idempotencyKey: string): Promise<GatewayPayment>
  retrievePayment(reference: string): Promise<GatewayPayment>
  capturePayment(input: CapturePaymentInput): Promise<{ capture: GatewayCapture; payment: GatewayPayment }>
  cancelPayment(reference: string, authorizationId: string | null, idempotencyKey: string): Promise<GatewayPayment>
  refundPayment(input: RefundPaymentInput): Promise<GatewayRefund>
  /** Every refund of the payment, oldest first. */
  listRefunds(reference: string): Promise<GatewayRefund[]>
  /** One dispute as the PSP holds it now (the webhook sync acts on this, never on the event's snapshot). */
  retrieveDispute(id: string): Promise<GatewayDispute>
  /** Every dispute on the payment's captures, newest first. */
  listDisputes(reference: string): Promise<GatewayDispute[]>
  /**
   * The PSP customer a saved payment method belongs to (null: none). A storefront may name a saved method only when
   * it belongs to the shopper's own account holder. Absent where the plugin keeps no saved methods (PayPal).
   */
  paymentMethodOwner?(paymentMethod: string): Promise<string | null>
  /**
   * Renews an uncaptured authorization where the PSP can (PayPal, from day 4 to day 29 of the original): the PSP makes
   * a new authorization of `amount` (minor units) and the payment comes back with its id in `authorization_id`; later
   * captures must use it. `authorizationId` null means the payment's latest live authorization. Stripe has none.
   */
  reauthorizePayment?(
    reference: string,
    authorizationId: string | null,
    amount: number,
    currency: string,
    idempotencyKey: string
  ): Promise<GatewayPayment>
}
