/**
 * The payment record's one owner: a whitelist on read (whatever a storefront planted in the session data is dropped),
 * every key written by the provider, and pure updates.
 */
import fc from "fast-check"
import type { GatewayPayment, GatewayPaymentStatus } from "../../gateways/types"
import { captureRecord, paymentRecord, refundRecord } from "../../planners/__tests__/fixtures"
import {
  PaymentRecordError,
  readRecord,
  recordFromGateway,
  recordGateway,
  withCapture,
  withExpiredAuthorization,
  withOpenDispute,
  withoutRefund,
  withRefundLinked,
  withRefunds,
  withRefundStatus,
} from "../record"
import { PAYMENT_RECORD_KEYS, type PaymentRecord } from "../schema"

const sorted = (keys: readonly string[]) => [...keys].sort()

/** Every key the plugin used to read as an instruction from payment data, as a storefront could plant them. */
const PLANTED = {
  pending_capture: { mechanism: "manual", amount: 1 },
  pending_refund: { mechanism: "manual" },
  pending_external_refunds: [{ id: "re_x", amount: 7000 }],
  off_session: true,
  refund_note: "x",
  is_admin: true,
}

function gatewayPayment(overrides: Partial<GatewayPayment> = {}): GatewayPayment {
  return {
    gateway: "stripe",
    reference: "pi_1",
    authorization_id: null,
    status: "authorized",
    psp_status: "requires_capture",
    currency: "usd",
    amount: 10000,
    amount_capturable: 10000,
    amount_captured: 0,
    amount_refunded: 0,
    captures: [],
    expires_at: null,
    client: {},
    failure: null,
    custom_reference: null,
    ...overrides,
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.values(value).forEach(deepFreeze)
    Object.freeze(value)
  }
  return value
}

