/**
 * What the reconciler may repair of one payment, and what it can only report. Pure: the steps read Medusa, the
 * plugin's instructions and the PSP; this decides; the steps apply. A repair is made only where the link between
 * Medusa's row and the PSP's money is certain — an attempt mark (`started` instruction) for that Medusa id and PSP
 * money that matches it exactly (the capture's amount; the refund's idempotency key). Everything else is a
 * discrepancy that says what differs and what a person should check. Amounts are integer minor units.
 */
import type { GatewayPayment, GatewayRefund } from "../../gateways/types"
import type { CaptureRecord, PaymentRecord, RefundRecord } from "../../payment-record/schema"
import {
  allocateRefund,
  capturesOf,
  isLiveRefund,
  recordsOfRefundCall,
  type RefundCall,
} from "../../planners/refund-planner"

export interface Discrepancy {
  /** A stable word for the kind of difference (see README "Reconciliation"). */
  code: string
  /** What differs and what a person should check, in one or two sentences. */
  detail: string
}

export interface Repair {
  code: string
  detail: string
}

/** An attempt mark the provider left (`orchestrator_instruction` in state `started`). */
export interface StartedAttempt {
  id: string
  kind: "capture" | "refund"
  medusa_id: string | null
  options: {
    amount?: number
    amount_major?: string
    final?: boolean
    statement_descriptor?: string | null
    custom_reference?: string | null
    invoice_detail_ids?: string[] | null
    medusa_capture_id?: string | null
  }
}

export interface MedusaRow {
  id: string
  /** Minor units. */
  amount: number
  created_at: string
  metadata?: Record<string, unknown> | null
}

export interface ReconcileState {
  gateway: "stripe" | "paypal"
  currency: string
  record: PaymentRecord
  medusa: {
    /** Authorized amount of the Medusa payment (minor units). */
    amount: number
    captured_at: string | null
    canceled_at: string | null
    captures: MedusaRow[]
    refunds: MedusaRow[]
  }
  started: StartedAttempt[]
  psp: GatewayPayment
  psp_refunds: GatewayRefund[]
}

export interface CaptureRepair {
  instruction_id: string
  medusa_capture_id: string
  record: CaptureRecord
  custom_reference?: string | null
}

export interface RefundRepair {
  instruction_id: string
  medusa_refund_id: string
  records: RefundRecord[]
  amount: number
}

