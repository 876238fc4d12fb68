import {
  buildCaptureRequestBody,
  buildRefundRequestBody,
  capturableAmountOf,
  customReferenceToSend,
  defaultCaptureType,
  initialCaptureFormValues,
  manualCaptureRequestBody,
  markAsRefundedRequestBody,
  refundableAmountOf,
  selectedLineItemsTotal,
  toCaptureLineItems,
  validateStatementDescriptor,
  type CaptureFormValues,
} from "../transaction-request-bodies"
import type { Transaction } from "../transaction-types"

function tx(overrides: Partial<Transaction> = {}): Transaction {
  return {
    id: "tx_auth",
    type: "transaction",
    reference: "pi_123",
    custom_reference: "PO-42",
    gateway: "stripe",
    amount: 7000,
    refunded_amount: 0,
    currency: "USD",
    transaction_type: "authorize",
    status: "complete",
    payment_details: { detailed_status: "authorized" },
    next_actions: ["capture", "cancel"],
    expires_at: null,
    capturable_amount: 4500,
    relationships: { order: { data: { type: "order", id: "order_1" } } },
    meta: {
      display_price: { amount: 7000, currency: "USD", formatted: "$70.00" },
      timestamps: { created_at: "2025-06-03T12:00:00Z", updated_at: "2025-06-03T12:00:00Z" },
    },
    ...overrides,
  }
}

const context = { currency: "USD", capturableAmount: 4500, originalCustomReference: "PO-42" }

function values(overrides: Partial<CaptureFormValues> = {}): CaptureFormValues {
  return { ...initialCaptureFormValues(tx()), ...overrides }
}

describe("the capture form's initial values", () => {
  it("defaults the amount to what is left to capture, in major units, and prefills the custom reference", () => {
    expect(initialCaptureFormValues(tx())).toEqual({
      amount: "45.00",
      customReference: "PO-42",
      statementDescriptor: "",
      captureType: "final",
      lineItemIds: [],
    })
    expect(initialCaptureFormValues(tx({ currency: "JPY", capturable_amount: 9000, custom_reference: null }))).toEqual(
      expect.objectContaining({ amount: "9000", customReference: "" })
    )
    expect(initialCaptureFormValues(tx({ currency: "KWD", capturable_amount: 18500 })).amount).toBe("18.500")
  })

  it("reads capturable and refundable amounts, with fallbacks when the API omits them", () => {
    expect(capturableAmountOf(tx())).toBe(4500)
    expect(capturableAmountOf(tx({ capturable_amount: undefined }))).toBe(7000)
    expect(refundableAmountOf(tx({ transaction_type: "capture", refundable_amount: 1200 }))).toBe(1200)
    expect(refundableAmountOf(tx({ transaction_type: "capture", refunded_amount: 2000 }))).toBe(5000)
  })

  it("is a final capture when it takes everything left, non-final otherwise", () => {
    expect(defaultCaptureType(4500, 4500)).toBe("final")
    expect(defaultCaptureType(1000, 4500)).toBe("non-final")
    expect(defaultCaptureType(null, 4500)).toBe("final")
  })
})

describe("custom_reference (Elastic Path rules)", () => {
  it("omits the field when left as prefilled, sends '' when cleared, the new value when changed", () => {
    expect(customReferenceToSend("PO-42", "PO-42")).toBeUndefined()
    expect(customReferenceToSend(" PO-42 ", "PO-42")).toBeUndefined()
    expect(customReferenceToSend("", "PO-42")).toBe("")
    expect(customReferenceToSend("   ", "PO-42")).toBe("")
    expect(customReferenceToSend("INV-7", "PO-42")).toBe("INV-7")
    expect(customReferenceToSend("", null)).toBeUndefined()
    expect(customReferenceToSend("INV-7", null)).toBe("INV-7")
  })
})