describe("readRecord", () => {
  it("reads a record back as it was written", () => {
    const record = paymentRecord({
      captures: [
        captureRecord("ch_1", 4000, { custom_reference: "R", statement_descriptor: "S", invoice_detail_ids: ["i"] }),
      ],
      refunds: [
        refundRecord("re_1", 1000, { medusa_capture_id: "capt_ch_1", mechanism: "automatic", dispute_id: null }),
      ],
      open_disputes: ["dp_1"],
    })
    expect(readRecord(record, "stripe")).toEqual(record)
  })

  it("drops every key that is not the record's (what a storefront merged in)", () => {
    const read = readRecord({ ...paymentRecord(), ...PLANTED }, "stripe")
    expect(sorted(Object.keys(read))).toEqual(sorted(PAYMENT_RECORD_KEYS))
    expect(read).toEqual(paymentRecord())
  })

  it("drops fields planted inside captures and refunds", () => {
    const read = readRecord(
      {
        ...paymentRecord(),
        captures: [{ ...captureRecord("ch_1", 4000), pending_capture: { mechanism: "manual" }, amount_to_capture: 1 }],
        refunds: [{ ...refundRecord("re_1", 100), refund_again: true }],
      },
      "stripe"
    )
    expect(read.captures).toEqual([captureRecord("ch_1", 4000)])
    expect(read.refunds).toEqual([refundRecord("re_1", 100)])
    expect(Object.keys(read.captures[0])).not.toContain("pending_capture")
    expect(Object.keys(read.refunds[0])).not.toContain("refund_again")
  })

  it("drops planted keys whatever their names (derived from the record's own keys)", () => {
    const known = new Set<string>(PAYMENT_RECORD_KEYS)
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1 }).filter((k) => !known.has(k) && k !== "__proto__"),
          fc.jsonValue()
        ),
        (planted) => {
          const read = readRecord({ ...planted, ...paymentRecord() }, "stripe")
          expect(read).toEqual(paymentRecord())
        }
      )
    )
  })

  it("upgrades a record written before the version field (and before later keys) to the current version", () => {
    const legacy = {
      gateway: "paypal",
      id: "ORDER-1",
      reference: "ORDER-1",
      currency: "usd",
      amount: 5000,
      status: "authorized",
      psp_status: "COMPLETED",
      captures: [{ id: "CAP-1", medusa_capture_id: "capt_1", amount: 1000, final: false, created_at: "2026-01-01" }],
      pending_capture: { mechanism: "manual" },
    }
    expect(readRecord(legacy, "paypal")).toEqual({
      v: 1,
      gateway: "paypal",
      id: "ORDER-1",
      reference: "ORDER-1",
      authorization_id: null,
      session_id: null,
      currency: "usd",
      amount: 5000,
      status: "authorized",
      psp_status: "COMPLETED",
      client_secret: null,
      approve_url: null,
      intent: null,
      custom_reference: null,
      expires_at: null,
      captures: [{ id: "CAP-1", medusa_capture_id: "capt_1", amount: 1000, final: false, created_at: "2026-01-01" }],
      refunds: [],
      open_disputes: [],
      multicapture: null,
      honor_until: null,
      reauthorized: false,
    })
  })

  it.each<[string, Record<string, unknown> | null | undefined]>([
    ["no data", undefined],
    ["null data", null],
    ["no reference", { ...paymentRecord(), reference: undefined }],
    ["a reference that is not a string", { ...paymentRecord(), reference: 42 }],
    ["another gateway's record", paymentRecord({ gateway: "paypal" })],
    ["Medusa's own Stripe provider's data", { id: "pi_1", status: "requires_capture", amount: 10000 }],
  ])("refuses %s as not this gateway's record", (_, data) => {
    expect(() => readRecord(data, "stripe")).toThrow(PaymentRecordError)
    expect(() => readRecord(data, "stripe")).toThrow(
      "This payment has no stripe reference in its data: it was not created by the stripe provider of medusa-payment-orchestrator."
    )
  })

  it.each<[string, Record<string, unknown>, string]>([
    ["a negative amount", { amount: -1 }, "amount"],
    ["a fractional amount", { amount: 10.5 }, "amount"],
    ["an amount as a string", { amount: "100" }, "amount"],
    ["an unknown status", { status: "refunded_twice" }, "status"],
    ["captures that are not a list", { captures: "all" }, "captures"],
    ["a capture without id", { captures: [{ ...captureRecord("x", 1), id: "" }] }, "captures.0.id"],
    ["a capture of a negative amount", { captures: [captureRecord("x", -5)] }, "captures.0.amount"],
    [
      "an unknown capture mechanism",
      { captures: [{ ...captureRecord("x", 1), mechanism: "free" }] },
      "captures.0.mechanism",
    ],
    [
      "a refund from an unknown source",
      { refunds: [{ ...refundRecord("r", 1), source: "shopper" }] },
      "refunds.0.source",
    ],
    ["disputes that are not ids", { open_disputes: [1] }, "open_disputes.0"],
  ])("refuses a record with %s, naming the field", (_, patch, path) => {
    const data = { ...paymentRecord(), ...patch }
    expect(() => readRecord(data, "stripe")).toThrow(PaymentRecordError)
    expect(() => readRecord(data, "stripe")).toThrow(
      new RegExp(
        `^The stripe payment data of pi_1 is not a valid medusa-payment-orchestrator record \\(.*${path.replace(/\./g, "\\.")}: .*nothing was sent to stripe\\.$`
      )
    )
  })
})

describe("recordGateway", () => {
  it("tells which gateway's record the data looks like", () => {
    expect(recordGateway(paymentRecord())).toBe("stripe")
    expect(recordGateway(paymentRecord({ gateway: "paypal" }))).toBe("paypal")
    expect(recordGateway({ gateway: "adyen", reference: "x" })).toBeNull()
    expect(recordGateway({ gateway: "stripe" })).toBeNull()
    expect(recordGateway(null)).toBeNull()
    expect(recordGateway(undefined)).toBeNull()
  })
})

