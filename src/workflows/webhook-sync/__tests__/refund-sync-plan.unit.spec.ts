import type { GatewayDispute, GatewayRefund } from "../../../gateways/types"
import type { PaymentRecord, RefundRecord } from "../../../payment-record/schema"
import {
  chargebackRefunds,
  disputedMedusaCapture,
  planChargeback,
  planRefundSync,
  refundRecords,
} from "../refund-sync-plan"

const T0 = "2026-03-01T10:00:00.000Z"
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString()

function payment(overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    v: 1,
    client_secret: null,
    approve_url: null,
    open_disputes: [],
    multicapture: null,
    honor_until: null,
    reauthorized: false,
    gateway: "paypal",
    id: "ORDER1",
    reference: "ORDER1",
    authorization_id: "AUTH1",
    session_id: "payses_1",
    currency: "usd",
    amount: 7000,
    status: "captured",
    psp_status: "CAPTURED",
    custom_reference: null,
    expires_at: null,
    captures: [
      { id: "CAP1", medusa_capture_id: "capt_1", amount: 3000, final: false, created_at: at(0) },
      { id: "CAP2", medusa_capture_id: "capt_2", amount: 4000, final: true, created_at: at(1) },
    ],
    refunds: [],
    ...overrides,
  }
}

function refund(id: string, amount: number, overrides: Partial<GatewayRefund> = {}): GatewayRefund {
  return {
    id,
    amount,
    currency: "usd",
    status: "succeeded",
    capture_id: "CAP2",
    reason: null,
    created_at: at(5),
    issued_by_plugin_key: null,
    ...overrides,
  }
}

function dispute(overrides: Partial<GatewayDispute> = {}): GatewayDispute {
  return {
    gateway: "paypal",
    id: "PP-D-1",
    amount: 2000,
    currency: "usd",
    reason: "unauthorised",
    status: "lost",
    psp_status: "RESOLVED:RESOLVED_BUYER_FAVOUR",
    open: false,
    amount_lost: 2000,
    evidence_due_by: null,
    created_at: at(10),
    capture_id: "CAP1",
    payment_reference: null,
    session_id: "payses_1",
    ...overrides,
  }
}

const recorded = (r: GatewayRefund, medusaRefundId: string, extra: Partial<RefundRecord> = {}): RefundRecord[] =>
  refundRecords(r, [{ medusa_capture_id: "capt_2", amount: r.amount }], { medusa_refund_id: medusaRefundId, ...extra })

