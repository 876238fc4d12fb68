/**
 * The PayPal provider refunds per capture (`refundsPerCapture`): a Medusa refund is split over the captures that still
 * have money to give back, newest capture first, never more than a capture's remaining amount. The split is the pure
 * `allocateRefund` the provider base calls.
 */
import type { CaptureRecord, PaymentRecord, RefundRecord } from "../../../payment-record/schema"
import { allocateRefund } from "../../../planners/refund-planner"

const capture = (id: string, amount: number, created_at: string): CaptureRecord => ({
  id,
  medusa_capture_id: `capt_${id}`,
  amount,
  final: false,
  created_at,
})

const refund = (capture_id: string, amount: number, status = "succeeded"): RefundRecord => ({
  id: `REF-${capture_id}-${amount}-${status}`,
  medusa_refund_id: null,
  amount,
  capture_id,
  source: "plugin",
  status,
  created_at: "2026-06-03T00:00:00Z",
})

function payment(captures: CaptureRecord[], refunds: RefundRecord[] = []): PaymentRecord {
  return {
    v: 1,
    client_secret: null,
    approve_url: null,
    open_disputes: [],
    multicapture: null,
    honor_until: null,
    reauthorized: false,
    gateway: "paypal",
    id: "ORDER-1",
    reference: "ORDER-1",
    authorization_id: "AUTH-1",
    session_id: "payses_1",
    currency: "usd",
    amount: 10000,
    status: "captured",
    psp_status: "CAPTURED",
    custom_reference: null,
    expires_at: null,
    captures,
    refunds,
  }
}

const OLDER = capture("CAP-OLD", 2500, "2026-06-01T10:00:00Z")
const NEWER = capture("CAP-NEW", 4500, "2026-06-02T10:00:00Z")

/** `allocateRefund` as PayPal's refunds use it, reduced to [PayPal capture id, amount] pairs. */
function split(current: PaymentRecord, amount: number): [string, number][] {
  const allocation = allocateRefund(current, amount, { mechanism: "automatic" })
  if (!allocation.ok) {
    throw new Error(`refused: ${allocation.reason}, ${allocation.refundable} refundable`)
  }
  return allocation.parts.map((p) => [p.capture.id, p.amount])
}

describe("PayPal per-capture refund split", () => {
  it("takes a refund smaller than the newest capture from the newest capture alone", () => {
    expect(split(payment([OLDER, NEWER]), 1000)).toEqual([["CAP-NEW", 1000]])
  })

  it("takes what the newest capture has left, then goes to the older one", () => {
    expect(split(payment([OLDER, NEWER]), 5000)).toEqual([
      ["CAP-NEW", 4500],
      ["CAP-OLD", 500],
    ])
    expect(split(payment([OLDER, NEWER]), 7000)).toEqual([
      ["CAP-NEW", 4500],
      ["CAP-OLD", 2500],
    ])
  })

  it("orders by capture time, not by position in the list", () => {
    expect(split(payment([NEWER, OLDER]), 5000)).toEqual([
      ["CAP-NEW", 4500],
      ["CAP-OLD", 500],
    ])
  })

  it("takes the later record as newer when two captures have the same time", () => {
    const a = capture("CAP-A", 1000, "2026-06-01T10:00:00Z")
    const b = capture("CAP-B", 1000, "2026-06-01T10:00:00Z")
    expect(split(payment([a, b]), 1500)).toEqual([
      ["CAP-B", 1000],
      ["CAP-A", 500],
    ])
  })

  it("never takes more than a capture's remaining amount, counting earlier refunds on it", () => {
    const current = payment([OLDER, NEWER], [refund("CAP-NEW", 4000), refund("CAP-OLD", 500)])
    expect(split(current, 2500)).toEqual([
      ["CAP-NEW", 500],
      ["CAP-OLD", 2000],
    ])
    // A fully refunded capture is skipped.
    expect(split(payment([OLDER, NEWER], [refund("CAP-NEW", 4500)]), 100)).toEqual([["CAP-OLD", 100]])
  })

  it("does not count failed or canceled refunds: that money was never given back", () => {
    const current = payment([OLDER, NEWER], [refund("CAP-NEW", 4500, "failed"), refund("CAP-NEW", 1000, "canceled")])
    expect(split(current, 4500)).toEqual([["CAP-NEW", 4500]])
  })

  it("counts pending refunds: PayPal may still give that money back", () => {
    expect(split(payment([OLDER, NEWER], [refund("CAP-NEW", 4000, "pending")]), 1000)).toEqual([
      ["CAP-NEW", 500],
      ["CAP-OLD", 500],
    ])
  })

  it("refuses more than what is left across all captures, saying how much is left", () => {
    const current = payment([OLDER, NEWER], [refund("CAP-NEW", 1000)])
    expect(allocateRefund(current, 6001, { mechanism: "automatic" })).toEqual({
      ok: false,
      reason: "exceeds_refundable",
      refundable: 6000,
    })
    expect(split(current, 6000)).toEqual([
      ["CAP-NEW", 3500],
      ["CAP-OLD", 2500],
    ])
  })

  it("splits into whole minor units that add up to the refund, each within its capture", () => {
    const captures = [
      capture("C1", 333, "2026-06-01T00:00:00Z"),
      capture("C2", 1, "2026-06-01T00:00:01Z"),
      capture("C3", 4999, "2026-06-01T00:00:02Z"),
      capture("C4", 1667, "2026-06-01T00:00:03Z"),
    ]
    const current = payment(captures, [refund("C3", 4000), refund("C1", 33)])
    const left: Record<string, number> = { C1: 300, C2: 1, C3: 999, C4: 1667 }
    for (let amount = 1; amount <= 2967; amount += 37) {
      const parts = split(current, amount)
      expect(parts.reduce((sum, [, a]) => sum + a, 0)).toBe(amount)
      for (const [id, a] of parts) {
        expect(Number.isInteger(a)).toBe(true)
        expect(a).toBeGreaterThan(0)
        expect(a).toBeLessThanOrEqual(left[id])
      }
      // Newest first: C4, C3, C2, C1, and an older capture is touched only once the newer ones are used up.
      const order = parts.map(([id]) => id)
      expect(order).toEqual(["C4", "C3", "C2", "C1"].slice(0, order.length))
      parts.slice(0, -1).forEach(([id, a]) => expect(a).toBe(left[id]))
    }
  })
})