describe("recordFromGateway", () => {
  const STATUSES: GatewayPaymentStatus[] = [
    "pending",
    "requires_action",
    "processing",
    "authorized",
    "partially_captured",
    "captured",
    "canceled",
    "expired",
    "failed",
  ]

  it.each(STATUSES)("writes every key of the record, none undefined (%s)", (status) => {
    const record = recordFromGateway(gatewayPayment({ status }))
    expect(sorted(Object.keys(record))).toEqual(sorted(PAYMENT_RECORD_KEYS))
    for (const key of PAYMENT_RECORD_KEYS) {
      expect(record[key]).not.toBeUndefined()
    }
    // What it writes, it reads back as it is.
    expect(readRecord(record, "stripe")).toEqual(record)
  })

  it("writes every key whatever the PSP and the previous record hold", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATUSES),
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.string(), { nil: undefined }),
        fc.record(
          {
            session_id: fc.option(fc.string()),
            client_secret: fc.option(fc.string()),
            custom_reference: fc.option(fc.string()),
            authorization_id: fc.option(fc.string()),
          },
          { requiredKeys: [] }
        ),
        (status, secret, approve, previous) => {
          const record = recordFromGateway(
            gatewayPayment({ status, client: { client_secret: secret, approve_url: approve } }),
            previous
          )
          expect(sorted(Object.keys(record))).toEqual(sorted(PAYMENT_RECORD_KEYS))
          expect(Object.values(record).some((v) => v === undefined)).toBe(false)
        }
      )
    )
  })

  it.each(["pending", "requires_action", "processing"] as const)(
    "keeps the client secret while the buyer must act (%s)",
    (status) => {
      expect(
        recordFromGateway(gatewayPayment({ status, client: { client_secret: "pi_1_secret_a" } })).client_secret
      ).toBe("pi_1_secret_a")
      // The PSP's answer may not repeat it: the previous one is kept.
      expect(recordFromGateway(gatewayPayment({ status }), { client_secret: "pi_1_secret_b" }).client_secret).toBe(
        "pi_1_secret_b"
      )
    }
  )

  it.each(["authorized", "partially_captured", "captured", "canceled", "expired", "failed"] as const)(
    "drops the client secret once the buyer is done (%s)",
    (status) => {
      const record = recordFromGateway(gatewayPayment({ status, client: { client_secret: "pi_1_secret_a" } }), {
        client_secret: "pi_1_secret_b",
      })
      expect(record.client_secret).toBeNull()
    }
  )

  it("takes the PSP's facts over the previous record's, and keeps the record's own history", () => {
    const previous = paymentRecord({
      status: "authorized",
      amount: 9000,
      session_id: "payses_9",
      authorization_id: "AUTH-OLD",
      custom_reference: "ORDER-7",
      expires_at: "2026-07-01T00:00:00.000Z",
      approve_url: "https://paypal/approve",
      captures: [captureRecord("ch_1", 4000)],
      refunds: [refundRecord("re_1", 100)],
      open_disputes: ["dp_1"],
    })
    const record = recordFromGateway(
      gatewayPayment({
        status: "partially_captured",
        psp_status: "requires_capture",
        amount: 10000,
        authorization_id: "AUTH-NEW",
        custom_reference: "PSP-REF",
        expires_at: null,
      }),
      previous
    )
    expect(record).toMatchObject({
      status: "partially_captured",
      amount: 10000,
      authorization_id: "AUTH-NEW",
      session_id: "payses_9",
      custom_reference: "ORDER-7",
      expires_at: "2026-07-01T00:00:00.000Z",
      approve_url: "https://paypal/approve",
      captures: previous.captures,
      refunds: previous.refunds,
      open_disputes: ["dp_1"],
    })
  })

  it("takes the PSP's custom reference and authorization when the record has none", () => {
    const record = recordFromGateway(gatewayPayment({ custom_reference: "PSP-REF", authorization_id: "AUTH-1" }))
    expect(record.custom_reference).toBe("PSP-REF")
    expect(record.authorization_id).toBe("AUTH-1")
    expect(record.session_id).toBeNull()
  })

  // BUG (reported to the lead): `previous.custom_reference ?? payment.custom_reference` reads a cleared reference
  // (null) as absent. PayPal keeps the order's invoice_id when a capture clears the reference (the gateway maps
  // `unit.invoiceId` to `custom_reference`), so the next refresh (retrieve, cancel, update, authorize) brings the
  // cleared reference back, and later captures inherit it (rules.ts: "`null` (already cleared) stays cleared").
  it("keeps a reference a capture cleared, though the PSP still holds the authorization's", () => {
    const previous = paymentRecord({ gateway: "paypal", custom_reference: null, captures: [captureRecord("CAP-1", 1)] })
    const record = recordFromGateway(gatewayPayment({ gateway: "paypal", custom_reference: "ORDER-7" }), previous)
    expect(record.custom_reference).toBeNull()
  })

  it("does not change the previous record", () => {
    const previous = deepFreeze(paymentRecord({ captures: [captureRecord("ch_1", 1)], client_secret: "s" }))
    const copy = structuredClone(previous)
    recordFromGateway(gatewayPayment({ status: "captured" }), previous)
    expect(previous).toEqual(copy)
  })
})

