import type { GatewayRefund } from "../gateways/types"
import type { InstructionOptions } from "../modules/payment-orchestrator/instruction-store"
import type { CaptureRecord, Mechanism, PaymentRecord, RefundRecord } from "../payment-record/schema"
import type { Refusal } from "./capture-planner"

/** Refunds that still count against a capture (a failed or canceled refund gave nothing back). */
export const isLiveRefund = (refund: Pick<RefundRecord, "status">): boolean =>
  refund.status !== "failed" && refund.status !== "canceled"

export interface RefundPart {
  capture: CaptureRecord
  amount: number
}

/**
 * Whether Medusa recorded the payment as captured without asking the provider: the PSP took the money when the buyer
 * paid (the provider answered `captured` at authorization: iDEAL and the other methods Stripe cannot capture later,
 * `capture: true`), so Medusa created its capture row itself and never called `capturePayment` (Medusa 2.21
 * `authorizePaymentSession` with `is_captured`); no capture record exists.
 */
export function capturedAtAuthorization(record: PaymentRecord): boolean {
  return record.captures.length === 0 && (record.status === "captured" || record.status === "partially_captured")
}

/**
 * The payment's captures as far as refunds are concerned. A payment captured at authorization (see
 * {@link capturedAtAuthorization}) has no capture record: then the PSP payment itself is the capture, made at payment.
 */
export function capturesOf(record: PaymentRecord): CaptureRecord[] {
  if (!capturedAtAuthorization(record)) {
    return record.captures
  }
  return [
    {
      id: record.reference,
      medusa_capture_id: null,
      amount: record.amount,
      final: true,
      created_at: "",
      mechanism: "automatic",
      at_payment: true,
    },
  ]
}

/** Which capture a refund record gives back: by Medusa capture id, else by PSP capture id, else the only capture. */
export function captureOfRefund(refund: RefundRecord, captures: CaptureRecord[]): CaptureRecord | undefined {
  if (refund.medusa_capture_id) {
    const byMedusaId = captures.find((c) => c.medusa_capture_id === refund.medusa_capture_id)
    if (byMedusaId) {
      return byMedusaId
    }
  }
  return captures.find((c) => c.id === refund.capture_id) ?? (captures.length === 1 ? captures[0] : undefined)
}

/** What is left to refund on each capture (by capture record id): its amount less the live refunds given back on it. */
export function refundableByCapture(record: PaymentRecord): Map<string, number> {
  const captures = capturesOf(record)
  const left = new Map(captures.map((c) => [c.id, c.amount]))
  for (const refund of record.refunds) {
    const capture = isLiveRefund(refund) ? captureOfRefund(refund, captures) : undefined
    if (capture) {
      left.set(capture.id, (left.get(capture.id) ?? 0) - refund.amount)
    }
  }
  return left
}

export type RefundAllocation =
  { ok: true; parts: RefundPart[] } | { ok: false; reason: "manual_capture" | "exceeds_refundable"; refundable: number }

/**
 * Spreads a refund over the captures that still have money to give back, newest capture first, never more than a
 * capture's remaining amount. `target` limits it to one Medusa capture (a refund of one capture transaction). An
 * automatic refund never touches a manual capture: that money was taken outside the gateway.
 */
export function allocateRefund(
  record: PaymentRecord,
  amount: number,
  options: { target?: string | null; mechanism: Mechanism }
): RefundAllocation {
  const left = refundableByCapture(record)
  const standIn = record.captures.length === 0
  const candidates = capturesOf(record)
    .map((capture, index) => ({ capture, index }))
    // A payment the PSP captured at authorization has no capture record (Medusa recorded its capture row without
    // calling the provider): its stand-in capture is the one any target capture means.
    .filter(({ capture }) => !options.target || capture.medusa_capture_id === options.target || standIn)
    .sort(
      (a, b) => Date.parse(b.capture.created_at || "0") - Date.parse(a.capture.created_at || "0") || b.index - a.index
    )
    .map(({ capture }) => capture)
  const eligible = candidates.filter((c) => options.mechanism === "manual" || c.mechanism !== "manual")
  const refundable = eligible.reduce((sum, c) => sum + Math.max(0, left.get(c.id) ?? 0), 0)
  if (refundable < amount) {
    const manualOnly = options.mechanism === "automatic" && candidates.length > 0 && eligible.length === 0
    return { ok: false, reason: manualOnly ? "manual_capture" : "exceeds_refundable", refundable }
  }
  const parts: RefundPart[] = []
  let rest = amount
  for (const capture of eligible) {
    const take = Math.min(Math.max(0, left.get(capture.id) ?? 0), rest)
    if (take > 0) {
      parts.push({ capture, amount: take })
      rest -= take
    }
    if (rest === 0) {
      break
    }
  }
  return { ok: true, parts }
}

