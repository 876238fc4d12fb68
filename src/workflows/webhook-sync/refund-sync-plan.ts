import type { GatewayDispute, GatewayRefund } from "../../gateways/types"
import type { CaptureRecord, PaymentRecord, RefundRecord } from "../../payment-record/schema"
import { allocateRefund, capturesOf, isLiveRefund } from "../../planners/refund-planner"

/**
 * What the webhook sync must do to bring Medusa in line with the refunds and lost disputes the PSP holds now. Pure:
 * the steps read the PSP and Medusa, this decides, the steps apply. Every decision is keyed by PSP id (refund id,
 * dispute id) against `payment.data.refunds`, so running it again after a crash or a duplicate delivery decides
 * nothing twice. Amounts are integer minor units.
 */

/** One part of a refund: how much of it gives back which capture. */
export interface RefundPartPlan {
  /** Medusa capture id (`capt_…`) when known; the ledger places a part without one on the newest capture. */
  medusa_capture_id: string | null
  amount: number
}

/** A refund made at the PSP that Medusa does not have yet. */
export interface RefundToRecord {
  refund: GatewayRefund
  parts: RefundPartPlan[]
  /** A recording that started and did not finish (its record is in `payment.data`, no Medusa refund id yet). */
  resume: boolean
}

export interface RefundStatusChange {
  id: string
  from: string
  to: GatewayRefund["status"]
  amount: number
  medusa_refund_id: string | null
  source: RefundRecord["source"]
}

export type SkipReason =
  /** The plugin issued it through Medusa (its metadata or invoice id carries the plugin's key): already recorded. */
  | "issued_by_plugin"
  /** PayPal's reversal of a capture for a lost dispute: the dispute sync records it as the chargeback. */
  | "chargeback"
  /** Failed or canceled before Medusa heard of it: no money moved. */
  | "never_succeeded"
  /** Stripe before API 2025-03-31 made a refund of the part a final partial capture released: not a refund. */
  | "capture_release"

export interface RefundSyncPlan {
  to_record: RefundToRecord[]
  status_changes: RefundStatusChange[]
  /** Refunds Medusa cannot take: more than is left to refund of what Medusa recorded as captured. */
  unrecordable: { refund: GatewayRefund; refundable: number }[]
  skipped: { id: string; why: SkipReason }[]
}

const byCreatedAt = (a: { created_at: string }, b: { created_at: string }) =>
  Date.parse(a.created_at) - Date.parse(b.created_at) || 0

/**
 * The PSP refunds that are the money lost disputes took back: for each lost dispute, the earliest refund of its
 * capture, of the amount lost, made at or after the dispute opened and not by the plugin. While a dispute is open the
 * PSP refuses other refunds of that capture, so this is the reversal. Only for PSPs whose lost disputes show up as
 * refunds (PayPal); refund id → dispute id.
 */
export function chargebackRefunds(refunds: GatewayRefund[], disputes: GatewayDispute[]): Map<string, string> {
  const attributed = new Map<string, string>()
  for (const dispute of [...disputes].filter((d) => d.status === "lost").sort(byCreatedAt)) {
    const opened = Date.parse(dispute.created_at)
    const reversal = refunds
      .filter(
        (r) =>
          !attributed.has(r.id) &&
          !r.issued_by_plugin_key &&
          isLiveRefund(r) &&
          r.amount === dispute.amount_lost &&
          (!dispute.capture_id || r.capture_id === dispute.capture_id) &&
          // PayPal's times have whole seconds.
          Date.parse(r.created_at) >= opened - 1000
      )
      .sort(byCreatedAt)[0]
    if (reversal) {
      attributed.set(reversal.id, dispute.id)
    }
  }
  return attributed
}

/**
 * Compares the PSP's refunds with what the payment's data records. `refundable` is what Medusa still lets be refunded
 * (its captured less its refunded amount): a refund beyond it cannot be recorded and is reported instead.
 */
export function planRefundSync(
  current: PaymentRecord,
  pspRefunds: GatewayRefund[],
  chargebacks: Map<string, string>,
  refundable: number
): RefundSyncPlan {
  const plan: RefundSyncPlan = { to_record: [], status_changes: [], unrecordable: [], skipped: [] }
  let working: PaymentRecord = { ...current, refunds: [...current.refunds] }
  let left = refundable
  for (const refund of [...pspRefunds].sort(byCreatedAt)) {
    const records = current.refunds.filter((r) => r.id === refund.id)
    const recorded = records.find((r) => r.medusa_refund_id || r.source === "plugin")
    if (recorded) {
      if (recorded.status !== refund.status) {
        plan.status_changes.push({
          id: refund.id,
          from: recorded.status,
          to: refund.status,
          amount: records.reduce((sum, r) => sum + r.amount, 0),
          medusa_refund_id: recorded.medusa_refund_id,
          source: recorded.source,
        })
      }
      continue
    }
    const started = records.length > 0
    if (!started && refund.issued_by_plugin_key) {
      plan.skipped.push({ id: refund.id, why: "issued_by_plugin" })
      continue
    }
    if (chargebacks.has(refund.id) || records.some((r) => r.dispute_id)) {
      plan.skipped.push({ id: refund.id, why: "chargeback" })
      continue
    }
    if (!started && !isLiveRefund(refund)) {
      plan.skipped.push({ id: refund.id, why: "never_succeeded" })
      continue
    }
    if (!started && refund.reason === "expired_uncaptured_charge") {
      plan.skipped.push({ id: refund.id, why: "capture_release" })
      continue
    }
    if (refund.amount > left) {
      plan.unrecordable.push({ refund, refundable: Math.max(0, left) })
      continue
    }
    const parts = started
      ? records.map((r) => ({ medusa_capture_id: r.medusa_capture_id ?? null, amount: r.amount }))
      : allocate(working, refund.amount, captureOfPspId(working, refund.capture_id))
    plan.to_record.push({ refund, parts, resume: started })
    left -= refund.amount
    if (!started) {
      working = { ...working, refunds: [...working.refunds, ...refundRecords(refund, parts)] }
    }
  }
  return plan
}