describe("pure updates", () => {
  const base = (): PaymentRecord =>
    paymentRecord({
      status: "authorized",
      custom_reference: "ORDER-7",
      captures: [captureRecord("ch_1", 4000)],
      refunds: [
        refundRecord("re_1", 1000, { capture_id: "ch_1", medusa_capture_id: "capt_ch_1" }),
        refundRecord("re_2", 500, { medusa_capture_id: "capt_ch_1" }),
      ],
      open_disputes: ["dp_1"],
    })

  const updates: [string, (r: PaymentRecord) => PaymentRecord][] = [
    ["withCapture", (r) => withCapture(r, captureRecord("ch_2", 1000))],
    ["withCapture (same id)", (r) => withCapture(r, captureRecord("ch_1", 4000, { final: true }))],
    ["withRefunds", (r) => withRefunds(r, [refundRecord("re_3", 1)])],
    ["withRefundLinked", (r) => withRefundLinked(r, "re_1", "ref_1")],
    ["withoutRefund", (r) => withoutRefund(r, "re_1")],
    ["withRefundStatus", (r) => withRefundStatus(r, "re_1", "failed")],
    ["withOpenDispute (open)", (r) => withOpenDispute(r, "dp_2", true)],
    ["withOpenDispute (close)", (r) => withOpenDispute(r, "dp_1", false)],
    ["withExpiredAuthorization", (r) => withExpiredAuthorization(r, "expired")],
  ]

  it.each(updates)("%s leaves the record it was given as it was", (_, update) => {
    const input = deepFreeze(base())
    const next = update(input)
    expect(input).toEqual(base())
    expect(next).not.toBe(input)
  })

  it("withCapture adds a capture, replaces one of the same id, and keeps the authorization's custom reference", () => {
    const added = withCapture(base(), captureRecord("ch_2", 1000, { custom_reference: "CAPTURE-REF" }))
    expect(added.captures.map((c) => c.id)).toEqual(["ch_1", "ch_2"])
    expect(added.custom_reference).toBe("ORDER-7")
    const replaced = withCapture(base(), captureRecord("ch_1", 4000, { final: true, custom_reference: null }))
    expect(replaced.captures).toEqual([captureRecord("ch_1", 4000, { final: true, custom_reference: null })])
    expect(replaced.custom_reference).toBe("ORDER-7")
  })

  it("withRefunds adds each refund part once (by PSP id and the capture it gives back)", () => {
    const again = withRefunds(base(), [
      refundRecord("re_1", 1000, { capture_id: "ch_1", medusa_capture_id: "capt_ch_1" }),
      refundRecord("re_1", 300, { medusa_capture_id: "capt_ch_2" }),
      refundRecord("re_3", 1),
    ])
    expect(again.refunds.map((r) => [r.id, r.medusa_capture_id ?? null])).toEqual([
      ["re_1", "capt_ch_1"],
      ["re_2", "capt_ch_1"],
      ["re_1", "capt_ch_2"],
      ["re_3", null],
    ])
  })

  it("withRefundLinked, withRefundStatus and withoutRefund act on every part of one PSP refund", () => {
    const parts = withRefunds(base(), [refundRecord("re_1", 300, { medusa_capture_id: "capt_ch_2" })])
    expect(withRefundLinked(parts, "re_1", "ref_9").refunds.map((r) => r.medusa_refund_id)).toEqual([
      "ref_9",
      null,
      "ref_9",
    ])
    expect(withRefundStatus(parts, "re_1", "failed").refunds.map((r) => r.status)).toEqual([
      "failed",
      "succeeded",
      "failed",
    ])
    expect(withoutRefund(parts, "re_1").refunds.map((r) => r.id)).toEqual(["re_2"])
  })

  it("withOpenDispute opens and closes once, returning the same record when nothing changes", () => {
    const record = base()
    expect(withOpenDispute(record, "dp_1", true)).toBe(record)
    expect(withOpenDispute(record, "dp_9", false)).toBe(record)
    expect(withOpenDispute(record, "dp_2", true).open_disputes).toEqual(["dp_1", "dp_2"])
    expect(withOpenDispute(record, "dp_1", false).open_disputes).toEqual([])
  })

  it("withExpiredAuthorization marks the authorization expired once", () => {
    const expired = withExpiredAuthorization(base(), "expired_by_psp")
    expect(expired).toMatchObject({ status: "expired", psp_status: "expired_by_psp" })
    expect(withExpiredAuthorization(expired, "again")).toBe(expired)
    expect(withExpiredAuthorization(base(), null).psp_status).toBe("requires_capture")
  })
})