export interface RefundPlanInput {
  record: PaymentRecord
  medusa_refund_id: string | null
  amount: number
  /** The workflow's instruction; `{}` when Medusa started the refund itself (its own route, order flows). */
  options: InstructionOptions
  /** PayPal refunds each capture on its own; Stripe refunds the PaymentIntent as a whole. */
  refunds_per_capture: boolean
  money: (minor: number) => string
  gateway: string
  now: string
}

/** One PSP refund call: the capture it refunds at the PSP (PayPal), its amount, and the captures it gives back. */
export interface RefundCall {
  capture_id: string | null
  amount: number
  idempotency_key: string
  parts: RefundPart[]
}

export type RefundPlan =
  | { kind: "already_recorded" }
  | Refusal
  /** Recorded without calling the PSP: a refund made at the PSP (webhook sync) or a mark-as-refunded. */
  | { kind: "record"; records: RefundRecord[] }
  /** Refunds made at the PSP (webhook sync), already in the record: tied to the new Medusa refund. */
  | { kind: "link"; psp_refund_ids: string[] }
  | { kind: "refund"; calls: RefundCall[]; mechanism: Mechanism; note: string | null }

/**
 * Decides one refund: whether the PSP is called (not for refunds the PSP already made, nor for mark-as-refunded),
 * which captures it gives back (allocation, target capture), and refuses, moving nothing, a refund while a dispute is
 * open, an automatic refund of a manual capture, or more than is left.
 */
export function planRefund(input: RefundPlanInput): RefundPlan {
  const { record, options, amount } = input
  const refundId = input.medusa_refund_id
  if (refundId && record.refunds.some((r) => r.medusa_refund_id === refundId)) {
    return { kind: "already_recorded" }
  }
  if (amount <= 0) {
    return { kind: "refuse", type: "invalid", message: "The amount to refund must be greater than zero." }
  }
  const external = options.external_refunds ?? []
  if (external.length > 0) {
    return planExternal(input, external)
  }
  if (record.open_disputes.length > 0) {
    return {
      kind: "refuse",
      type: "not_allowed",
      message: `Cannot refund ${input.money(amount)}: a chargeback is open on this payment (${input.gateway} dispute ${record.open_disputes.join(", ")}). The card network may already take the disputed money back from you, so a refund now could pay the customer twice. Respond to the dispute at ${input.gateway}; refund only once it is won or closed.`,
    }
  }
  const mechanism: Mechanism = options.mechanism ?? "automatic"
  const allocation = allocateRefund(record, amount, { target: options.medusa_capture_id, mechanism })
  if (!allocation.ok) {
    return {
      kind: "refuse",
      type: "not_allowed",
      message:
        allocation.reason === "manual_capture"
          ? "Unable to automatically refund a manually captured transaction: the money was taken outside the gateway. Refund the customer outside the gateway, then mark the transaction as refunded."
          : `Cannot refund ${input.money(amount)}: only ${input.money(allocation.refundable)} of ${options.medusa_capture_id ? "this capture" : "the payment's captures"} can be refunded${mechanism === "automatic" ? " at the gateway" : ""}.`,
    }
  }
  const key = `refund-${refundId ?? input.now}`
  if (mechanism === "manual") {
    return {
      kind: "record",
      records: allocation.parts.map((part, i) =>
        refundRecord(`manual_${refundId ?? input.now}${i ? `-${i}` : ""}`, part, {
          medusa_refund_id: refundId,
          mechanism,
          status: "succeeded",
          created_at: input.now,
          capture_id: null,
          source: "plugin",
        })
      ),
    }
  }
  const calls: RefundCall[] = input.refunds_per_capture
    ? allocation.parts.map((part, i) => ({
        capture_id: part.capture.id,
        amount: part.amount,
        idempotency_key: `${key}${i ? `-${i}` : ""}`,
        parts: [part],
      }))
    : [{ capture_id: null, amount, idempotency_key: key, parts: allocation.parts }]
  return { kind: "refund", calls, mechanism, note: options.note ?? null }
}

/**
 * Refunds made at the PSP that Medusa is recording now (the webhook sync names them by PSP id in its instruction):
 * tied to the new Medusa refund, never sent to the PSP again. Their total must be what Medusa records.
 */
