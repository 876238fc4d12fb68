import {
  availableActions,
  detailedStatusColor,
  displayAmount,
  displayRefundedAmount,
  humanize,
  statusColor,
  transactionTypeLabel,
} from "../transaction-display"
import type { Transaction } from "../transaction-types"

function tx(overrides: Partial<Transaction> = {}): Transaction {
  return {
    id: "tx_1",
    type: "transaction",
    reference: "pi_1",
    custom_reference: null,
    gateway: "stripe",
    amount: 2500,
    refunded_amount: 1000,
    currency: "USD",
    transaction_type: "capture",
    status: "complete",
    payment_details: { detailed_status: "partially-refunded" },
    next_actions: ["refund"],
    expires_at: null,
    refundable_amount: 1500,
    relationships: { order: { data: { type: "order", id: "order_1" } } },
    meta: {
      display_price: { amount: 2500, currency: "USD", formatted: "$25.00" },
      display_refunded_amount: { total: { amount: 1000, currency: "USD", formatted: "$10.00" } },
      timestamps: { created_at: "2025-06-03T12:00:00Z", updated_at: "2025-06-03T12:00:00Z" },
    },
    ...overrides,
  }
}

describe("availableActions", () => {
  it("offers capture, capture manually and cancel on an authorization", () => {
    expect(availableActions(tx({ transaction_type: "authorize", next_actions: ["capture", "cancel"] }))).toEqual([
      "capture",
      "capture-manual",
      "cancel",
    ])
    expect(availableActions(tx({ transaction_type: "authorize", next_actions: ["cancel", "capture"] }))).toEqual([
      "capture",
      "capture-manual",
      "cancel",
    ])
  })

  it("offers refund on an automatic capture and mark-as-refunded on a manual one", () => {
    expect(availableActions(tx())).toEqual(["refund"])
    expect(availableActions(tx({ capture_mechanism: "automatic" }))).toEqual(["refund"])
    expect(availableActions(tx({ capture_mechanism: "manual" }))).toEqual(["mark-refunded"])
  })

  it("offers nothing the API does not allow", () => {
    expect(availableActions(tx({ next_actions: [] }))).toEqual([])
  })
})

describe("labels, colours and amounts", () => {
  it("humanizes statuses", () => {
    expect(humanize("partially-refunded")).toBe("Partially refunded")
    expect(humanize("expired_uncaptured_charge")).toBe("Expired uncaptured charge")
    expect(humanize("WAITING_FOR_SELLER_RESPONSE")).toBe("Waiting for seller response")
    expect(humanize(null)).toBe("—")
  })

  it("colours statuses", () => {
    expect(statusColor("complete")).toBe("green")
    expect(statusColor("pending")).toBe("orange")
    expect(statusColor("failed")).toBe("red")
    expect(statusColor("canceled")).toBe("grey")
    expect(detailedStatusColor("expired_uncaptured_charge")).toBe("red")
    expect(detailedStatusColor("chargeback-initiated")).toBe("red")
    expect(detailedStatusColor("authorized")).toBe("blue")
    expect(detailedStatusColor("something-new")).toBe("purple")
  })

  it("labels types", () => {
    expect(transactionTypeLabel({ transaction_type: "authorize" })).toBe("Authorization")
    expect(transactionTypeLabel({ transaction_type: "refund" })).toBe("Refund")
  })

  it("shows the API's formatted amounts, or formats the minor units itself", () => {
    expect(displayAmount(tx())).toBe("$25.00")
    expect(displayRefundedAmount(tx())).toBe("$10.00")
    const bare = tx({ currency: "JPY", amount: 9000, refunded_amount: 0, meta: undefined as never })
    expect(displayAmount(bare)).toBe("¥9,000")
    expect(displayRefundedAmount(bare)).toBe("¥0")
  })
})
