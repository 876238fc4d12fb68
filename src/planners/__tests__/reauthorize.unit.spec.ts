/**
 * Reauthorization as an action: the rule (`reauthorizeRefusal`), where its PSP facts come from (the PayPal gateway's
 * honor period, the record), and that the ledger offers `reauthorize` exactly when the rule allows it.
 */
import { toPayment } from "../../gateways/paypal/paypal-gateway"
import { buildLedgerLines, type MedusaPaymentRow } from "../../ledger/ledger-lines"
import { readRecord, recordFromGateway, withReauthorization } from "../../payment-record/record"
import { reauthorizeRefusal } from "../rules"

const DAY = 24 * 60 * 60 * 1000
const T0 = Date.parse("2026-11-01T10:00:00.000Z")
const iso = (ms: number) => new Date(ms).toISOString()

const allowed = {
  psp: "PayPal",
  honor_until: iso(T0 + 3 * DAY),
  expires_at: iso(T0 + 29 * DAY),
  reauthorized: false,
  status: "authorized",
  captured: 0,
  canceled: false,
  now: T0 + 4 * DAY,
}

describe("reauthorizeRefusal", () => {
  it("allows an uncaptured, valid authorization from the end of its honor period until it expires", () => {
    expect(reauthorizeRefusal(allowed)).toBeNull()
    expect(reauthorizeRefusal({ ...allowed, now: T0 + 3 * DAY })).toBeNull()
    expect(reauthorizeRefusal({ ...allowed, now: T0 + 29 * DAY - 1 })).toBeNull()
  })

  it.each([
    [
      "inside the honor period",
      { now: T0 + 3 * DAY - 1 },
      /still in its honor period \(until 2026-11-04T10:00:00.000Z\).*reauthorize it after/,
    ],
    ["past its expiry", { now: T0 + 29 * DAY }, /expired.*cancel the payment and ask the customer to pay again/],
    ["expired by the PSP", { status: "expired" }, /expired/],
    ["already reauthorized", { reauthorized: true }, /already reauthorized once.*Capture the current authorization/],
    ["partly captured", { captured: 100 }, /already captured.*only an uncaptured authorization/],
    ["captured", { status: "captured" }, /already captured/],
    ["canceled", { canceled: true }, /canceled.*ask the customer to pay again/],
    [
      "at a PSP without reauthorization (Stripe)",
      { psp: "Stripe", honor_until: null },
      /^Stripe has no reauthorization.*Capture it before then/,
    ],
    ["not authorized (still pending)", { status: "pending" }, /is pending, not authorized/],
  ])("refuses an authorization %s, with a sentence saying what to do", (_name, change, sentence) => {
    expect(reauthorizeRefusal({ ...allowed, ...change })).toMatch(sentence)
  })
})

function paypalOrder(authorizations: { id: string; status: string; createTime?: string }[]) {
  return {
    id: "ORDER-1",
    status: "COMPLETED",
    purchaseUnits: [
      {
        referenceId: "default",
        amount: { currencyCode: "USD", value: "70.00" },
        payments: {
          authorizations: authorizations.map((a) => ({
            ...a,
            amount: { currencyCode: "USD", value: "70.00" },
            expirationTime: iso(T0 + 29 * DAY),
          })),
        },
      },
    ],
  }
}