function planExternal(
  input: RefundPlanInput,
  external: NonNullable<InstructionOptions["external_refunds"]>
): RefundPlan {
  const total = external.reduce((sum, r) => sum + r.amount, 0)
  if (total !== input.amount) {
    return {
      kind: "refuse",
      type: "unexpected_state",
      message: `Medusa is recording ${input.money(input.amount)} for ${input.gateway} refunds of ${input.money(total)}: nothing was recorded. Run the sync again.`,
    }
  }
  const ids = new Set(external.map((r) => r.id))
  const missing = external.filter((e) => !input.record.refunds.some((r) => r.id === e.id))
  if (missing.length > 0) {
    return {
      kind: "refuse",
      type: "unexpected_state",
      message: `The ${input.gateway} refunds ${missing.map((m) => m.id).join(", ")} are not in the payment's record, so Medusa cannot record them: nothing was recorded. Run the sync again.`,
    }
  }
  const elsewhere = input.record.refunds.filter(
    (r) => ids.has(r.id) && r.medusa_refund_id && r.medusa_refund_id !== input.medusa_refund_id
  )
  if (elsewhere.length > 0) {
    return {
      kind: "refuse",
      type: "not_allowed",
      message: `The ${input.gateway} refund ${elsewhere[0].id} is already recorded in Medusa as refund ${elsewhere[0].medusa_refund_id}: nothing was recorded again.`,
    }
  }
  return { kind: "link", psp_refund_ids: external.map((r) => r.id) }
}

export function refundRecord(
  id: string,
  part: RefundPart,
  fields: Pick<RefundRecord, "medusa_refund_id" | "status" | "created_at" | "capture_id" | "source"> & {
    mechanism?: Mechanism
  }
): RefundRecord {
  return {
    id,
    amount: part.amount,
    medusa_capture_id: part.capture.medusa_capture_id,
    mechanism: fields.mechanism ?? "automatic",
    ...fields,
  }
}

/** The records of one PSP refund call, one per capture it gives back. */
export function recordsOfRefundCall(
  call: RefundCall,
  refund: Pick<GatewayRefund, "id" | "status" | "created_at" | "capture_id">,
  medusaRefundId: string | null
): RefundRecord[] {
  return call.parts.map((part) =>
    refundRecord(refund.id, part, {
      medusa_refund_id: medusaRefundId,
      status: refund.status,
      created_at: refund.created_at,
      capture_id: refund.capture_id,
      source: "plugin",
    })
  )
}

export interface LostRefundInput {
  record: PaymentRecord
  amount: number
  /** The PSP's refunds of the payment now. */
  psp_refunds: GatewayRefund[]
  /** Idempotency keys of earlier attempts that started and were never recorded (`refund-<medusa refund id>`). */
  leftover_keys: string[]
  /**
   * Earlier attempts whose process died after Medusa wrote their refund row: if the PSP refunded for one, Medusa
   * already counts that money, so refunding or recording it again would count it twice.
   */
  interrupted?: { key: string; medusa_refund_id: string }[]
  money: (minor: number) => string
  gateway: string
}

export type LostRefundPlan = { kind: "none" } | Refusal | { kind: "recover"; refunds: GatewayRefund[] }

/**
 * An earlier refund attempt left its mark and was never recorded. Refunds at the PSP that carry that attempt's key
 * are its lost answer: of exactly this amount, they are recorded instead of refunding again; of another amount the
 * refund is refused, refunding nothing, with the amount to retry.
 */
export function planLostRefund(input: LostRefundInput): LostRefundPlan {
  const known = new Set(input.record.refunds.map((r) => r.id))
  const carries = (r: GatewayRefund, key: string) =>
    r.issued_by_plugin_key !== null && (r.issued_by_plugin_key === key || r.issued_by_plugin_key.startsWith(`${key}-`))
  for (const attempt of input.interrupted ?? []) {
    const moved = input.psp_refunds.filter((r) => carries(r, attempt.key) && isLiveRefund(r) && !known.has(r.id))
    if (moved.length > 0) {
      const total = moved.reduce((sum, r) => sum + r.amount, 0)
      return {
        kind: "refuse",
        type: "not_allowed",
        message: `Medusa refund ${attempt.medusa_refund_id} was interrupted after ${input.gateway} refunded ${input.money(total)}: Medusa counts it, but its ${input.gateway} record is missing. Nothing was refunded now: reconcile the order (POST /admin/orders/:id/reconcile, or Reconcile in the order's transactions) to complete it, then refund only what is still due.`,
      }
    }
  }
  const ours = (r: GatewayRefund) => input.leftover_keys.some((key) => carries(r, key))
  const lost = input.psp_refunds.filter((r) => ours(r) && isLiveRefund(r) && !known.has(r.id))
  const total = lost.reduce((sum, r) => sum + r.amount, 0)
  if (total === 0) {
    return { kind: "none" }
  }
  if (total !== input.amount) {
    return {
      kind: "refuse",
      type: "not_allowed",
      message: `${input.gateway} has already refunded ${input.money(total)} of this payment in an earlier attempt whose answer was lost, and Medusa has no record of it. Nothing was refunded now: retry the refund with exactly ${input.money(total)} to record it, or check the payment at ${input.gateway} first.`,
    }
  }
  return { kind: "recover", refunds: lost }
}