/** A lost dispute to record in Medusa as a chargeback refund. */
export interface ChargebackToRecord {
  /** The PSP id the refund is recorded under: PayPal's reversal when there is one, else the dispute's id. */
  id: string
  dispute_id: string
  amount: number
  /** The disputed amount was more than Medusa had left to refund: only what was left is recorded. */
  capped_from: number | null
  parts: RefundPartPlan[]
  resume: boolean
}

/**
 * What a lost dispute adds to Medusa, or null when there is nothing (not lost, already recorded, nothing left to
 * refund). `reversalId`: the PSP refund that is this dispute's money (PayPal), from `chargebackRefunds`.
 */
export function planChargeback(
  current: PaymentRecord,
  dispute: GatewayDispute,
  reversalId: string | null,
  refundable: number,
  disputedCapture: string | null
): ChargebackToRecord | null {
  if (dispute.status !== "lost" || dispute.amount_lost <= 0) {
    return null
  }
  const records = current.refunds.filter((r) => r.dispute_id === dispute.id)
  if (records.some((r) => r.medusa_refund_id)) {
    return null
  }
  if (records.length > 0) {
    return {
      id: records[0].id,
      dispute_id: dispute.id,
      amount: records.reduce((sum, r) => sum + r.amount, 0),
      capped_from: null,
      parts: records.map((r) => ({ medusa_capture_id: r.medusa_capture_id ?? null, amount: r.amount })),
      resume: true,
    }
  }
  const amount = Math.min(dispute.amount_lost, Math.max(0, refundable))
  if (amount <= 0) {
    return null
  }
  return {
    id: reversalId ?? dispute.id,
    dispute_id: dispute.id,
    amount,
    capped_from: amount < dispute.amount_lost ? dispute.amount_lost : null,
    parts: allocate(current, amount, disputedCapture),
    resume: false,
  }
}

/**
 * The Medusa capture a dispute is about: PayPal names its capture; a Stripe dispute names the charge, which holds all
 * of the payment's captures, so it is the newest capture with enough left, else the newest one.
 */
export function disputedMedusaCapture(
  current: PaymentRecord,
  dispute: Pick<GatewayDispute, "capture_id" | "amount">,
  medusaCaptureIds: string[]
): string | null {
  const byPspId = captureOfPspId(current, dispute.capture_id)
  if (byPspId) {
    return byPspId
  }
  const ofCharge = current.captures.filter(
    (c) => c.medusa_capture_id && dispute.capture_id && c.id.startsWith(`${dispute.capture_id}:`)
  )
  const candidates = (ofCharge.length > 0 ? ofCharge : current.captures).filter((c) => c.medusa_capture_id)
  const newestFirst = [...candidates].reverse()
  const chosen = newestFirst.find((c) => c.amount >= dispute.amount) ?? newestFirst[0]
  if (chosen?.medusa_capture_id) {
    return chosen.medusa_capture_id
  }
  return medusaCaptureIds.length > 0 ? medusaCaptureIds[medusaCaptureIds.length - 1] : null
}

/** The records a synced refund (or chargeback) adds to `payment.data.refunds`, one per part. */
export function refundRecords(
  refund: Pick<GatewayRefund, "id" | "capture_id" | "status" | "created_at">,
  parts: RefundPartPlan[],
  extra: Partial<RefundRecord> = {}
): RefundRecord[] {
  return parts.map((part) => ({
    id: refund.id,
    medusa_refund_id: null,
    amount: part.amount,
    capture_id: refund.capture_id,
    medusa_capture_id: part.medusa_capture_id,
    source: "psp" as const,
    mechanism: "automatic" as const,
    status: refund.status,
    created_at: refund.created_at,
    ...extra,
  }))
}

/** Medusa capture id of the capture record with this PSP id (a PayPal capture), if any. */
function captureOfPspId(current: PaymentRecord, pspCaptureId: string | null): string | null {
  if (!pspCaptureId) {
    return null
  }
  return current.captures.find((c: CaptureRecord) => c.id === pspCaptureId)?.medusa_capture_id ?? null
}

/**
 * Spreads an amount over the captures as the provider does (`allocateRefund`), on the given capture when it has
 * enough left. When the data knows no capture that can take it, one part without a capture: Medusa's own totals
 * (checked before) are what decide whether it can be recorded.
 */
function allocate(current: PaymentRecord, amount: number, target: string | null): RefundPartPlan[] {
  const targeted = target ? allocateRefund(current, amount, { target, mechanism: "automatic" }) : null
  const allocation = targeted?.ok ? targeted : allocateRefund(current, amount, { mechanism: "automatic" })
  if (allocation.ok) {
    return allocation.parts.map((p) => ({ medusa_capture_id: p.capture.medusa_capture_id, amount: p.amount }))
  }
  const captures = capturesOf(current)
  return [{ medusa_capture_id: captures[captures.length - 1]?.medusa_capture_id ?? null, amount }]
}