describe("buildCaptureRequestBody", () => {
  it("sends the amount in minor units and the capture type; keeps the reference by omitting it", () => {
    expect(buildCaptureRequestBody(values({ amount: "45.00" }), context)).toEqual({
      ok: true,
      data: { capture_amount: 4500, capture_type: "final" },
    })
  })

  it("sends every option the person set", () => {
    expect(
      buildCaptureRequestBody(
        values({
          amount: "25.10",
          captureType: "non-final",
          customReference: "INV-7",
          statementDescriptor: " SPRING SALE ",
        }),
        context
      )
    ).toEqual({
      ok: true,
      data: {
        capture_amount: 2510,
        capture_type: "non-final",
        custom_reference: "INV-7",
        capture_statement_descriptor: "SPRING SALE",
      },
    })
  })

  it("sends the selected order lines instead of an amount (the API takes one or the other)", () => {
    expect(
      buildCaptureRequestBody(values({ amount: "25.10", lineItemIds: ["ordli_1", "ordli_2", "ordli_1"] }), {
        ...context,
        selectedLinesTotal: 2510,
      })
    ).toMatchObject({ ok: true, data: { invoice_detail_ids: ["ordli_1", "ordli_2"] } })
    const result = buildCaptureRequestBody(values({ amount: "25.10", lineItemIds: ["ordli_1"] }), {
      ...context,
      selectedLinesTotal: 2510,
    })
    expect(result.ok && "capture_amount" in result.data).toBe(false)
  })

  it("refuses an amount other than the selected lines' total, saying what to do", () => {
    expect(
      buildCaptureRequestBody(values({ amount: "20.00", lineItemIds: ["ordli_1"] }), {
        ...context,
        selectedLinesTotal: 2510,
      })
    ).toEqual({
      ok: false,
      errors: {
        amount: "The selected order lines come to 25.10: capture that amount, or untick the lines to capture another.",
      },
    })
  })

  it("clears the custom reference with ''", () => {
    const result = buildCaptureRequestBody(values({ customReference: "" }), context)
    expect(result.ok && result.data.custom_reference).toBe("")
    expect(result.ok && "custom_reference" in result.data).toBe(true)
  })

  it("converts with the currency's exponent", () => {
    const jpy = { currency: "JPY", capturableAmount: 9000, originalCustomReference: null }
    expect(buildCaptureRequestBody(values({ amount: "9000", customReference: "" }), jpy)).toEqual({
      ok: true,
      data: { capture_amount: 9000, capture_type: "final" },
    })
    const kwd = { currency: "KWD", capturableAmount: 18500, originalCustomReference: null }
    expect(buildCaptureRequestBody(values({ amount: "10.25", customReference: "" }), kwd)).toMatchObject({
      ok: true,
      data: { capture_amount: 10250 },
    })
  })

  it("reports field errors instead of a body", () => {
    expect(buildCaptureRequestBody(values({ amount: "45.01" }), context)).toEqual({
      ok: false,
      errors: { amount: "The amount cannot exceed 45.00 USD." },
    })
    const result = buildCaptureRequestBody(
      values({ amount: "abc", statementDescriptor: "A VERY LONG DESCRIPTOR TEXT" }),
      context
    )
    expect(result).toEqual({
      ok: false,
      errors: { amount: expect.stringMatching(/positive number/), statementDescriptor: "At most 22 characters." },
    })
    expect(buildCaptureRequestBody(values({ amount: "10.5" }), { ...context, currency: "JPY" })).toMatchObject({
      ok: false,
      errors: { amount: expect.stringMatching(/JPY has no decimals/) },
    })
  })
})

describe("validateStatementDescriptor", () => {
  it.each([
    ["", undefined],
    ["MYSHOP", undefined],
    ["A".repeat(22), undefined],
    ["A".repeat(23), "At most 22 characters."],
    ['SHOP "X"', expect.stringMatching(/not allowed/)],
    ["SHOP*1", expect.stringMatching(/not allowed/)],
    ["12345", "Include at least one letter."],
  ])("%j -> %p", (descriptor, expected) => {
    expect(validateStatementDescriptor(descriptor)).toEqual(expected)
  })
})

describe("manual capture, refund and mark-as-refunded bodies", () => {
  it("captures manually with capture_mechanism manual only", () => {
    expect(manualCaptureRequestBody()).toEqual({ data: { capture_mechanism: "manual" } })
  })

  it("refunds an amount in minor units, at most what is refundable", () => {
    const ctx = { currency: "USD", refundableAmount: 7000 }
    expect(buildRefundRequestBody("20", ctx)).toEqual({ ok: true, body: { data: { amount: 2000 } } })
    expect(buildRefundRequestBody("70.00", ctx)).toEqual({ ok: true, body: { data: { amount: 7000 } } })
    expect(buildRefundRequestBody("70.01", ctx)).toEqual({ ok: false, error: "The amount cannot exceed 70.00 USD." })
    expect(buildRefundRequestBody("1000", { currency: "JPY", refundableAmount: 9000 })).toEqual({
      ok: true,
      body: { data: { amount: 1000 } },
    })
  })

  it("marks the rest as refunded with an empty body", () => {
    expect(markAsRefundedRequestBody()).toEqual({})
  })
})

describe("order lines for invoice_detail_ids", () => {
  const items = toCaptureLineItems(
    [
      { id: "ordli_1", title: "M", product_title: "Orchestrator T-shirt", variant_title: "M", quantity: 2, total: 120 },
      { id: "ordli_2", title: "Socks", quantity: 1, total: 10.5 },
      { id: "ordli_3", title: "Gift", quantity: 1, total: { value: "0.1" } },
      { id: "ordli_4", title: "Unknown", quantity: 1 },
    ],
    "USD"
  )

  it("lists each line with its total in minor units", () => {
    expect(items).toEqual([
      { id: "ordli_1", title: "Orchestrator T-shirt · M", quantity: 2, totalMinor: 12000 },
      { id: "ordli_2", title: "Socks", quantity: 1, totalMinor: 1050 },
      { id: "ordli_3", title: "Gift", quantity: 1, totalMinor: 10 },
      { id: "ordli_4", title: "Unknown", quantity: 1, totalMinor: null },
    ])
  })

  it("totals the selected lines exactly", () => {
    expect(selectedLineItemsTotal(items, [])).toBe(0)
    expect(selectedLineItemsTotal(items, ["ordli_1", "ordli_2", "ordli_3"])).toBe(13060)
    expect(selectedLineItemsTotal(items, ["ordli_4", "missing"])).toBe(0)
  })

  it("handles a missing item list", () => {
    expect(toCaptureLineItems(undefined, "USD")).toEqual([])
  })
})