describe("planRefundSync: the PSP's refunds against the payment's data", () => {
  it("records dashboard refunds Medusa lacks, oldest first, on the capture they refund", () => {
    const plan = planRefundSync(
      payment(),
      [refund("R2", 1000, { created_at: at(7), capture_id: "CAP1" }), refund("R1", 1500)],
      new Map(),
      7000
    )
    expect(plan.to_record.map((r) => [r.refund.id, r.parts, r.resume])).toEqual([
      ["R1", [{ medusa_capture_id: "capt_2", amount: 1500 }], false],
      ["R2", [{ medusa_capture_id: "capt_1", amount: 1000 }], false],
    ])
    expect(plan.status_changes).toEqual([])
    expect(plan.unrecordable).toEqual([])
  })

  it("spreads a refund of the whole PaymentIntent (Stripe) over the captures, newest first", () => {
    const stripe = payment({
      gateway: "stripe",
      captures: [
        { id: "ch_1:capture-capt_1", medusa_capture_id: "capt_1", amount: 3000, final: false, created_at: at(0) },
        { id: "ch_1:capture-capt_2", medusa_capture_id: "capt_2", amount: 4000, final: true, created_at: at(1) },
      ],
    })
    const plan = planRefundSync(stripe, [refund("re_1", 5000, { capture_id: "ch_1" })], new Map(), 7000)
    expect(plan.to_record[0].parts).toEqual([
      { medusa_capture_id: "capt_2", amount: 4000 },
      { medusa_capture_id: "capt_1", amount: 1000 },
    ])
  })

  it("never records a refund twice: recorded ones, ours, failed-before-seen ones and capture releases are left alone", () => {
    const known = refund("R1", 1500)
    const plan = planRefundSync(
      payment({ refunds: recorded(known, "ref_1") }),
      [
        known,
        refund("R-ours", 500, { issued_by_plugin_key: "refund-ref_9" }),
        refund("R-failed", 700, { status: "failed" }),
        refund("re_release", 4500, { reason: "expired_uncaptured_charge" }),
      ],
      new Map(),
      5500
    )
    expect(plan.to_record).toEqual([])
    expect(plan.skipped).toEqual([
      { id: "R-ours", why: "issued_by_plugin" },
      { id: "R-failed", why: "never_succeeded" },
      { id: "re_release", why: "capture_release" },
    ])
  })

  it("a plugin refund already in the data is compared, not recorded, even without its Medusa id yet", () => {
    const ours = refund("R-ours", 500, { issued_by_plugin_key: "refund-ref_9" })
    const data = payment({
      refunds: refundRecords(ours, [{ medusa_capture_id: "capt_2", amount: 500 }], {
        source: "plugin",
        medusa_refund_id: "ref_9",
      }),
    })
    expect(planRefundSync(data, [ours], new Map(), 6500)).toEqual({
      to_record: [],
      status_changes: [],
      unrecordable: [],
      skipped: [],
    })
  })

  it("reports a recorded refund that failed later, with every part's amount", () => {
    const stripe = refund("re_1", 5000, { capture_id: "ch_1" })
    const data = payment({
      refunds: refundRecords(
        stripe,
        [
          { medusa_capture_id: "capt_2", amount: 4000 },
          { medusa_capture_id: "capt_1", amount: 1000 },
        ],
        { medusa_refund_id: "ref_1" }
      ),
    })
    const plan = planRefundSync(data, [{ ...stripe, status: "failed" }], new Map(), 2000)
    expect(plan.status_changes).toEqual([
      { id: "re_1", from: "succeeded", to: "failed", amount: 5000, medusa_refund_id: "ref_1", source: "psp" },
    ])
    expect(plan.to_record).toEqual([])
  })

  it("resumes a recording that crashed after writing the data, with the parts it had", () => {
    const r = refund("R1", 1500)
    const data = payment({ refunds: refundRecords(r, [{ medusa_capture_id: "capt_2", amount: 1500 }]) })
    const plan = planRefundSync(data, [r], new Map(), 7000)
    expect(plan.to_record).toEqual([
      { refund: r, parts: [{ medusa_capture_id: "capt_2", amount: 1500 }], resume: true },
    ])
  })

  it("reports refunds beyond what Medusa can refund instead of recording them", () => {
    const plan = planRefundSync(
      payment(),
      [refund("R1", 1500), refund("R2", 1000, { created_at: at(6) })],
      new Map(),
      2000
    )
    expect(plan.to_record.map((r) => r.refund.id)).toEqual(["R1"])
    expect(plan.unrecordable).toEqual([{ refund: expect.objectContaining({ id: "R2" }), refundable: 500 }])
  })

  it("leaves a lost dispute's reversal to the dispute sync", () => {
    const reversal = refund("REV1", 2000, { capture_id: "CAP1", created_at: at(20) })
    const chargebacks = chargebackRefunds([reversal], [dispute()])
    expect([...chargebacks]).toEqual([["REV1", "PP-D-1"]])
    expect(planRefundSync(payment(), [reversal], chargebacks, 7000).skipped).toEqual([
      { id: "REV1", why: "chargeback" },
    ])
  })
})

