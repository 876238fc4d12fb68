import { buildLedgerLines, type MedusaPaymentRow } from "../ledger-lines"

const T0 = "2026-11-20T10:00:00.000Z"
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString()

function payment(overrides: Partial<MedusaPaymentRow> & { data?: Record<string, unknown> } = {}): MedusaPaymentRow {
  const { data, ...rest } = overrides
  return {
    id: "pay_1",
    provider_id: "pp_stripe_stripe",
    currency_code: "usd",
    amount: 70,
    created_at: T0,
    canceled_at: null,
    captures: [],
    refunds: [],
    ...rest,
    data: {
      gateway: "stripe",
      id: "pi_1",
      reference: "pi_1",
      authorization_id: null,
      currency: "usd",
      amount: 7000,
      status: "authorized",
      psp_status: "requires_capture",
      custom_reference: "auth-ref",
      expires_at: at(7 * 24 * 60),
      captures: [],
      refunds: [],
      ...data,
    },
  }
}

const types = (lines: ReturnType<typeof buildLedgerLines>) =>
  lines.map((l) => [l.transaction_type, l.amount, l.detailed_status])

describe("buildLedgerLines", () => {
  it("an authorization: complete/authorized, capturable in full, capture and cancel possible", () => {
    const [line] = buildLedgerLines("order_1", [payment()])
    expect(line).toMatchObject({
      transaction_type: "authorize",
      source_id: "pay_1",
      reference: "pi_1",
      custom_reference: "auth-ref",
      amount: 7000,
      currency: "USD",
      status: "complete",
      detailed_status: "authorized",
      capturable_amount: 7000,
      next_actions: ["capture", "cancel"],
    })
  })

  it("ignores payments of other providers", () => {
    expect(buildLedgerLines("order_1", [payment({ data: { gateway: "manual" } })])).toEqual([])
  })

  it("a non-final partial capture keeps the rest capturable; a final one closes the authorization", () => {
    const captures = [{ id: "capt_1", amount: 20, created_at: at(1) }]
    const nonFinal = buildLedgerLines("order_1", [
      payment({
        captures,
        data: {
          captures: [{ id: "ch_1:capt_1", medusa_capture_id: "capt_1", amount: 2000, final: false, created_at: at(1) }],
        },
      }),
    ])
    expect(nonFinal[0]).toMatchObject({ capturable_amount: 5000, next_actions: ["capture"] })
    expect(nonFinal[1]).toMatchObject({
      transaction_type: "capture",
      parent_source_id: "pay_1",
      amount: 2000,
      custom_reference: null,
      capture_mechanism: "automatic",
      refundable_amount: 2000,
      next_actions: ["refund"],
    })
    const final = buildLedgerLines("order_1", [
      payment({
        captures,
        data: {
          captures: [{ id: "ch_1:capt_1", medusa_capture_id: "capt_1", amount: 2000, final: true, created_at: at(1) }],
        },
      }),
    ])
    expect(final[0]).toMatchObject({ capturable_amount: 0, detailed_status: "completed", next_actions: [] })
  })

  it("a capture the PSP made when the buyer paid says so; one Medusa asked for does not", () => {
    const captures = [{ id: "capt_1", amount: 70, created_at: at(1) }]
    const record = { id: "ch_1:at_payment", medusa_capture_id: "capt_1", amount: 7000, final: true, created_at: at(0) }
    const atPayment = buildLedgerLines("order_1", [
      payment({ captures, data: { captures: [{ ...record, at_payment: true }] } }),
    ])
    expect(atPayment[1]).toMatchObject({ transaction_type: "capture", captured_at_payment: true })
    const asked = buildLedgerLines("order_1", [
      payment({ captures, data: { captures: [{ ...record, id: "ch_1:capt_1" }] } }),
    ])
    expect(asked[1]).toMatchObject({ transaction_type: "capture", captured_at_payment: false })
    // Captured at authorization (iDEAL, capture: true): Medusa made its capture row without asking the provider, so
    // no capture record exists; the capture still says it was made at payment and keeps the payment's reference.
    const atAuthorization = buildLedgerLines("order_1", [
      payment({ captures, data: { status: "captured", psp_status: "succeeded", captures: [] } }),
    ])
    expect(atAuthorization[1]).toMatchObject({
      transaction_type: "capture",
      captured_at_payment: true,
      custom_reference: "auth-ref",
    })
  })

  it("refunds recorded per capture give each capture its refunded amount and status", () => {
    const lines = buildLedgerLines("order_1", [
      payment({
        captures: [
          { id: "capt_1", amount: 30, created_at: at(1) },
          { id: "capt_2", amount: 40, created_at: at(2) },
        ],
        refunds: [{ id: "ref_1", amount: 50, created_at: at(3) }],
        data: {
          gateway: "paypal",
          provider_id: "pp_paypal_paypal",
          captures: [
            { id: "CAP1", medusa_capture_id: "capt_1", amount: 3000, final: false, created_at: at(1) },
            { id: "CAP2", medusa_capture_id: "capt_2", amount: 4000, final: true, created_at: at(2) },
          ],
          refunds: [
            {
              id: "R1",
              medusa_refund_id: "ref_1",
              amount: 4000,
              capture_id: "CAP2",
              source: "plugin",
              status: "succeeded",
              created_at: at(3),
              medusa_capture_id: "capt_2",
            },
            {
              id: "R2",
              medusa_refund_id: "ref_1",
              amount: 1000,
              capture_id: "CAP1",
              source: "plugin",
              status: "succeeded",
              created_at: at(3),
              medusa_capture_id: "capt_1",
            },
          ],
        },
      }),
    ])
    expect(types(lines)).toEqual([
      ["authorize", 7000, "completed"],
      ["capture", 3000, "partially-refunded"],
      ["capture", 4000, "refunded"],
      ["refund", 4000, "refunded"],
      ["refund", 1000, "refunded"],
    ])
    expect(lines.map((l) => l.source_id)).toEqual(["pay_1", "capt_1", "capt_2", "ref_1", "ref_1~1"])
    expect(lines[3]).toMatchObject({ parent_source_id: "capt_2", reference: "R1" })
    expect(lines[1]).toMatchObject({ reference: "CAP1", refunded_amount: 1000, refundable_amount: 2000 })
  })

  it("a refund the provider has no record of goes to the newest capture that can carry it", () => {
    const lines = buildLedgerLines("order_1", [
      payment({
        captures: [
          { id: "capt_1", amount: 50, created_at: at(1) },
          { id: "capt_2", amount: 20, created_at: at(2) },
        ],
        refunds: [{ id: "ref_1", amount: 30, created_at: at(3) }],
      }),
    ])
    expect(lines.find((l) => l.source_id === "ref_1")).toMatchObject({ parent_source_id: "capt_1", amount: 3000 })
  })

  it("manual capture and mark-as-refunded keep their mechanisms; a failed refund does not count", () => {
    const lines = buildLedgerLines("order_1", [
      payment({
        captures: [{ id: "capt_1", amount: 70, created_at: at(1) }],
        refunds: [
          { id: "ref_1", amount: 10, created_at: at(2) },
          { id: "ref_2", amount: 5, created_at: at(3) },
        ],
        data: {
          captures: [
            {
              id: "manual_capt_1",
              medusa_capture_id: "capt_1",
              amount: 7000,
              final: true,
              created_at: at(1),
              mechanism: "manual",
              custom_reference: "cash",
            },
          ],
          refunds: [
            {
              id: "manual_ref_1",
              medusa_refund_id: "ref_1",
              amount: 1000,
              capture_id: null,
              source: "plugin",
              status: "succeeded",
              created_at: at(2),
              medusa_capture_id: "capt_1",
              mechanism: "manual",
            },
            {
              id: "re_2",
              medusa_refund_id: "ref_2",
              amount: 500,
              capture_id: null,
              source: "psp",
              status: "failed",
              created_at: at(3),
              medusa_capture_id: "capt_1",
            },
          ],
        },
      }),
    ])
    const capture = lines.find((l) => l.transaction_type === "capture")!
    expect(capture).toMatchObject({ capture_mechanism: "manual", custom_reference: "cash", refunded_amount: 1000 })
    expect(lines.find((l) => l.source_id === "ref_1")).toMatchObject({ refund_mechanism: "manual", reference: null })
    expect(lines.find((l) => l.source_id === "ref_2")).toMatchObject({ status: "failed", detailed_status: "failed" })
  })

  it("canceled, expired and disputed authorizations", () => {
    const canceled = buildLedgerLines("order_1", [payment({ canceled_at: at(5) })])[0]
    expect(canceled).toMatchObject({ status: "canceled", detailed_status: "voided", next_actions: [] })
    const expired = buildLedgerLines("order_1", [payment({ data: { status: "expired" } })])[0]
    expect(expired).toMatchObject({
      status: "complete",
      detailed_status: "expired_uncaptured_charge",
      next_actions: ["cancel"],
      capturable_amount: 0,
    })
    const disputed = buildLedgerLines(
      "order_1",
      [payment({ captures: [{ id: "capt_1", amount: 70, created_at: at(1) }] })],
      [{ payment_id: "pay_1", capture_id: "capt_1", open: true, outcome: null }]
    )
    expect(disputed.map((l) => l.detailed_status)).toEqual(["chargeback-initiated", "chargeback-initiated"])
    expect(disputed[1].next_actions).toEqual([])
  })

  it("zero- and three-decimal currencies in minor units", () => {
    const [jpy] = buildLedgerLines("order_1", [payment({ currency_code: "jpy", amount: 9000 })])
    expect(jpy).toMatchObject({ amount: 9000, currency: "JPY" })
    const [kwd] = buildLedgerLines("order_1", [payment({ currency_code: "kwd", amount: "18.5" })])
    expect(kwd).toMatchObject({ amount: 18500, currency: "KWD" })
  })
})
