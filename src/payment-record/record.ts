import type { GatewayName, GatewayPayment, GatewayPaymentStatus } from "../gateways/types"
import {
  PAYMENT_RECORD_KEYS,
  paymentRecordSchema,
  RECORD_VERSION,
  type CaptureRecord,
  type PaymentRecord,
  type RefundRecord,
} from "./schema"

/** Statuses in which the storefront still needs the client secret (confirming the card, 3-D Secure). */
const BUYER_STATUSES = new Set<GatewayPaymentStatus>(["pending", "requires_action", "processing"])

/** The record's keys a record of an earlier version may lack, and what they mean when absent. */
const DEFAULTS: Partial<PaymentRecord> = {
  authorization_id: null,
  session_id: null,
  client_secret: null,
  approve_url: null,
  intent: null,
  custom_reference: null,
  expires_at: null,
  captures: [],
  refunds: [],
  open_disputes: [],
  multicapture: null,
  honor_until: null,
  reauthorized: false,
}

export class PaymentRecordError extends Error {}

/**
 * Reads the plugin's record back from what Medusa stored (session or payment data), keeping only the record's own
 * keys: whatever else the data holds (a storefront's keys, merged in by Medusa) is dropped here, before anything reads
 * it. Captures and refunds keep only their schema's fields. Fails clearly when the data is not this gateway's record.
 */
export function readRecord(data: Record<string, unknown> | null | undefined, gateway: GatewayName): PaymentRecord {
  if (!data || typeof data.reference !== "string" || data.gateway !== gateway) {
    throw new PaymentRecordError(
      `This payment has no ${gateway} reference in its data: it was not created by the ${gateway} provider of medusa-payment-orchestrator.`
    )
  }
  if (data.v !== undefined && data.v !== RECORD_VERSION) {
    throw new PaymentRecordError(
      `The ${gateway} payment data of ${String(data.reference)} is a version ${String(data.v)} record; this version of medusa-payment-orchestrator reads version ${RECORD_VERSION}. Update the plugin before acting on this payment.`
    )
  }
  const picked: Record<string, unknown> = { ...DEFAULTS, v: RECORD_VERSION }
  for (const key of PAYMENT_RECORD_KEYS) {
    if (key !== "v" && data[key] !== undefined) {
      picked[key] = data[key]
    }
  }
  const parsed = paymentRecordSchema.safeParse(picked)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")
    throw new PaymentRecordError(
      `The ${gateway} payment data of ${String(data.reference)} is not a valid medusa-payment-orchestrator record (${problems}); nothing was sent to ${gateway}.`
    )
  }
  return parsed.data
}

/** Whether the data looks like a record of one of the plugin's gateways (without validating it). */
export function recordGateway(data: Record<string, unknown> | null | undefined): GatewayName | null {
  const gateway = data?.gateway
  return (gateway === "stripe" || gateway === "paypal") && typeof data?.reference === "string" ? gateway : null
}

/**
 * The record after the PSP answered with `payment`: the PSP's facts (status, amounts, authorization, expiry) over the
 * previous record's own history (captures, refunds, disputes, custom reference). Every key is present, so Medusa's
 * merge of storefront data under it can never pre-set one.
 */
