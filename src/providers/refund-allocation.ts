import type { CaptureRecord, OrchestratorPaymentData, RefundRecord } from "./payment-data"

/** Refunds that still count against a capture (a failed or canceled refund gave nothing back). */
export const isLiveRefund = (refund: Pick<RefundRecord, "status">): boolean =>
  refund.status !== "failed" && refund.status !== "canceled"

export interface RefundPart {
  capture: CaptureRecord
  amount: number
}

/**
 * The payment's captures as far as refunds are concerned. A payment Medusa recorded as captured without asking the
 * provider (automatic capture at authorization) has no capture record: then the PSP payment itself is the capture.
 */
export function capturesOf(current: OrchestratorPaymentData): CaptureRecord[] {
  if (current.captures.length > 0 || (current.status !== "captured" && current.status !== "partially_captured")) {
    return current.captures
  }
  return [
    {
      id: current.reference,
      medusa_capture_id: null,
      amount: current.amount,
      final: true,
      created_at: "",
      mechanism: "automatic",
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
export function refundableByCapture(current: OrchestratorPaymentData): Map<string, number> {
  const captures = capturesOf(current)
  const left = new Map(captures.map((c) => [c.id, c.amount]))
  for (const refund of current.refunds) {
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
  current: OrchestratorPaymentData,
  amount: number,
  options: { target?: string | null; mechanism: "automatic" | "manual" }
): RefundAllocation {
  const left = refundableByCapture(current)
  const candidates = capturesOf(current)
    .map((capture, index) => ({ capture, index }))
    .filter(({ capture }) => !options.target || capture.medusa_capture_id === options.target)
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