describe("chargebackRefunds: which PSP refund is a lost dispute's money", () => {
  it("the earliest refund of the disputed capture, of the amount lost, made once the dispute was open", () => {
    const refunds = [
      refund("BEFORE", 2000, { capture_id: "CAP1", created_at: at(2) }),
      refund("OTHER-CAPTURE", 2000, { capture_id: "CAP2", created_at: at(20) }),
      refund("OTHER-AMOUNT", 1999, { capture_id: "CAP1", created_at: at(20) }),
      refund("OURS", 2000, { capture_id: "CAP1", created_at: at(20), issued_by_plugin_key: "k" }),
      refund("REV", 2000, { capture_id: "CAP1", created_at: at(21) }),
    ]
    expect([...chargebackRefunds(refunds, [dispute()])]).toEqual([["REV", "PP-D-1"]])
  })

  it("only lost disputes take a refund; each refund goes to one dispute", () => {
    const refunds = [refund("REV", 2000, { capture_id: "CAP1", created_at: at(21) })]
    expect(chargebackRefunds(refunds, [dispute({ status: "won", amount_lost: 0 })]).size).toBe(0)
    const two = chargebackRefunds(refunds, [dispute(), dispute({ id: "PP-D-2", created_at: at(11) })])
    expect([...two]).toEqual([["REV", "PP-D-1"]])
  })
})

describe("planChargeback: a lost dispute as a Medusa refund", () => {
  it("records the amount lost on the disputed capture, under the reversal's id when there is one", () => {
    const data = payment()
    const capture = disputedMedusaCapture(data, dispute(), ["capt_1", "capt_2"])
    expect(capture).toBe("capt_1")
    expect(planChargeback(data, dispute(), "REV", 7000, capture)).toEqual({
      id: "REV",
      dispute_id: "PP-D-1",
      amount: 2000,
      capped_from: null,
      parts: [{ medusa_capture_id: "capt_1", amount: 2000 }],
      resume: false,
    })
    expect(planChargeback(data, dispute(), null, 7000, capture)?.id).toBe("PP-D-1")
  })

  it("nothing for a won, an already recorded, or a fully refunded payment; capped to what Medusa can refund", () => {
    const data = payment()
    expect(planChargeback(data, dispute({ status: "won", amount_lost: 0 }), null, 7000, "capt_1")).toBeNull()
    const done = payment({
      refunds: refundRecords(
        { id: "REV", capture_id: "CAP1", status: "succeeded", created_at: at(21) },
        [{ medusa_capture_id: "capt_1", amount: 2000 }],
        { dispute_id: "PP-D-1", medusa_refund_id: "ref_cb" }
      ),
    })
    expect(planChargeback(done, dispute(), "REV", 5000, "capt_1")).toBeNull()
    expect(planChargeback(data, dispute(), null, 0, "capt_1")).toBeNull()
    expect(planChargeback(data, dispute(), null, 1500, "capt_1")).toMatchObject({ amount: 1500, capped_from: 2000 })
  })

  it("a Stripe dispute names the charge: the newest capture of it with enough left", () => {
    const stripe = payment({
      gateway: "stripe",
      captures: [
        { id: "ch_1:capture-capt_1", medusa_capture_id: "capt_1", amount: 5000, final: false, created_at: at(0) },
        { id: "ch_1:capture-capt_2", medusa_capture_id: "capt_2", amount: 2000, final: true, created_at: at(1) },
      ],
    })
    expect(disputedMedusaCapture(stripe, { capture_id: "ch_1", amount: 3000 }, ["capt_1", "capt_2"])).toBe("capt_1")
    expect(disputedMedusaCapture(stripe, { capture_id: "ch_1", amount: 2000 }, ["capt_1", "capt_2"])).toBe("capt_2")
    // Captured at authorization (no capture records): Medusa's newest capture.
    expect(
      disputedMedusaCapture(payment({ captures: [] }), { capture_id: "ch_9", amount: 100 }, ["capt_a", "capt_b"])
    ).toBe("capt_b")
  })
})