export interface LeftoverPlan {
  captures: CaptureRepair[]
  refunds: RefundRepair[]
  discrepancies: Discrepancy[]
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

/** PayPal refunds each capture on its own: its refunds name the capture they give back. */
const refundsPerCapture = (gateway: string) => gateway === "paypal"

/**
 * The crash leftovers of one payment: Medusa rows (captures, refunds) that the provider started (an attempt mark for
 * their id) and whose answer never reached the record. A capture is repaired when the PSP captured exactly the
 * leftovers' amount beyond what the record holds (PayPal: a PSP capture of that amount not in the record); a refund
 * when the PSP holds refunds carrying its key (`refund-<medusa refund id>`) of exactly its amount.
 */
export function planLeftovers(state: ReconcileState, money: (minor: number) => string): LeftoverPlan {
  const plan: LeftoverPlan = { captures: [], refunds: [], discrepancies: [] }
  const { record, psp, gateway } = state
  const startedFor = (kind: "capture" | "refund", id: string) =>
    state.started.find((s) => s.kind === kind && s.medusa_id === id)

  // Captures.
  const recordedCaptures = new Set(record.captures.map((c) => c.medusa_capture_id).filter(Boolean))
  const leftovers = state.medusa.captures
    .filter((row) => !recordedCaptures.has(row.id))
    .map((row) => ({ row, attempt: startedFor("capture", row.id) }))
    .filter((l): l is { row: MedusaRow; attempt: StartedAttempt } => !!l.attempt)
    .sort((a, b) => Date.parse(a.row.created_at) - Date.parse(b.row.created_at))
  if (leftovers.length > 0) {
    const atPsp = sum(record.captures.filter((c) => c.mechanism !== "manual").map((c) => c.amount))
    const surplus = psp.amount_captured - atPsp
    const expected = sum(leftovers.map((l) => l.row.amount))
    const ids = leftovers.map((l) => l.row.id).join(", ")
    if (surplus <= 0) {
      plan.discrepancies.push({
        code: "medusa_capture_not_at_psp",
        detail: `Medusa has capture ${ids} of ${money(expected)} that the provider started but ${gateway} never captured (its process stopped before ${gateway} acted). Medusa cannot delete a capture: check the payment at ${gateway}, then capture the money again there or refund the order in Medusa without refunding at ${gateway}.`,
      })
    } else if (surplus !== expected) {
      plan.discrepancies.push({
        code: "psp_capture_mismatch",
        detail: `${gateway} captured ${money(surplus)} of this payment that its record does not hold, but Medusa's unrecorded capture ${ids} is ${money(expected)}: the link is not certain, nothing was repaired. Compare the captures at ${gateway} with Medusa's.`,
      })
    } else {
      const recordedIds = new Set(record.captures.map((c) => c.id))
      const unexplained = psp.captures.filter((c) => c.status !== "failed" && !recordedIds.has(c.id))
      const used = new Set<string>()
      const charge = record.captures.map((c) => c.id.split(":")[0]).find((id) => /^(ch|py)_/.test(id))
      let capturedSoFar = atPsp
      const repairs: CaptureRepair[] = []
      for (const { row, attempt } of leftovers) {
        let pspId: string | null = null
        let createdAt = row.created_at
        if (psp.captures.length > 0) {
          const match = unexplained.find((c) => !used.has(c.id) && c.amount === row.amount)
          if (!match) {
            break
          }
          used.add(match.id)
          pspId = match.id
          createdAt = match.created_at
        } else {
          // Stripe keeps one charge per PaymentIntent: the record names its captures `<charge>:<Medusa capture id>`.
          pspId = `${charge ?? record.reference}:${row.id}`
        }
        capturedSoFar += row.amount
        repairs.push({
          instruction_id: attempt.id,
          medusa_capture_id: row.id,
          custom_reference: attempt.options.custom_reference,
          record: {
            id: pspId,
            medusa_capture_id: row.id,
            amount: row.amount,
            final: attempt.options.final ?? capturedSoFar >= record.amount,
            created_at: createdAt,
            mechanism: "automatic",
            ...(attempt.options.custom_reference !== undefined
              ? { custom_reference: attempt.options.custom_reference }
              : {}),
            ...(attempt.options.statement_descriptor !== undefined
              ? { statement_descriptor: attempt.options.statement_descriptor }
              : {}),
            ...(attempt.options.invoice_detail_ids !== undefined
              ? { invoice_detail_ids: attempt.options.invoice_detail_ids }
              : {}),
          },
        })
      }
      if (repairs.length === leftovers.length) {
        plan.captures.push(...repairs)
      } else {
        plan.discrepancies.push({
          code: "psp_capture_mismatch",
          detail: `${gateway} captured ${money(surplus)} of this payment that its record does not hold, but its captures do not match Medusa's unrecorded capture ${ids} one by one: nothing was repaired. Compare the captures at ${gateway} with Medusa's.`,
        })
      }
    }
  }

  // Refunds.
  const recordedRefunds = new Set(record.refunds.map((r) => r.medusa_refund_id).filter(Boolean))
  const knownPspRefunds = new Set(record.refunds.map((r) => r.id))
  let working = record
  for (const row of [...state.medusa.refunds].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))) {
    const attempt = startedFor("refund", row.id)
    if (recordedRefunds.has(row.id) || !attempt) {
      continue
    }
    const key = `refund-${row.id}`
    const lost = state.psp_refunds.filter(
      (r) =>
        !knownPspRefunds.has(r.id) &&
        isLiveRefund(r) &&
        (r.issued_by_plugin_key === key || !!r.issued_by_plugin_key?.startsWith(`${key}-`))
    )
    const total = sum(lost.map((r) => r.amount))
    if (total === 0) {
      plan.discrepancies.push({
        code: "medusa_refund_not_at_psp",
        detail: `Medusa has refund ${row.id} of ${money(row.amount)} that the provider started but ${gateway} holds no refund with its key (its process stopped before ${gateway} acted). Medusa cannot delete a refund: check the payment at ${gateway}, then refund the customer there once.`,
      })
      continue
    }
    if (total !== row.amount) {
      plan.discrepancies.push({
        code: "psp_refund_mismatch",
        detail: `${gateway} refunded ${money(total)} with the key of Medusa's refund ${row.id}, which is ${money(row.amount)}: nothing was repaired. Compare the refunds at ${gateway} with Medusa's.`,
      })
      continue
    }
    const records: RefundRecord[] = []
    for (const refund of lost) {
      const byCapture = refundsPerCapture(gateway)
        ? working.captures.find((c) => c.id === refund.capture_id)?.medusa_capture_id
        : undefined
      const allocation = allocateRefund(working, refund.amount, {
        target: byCapture ?? attempt.options.medusa_capture_id,
        mechanism: "automatic",
      })
      const parts = allocation.ok ? allocation.parts : [{ capture: capturesOf(working)[0], amount: refund.amount }]
      const call: RefundCall = { capture_id: refund.capture_id, amount: refund.amount, idempotency_key: "", parts }
      const added = recordsOfRefundCall(call, refund, row.id)
      records.push(...added)
      working = { ...working, refunds: [...working.refunds, ...added] }
    }
    plan.refunds.push({ instruction_id: attempt.id, medusa_refund_id: row.id, records, amount: row.amount })
  }
  return plan
}