export function recordFromGateway(payment: GatewayPayment, previous: Partial<PaymentRecord> = {}): PaymentRecord {
  // The client secret lets a browser confirm the payment; once the buyer is done it only widens what a leak exposes
  // (payment data reaches admin responses and logs), so it is kept only while the buyer still has to act.
  const buyerMustAct = BUYER_STATUSES.has(payment.status)
  return {
    v: RECORD_VERSION,
    gateway: payment.gateway,
    id: payment.reference,
    reference: payment.reference,
    authorization_id: payment.authorization_id ?? previous.authorization_id ?? null,
    session_id: previous.session_id ?? null,
    currency: payment.currency,
    amount: payment.amount,
    status: payment.status,
    psp_status: payment.psp_status,
    client_secret: buyerMustAct ? (payment.client.client_secret ?? previous.client_secret ?? null) : null,
    approve_url: payment.client.approve_url ?? previous.approve_url ?? null,
    intent: payment.client.intent ?? previous.intent ?? null,
    // A reference a capture cleared (null) stays cleared, though the PSP's order may still carry the old one.
    custom_reference:
      previous.custom_reference !== undefined ? previous.custom_reference : (payment.custom_reference ?? null),
    expires_at: payment.expires_at ?? previous.expires_at ?? null,
    captures: previous.captures ?? [],
    refunds: previous.refunds ?? [],
    open_disputes: previous.open_disputes ?? [],
    multicapture: payment.multicapture ?? previous.multicapture ?? null,
    honor_until: payment.honor_until ?? previous.honor_until ?? null,
    // Once reauthorized, always: a PSP answer that lists only the newest authorization does not undo it.
    reauthorized: payment.reauthorized === true || previous.reauthorized === true,
  }
}

/**
 * The record after the PSP reauthorized the payment (`payment` names the new authorization): later captures use the
 * new authorization id, with its expiry and honor period; no further reauthorization is offered.
 */
export function withReauthorization(record: PaymentRecord, payment: GatewayPayment): PaymentRecord {
  return { ...recordFromGateway(payment, record), reauthorized: true }
}

// Pure updates: each returns a new record and leaves the one it was given as it was.

/**
 * Adds a capture (once, by PSP id). The record's own `custom_reference` is the authorization's and stays as it is: a
 * capture's reference (Elastic Path: inherited, replaced or cleared per capture) lives on the capture.
 */
export function withCapture(record: PaymentRecord, capture: CaptureRecord): PaymentRecord {
  return { ...record, captures: [...record.captures.filter((c) => c.id !== capture.id), capture] }
}

/** Adds refund records, each once (by PSP id and the capture it gives back). */
export function withRefunds(record: PaymentRecord, refunds: RefundRecord[]): PaymentRecord {
  const key = (r: RefundRecord) => `${r.id}|${r.medusa_capture_id ?? r.capture_id ?? ""}`
  const known = new Set(record.refunds.map(key))
  return { ...record, refunds: [...record.refunds, ...refunds.filter((r) => !known.has(key(r)))] }
}

/** Ties every part of the PSP refund `pspRefundId` to the Medusa refund that records it. */
export function withRefundLinked(record: PaymentRecord, pspRefundId: string, medusaRefundId: string): PaymentRecord {
  return {
    ...record,
    refunds: record.refunds.map((r) => (r.id === pspRefundId ? { ...r, medusa_refund_id: medusaRefundId } : r)),
  }
}

export function withoutRefund(record: PaymentRecord, pspRefundId: string): PaymentRecord {
  return { ...record, refunds: record.refunds.filter((r) => r.id !== pspRefundId) }
}

export function withRefundStatus(record: PaymentRecord, pspRefundId: string, status: string): PaymentRecord {
  return { ...record, refunds: record.refunds.map((r) => (r.id === pspRefundId ? { ...r, status } : r)) }
}

export function withOpenDispute(record: PaymentRecord, disputeId: string, open: boolean): PaymentRecord {
  const current = record.open_disputes
  const next = open ? [...new Set([...current, disputeId])] : current.filter((id) => id !== disputeId)
  return next.length === current.length ? record : { ...record, open_disputes: next }
}

/** The PSP refused a capture because the authorization lapsed: the ledger then offers only `cancel`. */
export function withExpiredAuthorization(record: PaymentRecord, pspStatus: string | null | undefined): PaymentRecord {
  return record.status === "expired"
    ? record
    : { ...record, status: "expired", psp_status: pspStatus ?? record.psp_status }
}

export type { CaptureRecord, PaymentRecord, RefundRecord } from "./schema"
