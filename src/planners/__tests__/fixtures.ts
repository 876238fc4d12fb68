/**
 * Records for the planner tests. Not a spec (jest runs `*.unit.spec.ts` only): builders and fast-check arbitraries
 * shared by the capture, refund and rules specs.
 */
import fc from "fast-check"
import type { GatewayRefund } from "../../gateways/types"
import type { CaptureRecord, Mechanism, PaymentRecord, RefundRecord } from "../../payment-record/schema"

/** `money(minor)` as the planners' messages use it, two decimals. */
export const money = (minor: number): string => `USD ${(minor / 100).toFixed(2)}`

export const NOW = "2026-07-01T12:00:00.000Z"

export function paymentRecord(overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    v: 1,
    gateway: "stripe",
    id: "pi_1",
    reference: "pi_1",
    authorization_id: null,
    session_id: "payses_1",
    currency: "usd",
    amount: 10000,
    status: "authorized",
    psp_status: "requires_capture",
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
    ...overrides,
  }
}

export function captureRecord(id: string, amount: number, overrides: Partial<CaptureRecord> = {}): CaptureRecord {
  return {
    id,
    medusa_capture_id: `capt_${id}`,
    amount,
    final: false,
    created_at: "2026-06-01T10:00:00.000Z",
    mechanism: "automatic",
    ...overrides,
  }
}

export function refundRecord(id: string, amount: number, overrides: Partial<RefundRecord> = {}): RefundRecord {
  return {
    id,
    medusa_refund_id: null,
    amount,
    capture_id: null,
    source: "plugin",
    status: "succeeded",
    created_at: "2026-06-05T10:00:00.000Z",
    ...overrides,
  }
}

export function gatewayRefund(id: string, amount: number, overrides: Partial<GatewayRefund> = {}): GatewayRefund {
  return {
    id,
    amount,
    currency: "usd",
    status: "succeeded",
    capture_id: null,
    reason: null,
    created_at: "2026-06-06T10:00:00.000Z",
    issued_by_plugin_key: null,
    ...overrides,
  }
}

/** A captured record with its captures and refunds consistent: refunds never exceed their capture. */
export interface CapturedRecordCase {
  record: PaymentRecord
  /** What is left to refund on each capture, computed here independently of the planner. */
  left: Map<string, number>
}

const REFUND_STATUSES = ["succeeded", "pending", "failed", "canceled"] as const

/**
 * Records of 1–5 captures (automatic or manual, some at the same time) with refunds on them: live ones within each
 * capture's amount, and failed or canceled ones of any amount (they gave nothing back).
 */
export const capturedRecordArb: fc.Arbitrary<CapturedRecordCase> = fc
  .array(
    fc.record({
      amount: fc.integer({ min: 1, max: 10_000 }),
      mechanism: fc.constantFrom<Mechanism>("automatic", "automatic", "manual"),
      minute: fc.integer({ min: 0, max: 5 }),
      refunds: fc.array(
        fc.record({ share: fc.double({ min: 0, max: 1, noNaN: true }), status: fc.constantFrom(...REFUND_STATUSES) }),
        { maxLength: 3 }
      ),
    }),
    { minLength: 1, maxLength: 5 }
  )
  .map((specs) => {
    const captures: CaptureRecord[] = []
    const refunds: RefundRecord[] = []
    const left = new Map<string, number>()
    specs.forEach((spec, i) => {
      const capture = captureRecord(`CAP-${i}`, spec.amount, {
        mechanism: spec.mechanism,
        created_at: `2026-06-01T10:0${spec.minute}:00.000Z`,
      })
      captures.push(capture)
      let remaining = spec.amount
      spec.refunds.forEach((r, j) => {
        const live = r.status === "succeeded" || r.status === "pending"
        const amount = Math.floor((live ? remaining : spec.amount) * r.share)
        if (amount <= 0) {
          return
        }
        refunds.push(
          refundRecord(`RE-${i}-${j}`, amount, {
            status: r.status,
            capture_id: capture.id,
            medusa_capture_id: capture.medusa_capture_id,
            mechanism: spec.mechanism,
          })
        )
        if (live) {
          remaining -= amount
        }
      })
      left.set(capture.id, remaining)
    })
    const total = captures.reduce((sum, c) => sum + c.amount, 0)
    return {
      record: paymentRecord({ amount: total, status: "captured", psp_status: "succeeded", captures, refunds }),
      left,
    }
  })

/** An authorization with some captures already made, never more than authorized, possibly closed by a final one. */
export const authorizationArb: fc.Arbitrary<PaymentRecord> = fc
  .record({
    authorized: fc.integer({ min: 1, max: 100_000 }),
    captures: fc.array(
      fc.record({
        share: fc.double({ min: 0, max: 1, noNaN: true }),
        final: fc.boolean(),
        mechanism: fc.constantFrom<Mechanism>("automatic", "manual"),
      }),
      { maxLength: 4 }
    ),
  })
  .map(({ authorized, captures }) => {
    const records: CaptureRecord[] = []
    let left = authorized
    for (const [i, c] of captures.entries()) {
      if (left === 0 || records.some((r) => r.final)) {
        break
      }
      const amount = Math.max(1, Math.floor(left * c.share))
      records.push(captureRecord(`CAP-${i}`, amount, { final: c.final, mechanism: c.mechanism }))
      left -= amount
    }
    return paymentRecord({ amount: authorized, captures: records })
  })