/**
 * What still differs once the repairs are made, read again: money the PSP moved that no Medusa record explains, and
 * Medusa records the PSP does not know.
 */
export function compareWithPsp(state: ReconcileState, money: (minor: number) => string): Discrepancy[] {
  const { record, psp, gateway, medusa } = state
  const out: Discrepancy[] = []
  const manualCaptured = sum(record.captures.filter((c) => c.mechanism === "manual").map((c) => c.amount))
  const medusaCaptured = sum(medusa.captures.map((c) => c.amount)) - manualCaptured
  if (psp.amount_captured > medusaCaptured) {
    out.push({
      code: "psp_captured_more",
      detail: `${gateway} captured ${money(psp.amount_captured)} of payment ${psp.reference}, Medusa's captures explain ${money(medusaCaptured)}: ${money(psp.amount_captured - medusaCaptured)} moved at ${gateway} without a Medusa record. Check the payment at ${gateway} (a capture made in its dashboard?), then record it in Medusa by capturing that amount or refund it at ${gateway}.`,
    })
  } else if (psp.amount_captured < medusaCaptured) {
    out.push({
      code: "medusa_captured_more",
      detail: `Medusa records ${money(medusaCaptured)} captured through ${gateway} on payment ${psp.reference}, ${gateway} captured ${money(psp.amount_captured)}: ${money(medusaCaptured - psp.amount_captured)} of Medusa's captures are unknown to ${gateway}. Check the payment at ${gateway}; the customer may not have paid that part.`,
    })
  }

  const recordedIds = new Set(record.refunds.map((r) => r.id))
  const pspIds = new Set(state.psp_refunds.map((r) => r.id))
  for (const refund of state.psp_refunds) {
    if (!recordedIds.has(refund.id) && isLiveRefund(refund)) {
      out.push({
        code: "psp_refund_unrecorded",
        detail: `${gateway} refund ${refund.id} of ${money(refund.amount)}${refund.issued_by_plugin_key ? " (issued by this plugin)" : ""} has no Medusa record. ${refund.issued_by_plugin_key ? "Its refund request's answer was lost: retry the same refund with the same amount, which records it without refunding again." : "Check it at " + gateway + ": Medusa has nothing left to refund, or the refund is still being recorded."}`,
      })
    }
  }
  for (const refund of record.refunds) {
    if (refund.mechanism !== "manual" && refund.source !== "psp" && !pspIds.has(refund.id) && !refund.dispute_id) {
      out.push({
        code: "record_refund_unknown_to_psp",
        detail: `The payment's record holds refund ${refund.id} of ${money(refund.amount)} that ${gateway} does not know. Check the payment at ${gateway}: the customer may not have been refunded.`,
      })
    }
  }
  const recordedMedusaRefunds = new Set(record.refunds.map((r) => r.medusa_refund_id).filter(Boolean))
  for (const row of medusa.refunds) {
    if (!recordedMedusaRefunds.has(row.id)) {
      out.push({
        code: "medusa_refund_unrecorded",
        detail: `Medusa refund ${row.id} of ${money(row.amount)} is not in the payment's record, and no refund at ${gateway} can be tied to it for certain. Check the refunds at ${gateway}: if none matches, the customer was not refunded.`,
      })
    }
  }
  if (psp.status === "expired" && !medusa.canceled_at && !medusa.captured_at) {
    out.push({
      code: "authorization_expired",
      detail: `The ${gateway} authorization of payment ${psp.reference} expired${psp.expires_at ? ` on ${psp.expires_at}` : ""} before it was fully captured, so ${gateway} released the funds. Cancel the payment in Medusa (no call reaches ${gateway}) and ask the customer to pay again for what was not captured.`,
    })
  }
  if ((psp.status === "canceled" || psp.status === "failed") && !medusa.canceled_at && medusa.captures.length > 0) {
    out.push({
      code: "psp_voided_with_captures",
      detail: `${gateway} shows payment ${psp.reference} as ${psp.psp_status} while Medusa holds captures: check the payment at ${gateway}.`,
    })
  }
  return out
}

/** The record with the PSP's current facts (status, amounts, authorization, expiry); the same object if none changed. */
export function withPspFacts(record: PaymentRecord, psp: GatewayPayment): PaymentRecord {
  const next = {
    ...record,
    status: psp.status,
    psp_status: psp.psp_status,
    authorization_id: psp.authorization_id ?? record.authorization_id,
    expires_at: psp.expires_at ?? record.expires_at,
  }
  return JSON.stringify(next) === JSON.stringify(record) ? record : next
}