describe("the PSP facts behind the rule", () => {
  it("PayPal: the honor period ends 3 days after the authorization's create_time; a second authorization is a reauthorization", () => {
    const first = toPayment(
      paypalOrder([{ id: "AUTH-1", status: "CREATED", createTime: iso(T0) }]) as never,
      undefined,
      T0
    )
    expect(first).toMatchObject({ authorization_id: "AUTH-1", honor_until: iso(T0 + 3 * DAY), reauthorized: false })
    const renewed = toPayment(
      paypalOrder([
        { id: "AUTH-1", status: "VOIDED", createTime: iso(T0) },
        { id: "AUTH-2", status: "CREATED", createTime: iso(T0 + 4 * DAY) },
      ]) as never,
      undefined,
      T0 + 4 * DAY
    )
    expect(renewed).toMatchObject({ authorization_id: "AUTH-2", honor_until: iso(T0 + 7 * DAY), reauthorized: true })
    const noTime = toPayment(paypalOrder([{ id: "AUTH-1", status: "CREATED" }]) as never, undefined, T0)
    expect(noTime.honor_until).toBeNull()
  })

  it("the record keeps the new authorization, and once reauthorized stays so whatever a later PSP answer lists", () => {
    const original = recordFromGateway(
      toPayment(paypalOrder([{ id: "AUTH-1", status: "CREATED", createTime: iso(T0) }]) as never, undefined, T0)
    )
    const fresh = toPayment(
      paypalOrder([{ id: "AUTH-2", status: "CREATED", createTime: iso(T0 + 4 * DAY) }]) as never,
      undefined,
      T0 + 4 * DAY
    )
    const after = withReauthorization(original, fresh)
    expect(after).toMatchObject({ authorization_id: "AUTH-2", honor_until: iso(T0 + 7 * DAY), reauthorized: true })
    expect(original).toMatchObject({ authorization_id: "AUTH-1", reauthorized: false })
    expect(recordFromGateway(fresh, after).reauthorized).toBe(true)
  })

  it("records written before these fields read as: no honor period known, not reauthorized (no reauthorize offered)", () => {
    const record = readRecord(
      {
        gateway: "paypal",
        id: "O",
        reference: "O",
        currency: "usd",
        amount: 1,
        status: "authorized",
        psp_status: "CREATED",
      },
      "paypal"
    )
    expect(record).toMatchObject({ honor_until: null, reauthorized: false })
  })
})

function paymentRow(data: Record<string, unknown>, overrides: Partial<MedusaPaymentRow> = {}): MedusaPaymentRow {
  return {
    id: "pay_1",
    provider_id: "pp_paypal_paypal",
    currency_code: "usd",
    amount: 70,
    created_at: iso(T0),
    canceled_at: null,
    captures: [],
    refunds: [],
    ...overrides,
    data: {
      gateway: "paypal",
      id: "ORDER-1",
      reference: "ORDER-1",
      authorization_id: "AUTH-1",
      currency: "usd",
      amount: 7000,
      status: "authorized",
      psp_status: "CREATED",
      expires_at: iso(T0 + 29 * DAY),
      honor_until: iso(T0 + 3 * DAY),
      reauthorized: false,
      captures: [],
      refunds: [],
      ...data,
    },
  }
}

describe("the ledger offers reauthorize as the rule says", () => {
  const authorize = (row: MedusaPaymentRow, now: number) => buildLedgerLines("order_1", [row], [], now)[0]

  it("not during the honor period; after it, between capture and cancel, with the honor period's end shown", () => {
    expect(authorize(paymentRow({}), T0 + DAY)).toMatchObject({
      next_actions: ["capture", "cancel"],
      honor_until: iso(T0 + 3 * DAY),
      reauthorize_refusal: expect.stringMatching(/honor period/),
    })
    expect(authorize(paymentRow({}), T0 + 4 * DAY)).toMatchObject({
      next_actions: ["capture", "reauthorize", "cancel"],
      reauthorize_refusal: null,
    })
  })

  it("never for Stripe, nor once reauthorized, captured, canceled or expired", () => {
    const later = T0 + 4 * DAY
    const stripe = paymentRow(
      { gateway: "stripe", honor_until: null, authorization_id: null },
      { provider_id: "pp_stripe_stripe" }
    )
    expect(authorize(stripe, later).next_actions).toEqual(["capture", "cancel"])
    expect(authorize(paymentRow({ reauthorized: true }), later).next_actions).toEqual(["capture", "cancel"])
    expect(authorize(paymentRow({ status: "expired" }), later).next_actions).toEqual(["cancel"])
    expect(authorize(paymentRow({}, { canceled_at: iso(T0 + DAY) }), later).next_actions).toEqual([])
    const captured = paymentRow(
      { status: "partially_captured" },
      { captures: [{ id: "capt_1", amount: 10, created_at: iso(T0 + DAY) }] }
    )
    expect(authorize(captured, later).next_actions).toEqual(["capture"])
  })
})
