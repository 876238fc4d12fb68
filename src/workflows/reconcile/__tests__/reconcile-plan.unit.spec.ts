import type { GatewayPayment } from "../../../gateways/types"
import { captureRecord, gatewayRefund, money, paymentRecord } from "../../../planners/__tests__/fixtures"
import { compareWithPsp, planLeftovers, withPspFacts, type ReconcileState } from "../reconcile-plan"

function psp(overrides: Partial<GatewayPayment> = {}): GatewayPayment {
  return {
    gateway: "stripe",
    reference: "pi_1",
    authorization_id: null,
    status: "captured",
    psp_status: "succeeded",
    currency: "usd",
    amount: 10000,
    amount_capturable: 0,
    amount_captured: 10000,
    amount_refunded: 0,
    captures: [],
    expires_at: null,
    client: {},
    failure: null,
    custom_reference: null,
    ...overrides,
  }
}

function state(overrides: Partial<ReconcileState> = {}): ReconcileState {
  return {
    gateway: "stripe",
    currency: "usd",
    record: paymentRecord(),
    medusa: {
      amount: 10000,
      captured_at: null,
      canceled_at: null,
      captures: [{ id: "capt_A", amount: 10000, created_at: "2026-06-01T10:00:00.000Z" }],
      refunds: [],
    },
    started: [{ id: "poin_1", kind: "capture", medusa_id: "capt_A", options: { amount: 10000, final: true } }],
    psp: psp(),
    psp_refunds: [],
    ...overrides,
  }
}

describe("planLeftovers: captures", () => {
  it("a Stripe crash leftover becomes a capture record named <charge>:<Medusa capture id>", () => {
    const plan = planLeftovers(state(), money)
    expect(plan.discrepancies).toEqual([])
    expect(plan.captures).toEqual([
      expect.objectContaining({
        instruction_id: "poin_1",
        medusa_capture_id: "capt_A",
        record: expect.objectContaining({ id: "pi_1:capt_A", amount: 10000, final: true, medusa_capture_id: "capt_A" }),
      }),
    ])
  })

  it("reuses the charge of the record's earlier captures", () => {
    const s = state({
      record: paymentRecord({ captures: [captureRecord("ch_9:capt_0", 4000, { medusa_capture_id: "capt_0" })] }),
      medusa: {
        ...state().medusa,
        captures: [
          { id: "capt_0", amount: 4000, created_at: "2026-06-01T09:00:00.000Z" },
          { id: "capt_A", amount: 6000, created_at: "2026-06-01T10:00:00.000Z" },
        ],
      },
      started: [{ id: "poin_1", kind: "capture", medusa_id: "capt_A", options: {} }],
    })
    expect(planLeftovers(s, money).captures[0].record).toMatchObject({ id: "ch_9:capt_A", amount: 6000, final: true })
  })

  it("a PayPal leftover takes the PSP capture of the same amount that the record lacks", () => {
    const s = state({
      gateway: "paypal",
      psp: psp({
        gateway: "paypal",
        captures: [{ id: "CAP-1", amount: 10000, status: "succeeded", created_at: "2026-06-01T10:00:01.000Z" }],
      }),
    })
    expect(planLeftovers(s, money).captures[0].record).toMatchObject({
      id: "CAP-1",
      created_at: "2026-06-01T10:00:01.000Z",
    })
  })

  it("reports a leftover the PSP never captured, and a surplus that does not match, and repairs neither", () => {
    const none = planLeftovers(state({ psp: psp({ amount_captured: 0, status: "authorized" }) }), money)
    expect(none.captures).toEqual([])
    expect(none.discrepancies.map((d) => d.code)).toEqual(["medusa_capture_not_at_psp"])
    const other = planLeftovers(state({ psp: psp({ amount_captured: 5000 }) }), money)
    expect(other.captures).toEqual([])
    expect(other.discrepancies.map((d) => d.code)).toEqual(["psp_capture_mismatch"])
  })

  it("a Medusa capture without an attempt mark (captured at authorization) is not a leftover", () => {
    expect(planLeftovers(state({ started: [] }), money)).toEqual({ captures: [], refunds: [], discrepancies: [] })
  })
})

describe("planLeftovers: refunds", () => {
  const captured = () =>
    state({
      record: paymentRecord({
        status: "captured",
        captures: [captureRecord("pi_1:capt_A", 10000, { medusa_capture_id: "capt_A" })],
      }),
      medusa: {
        ...state().medusa,
        refunds: [{ id: "ref_1", amount: 2500, created_at: "2026-06-02T10:00:00.000Z" }],
      },
      started: [{ id: "poin_2", kind: "refund", medusa_id: "ref_1", options: {} }],
    })

  it("a PSP refund carrying the key refund-<Medusa refund id> of exactly its amount is recorded", () => {
    const plan = planLeftovers(
      { ...captured(), psp_refunds: [gatewayRefund("re_1", 2500, { issued_by_plugin_key: "refund-ref_1" })] },
      money
    )
    expect(plan.discrepancies).toEqual([])
    expect(plan.refunds).toEqual([
      expect.objectContaining({
        medusa_refund_id: "ref_1",
        records: [
          expect.objectContaining({ id: "re_1", amount: 2500, medusa_refund_id: "ref_1", medusa_capture_id: "capt_A" }),
        ],
      }),
    ])
  })

  it("a dashboard refund of the same amount is not linked; another amount is reported", () => {
    const dashboard = planLeftovers({ ...captured(), psp_refunds: [gatewayRefund("re_1", 2500)] }, money)
    expect(dashboard.refunds).toEqual([])
    expect(dashboard.discrepancies.map((d) => d.code)).toEqual(["medusa_refund_not_at_psp"])
    const other = planLeftovers(
      { ...captured(), psp_refunds: [gatewayRefund("re_1", 2000, { issued_by_plugin_key: "refund-ref_1" })] },
      money
    )
    expect(other.refunds).toEqual([])
    expect(other.discrepancies.map((d) => d.code)).toEqual(["psp_refund_mismatch"])
  })
})

describe("compareWithPsp", () => {
  it("reports money the PSP captured that no Medusa capture explains, and the reverse", () => {
    const noRow = state({ medusa: { ...state().medusa, captures: [] }, started: [] })
    expect(compareWithPsp(noRow, money).map((d) => d.code)).toEqual(["psp_captured_more"])
    const notAtPsp = state({ psp: psp({ amount_captured: 0, status: "authorized" }), started: [] })
    expect(compareWithPsp(notAtPsp, money).map((d) => d.code)).toEqual(["medusa_captured_more"])
  })

  it("reports an expired authorization Medusa still holds", () => {
    const s = state({
      medusa: { ...state().medusa, captures: [] },
      started: [],
      psp: psp({ status: "expired", amount_captured: 0, expires_at: "2026-06-08T00:00:00.000Z" }),
    })
    expect(compareWithPsp(s, money)).toEqual([
      {
        code: "authorization_expired",
        detail: expect.stringMatching(/expired on 2026-06-08.*Cancel the payment in Medusa/),
      },
    ])
  })
})

describe("withPspFacts", () => {
  it("answers the same record when nothing changed", () => {
    const record = paymentRecord({ status: "captured", psp_status: "succeeded" })
    expect(withPspFacts(record, psp())).toBe(record)
    expect(withPspFacts(paymentRecord(), psp())).toMatchObject({ status: "captured", psp_status: "succeeded" })
  })
})
