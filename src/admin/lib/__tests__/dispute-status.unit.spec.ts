import { isOpenDispute, isRefundBlocked, refundBlockingDisputes } from "../dispute-status"
import type { Dispute } from "../transaction-types"

function dispute(overrides: Partial<Dispute> = {}): Dispute {
  return {
    id: "dp_1",
    type: "dispute",
    gateway: "stripe",
    reference: "du_1",
    transaction_id: "tx_capture",
    amount: 7000,
    currency: "USD",
    reason: "fraudulent",
    status: "needs_response",
    evidence_due_by: "2025-06-20T00:00:00Z",
    created_at: "2025-06-10T00:00:00Z",
    updated_at: "2025-06-10T00:00:00Z",
    history: [],
    ...overrides,
  }
}

describe("isOpenDispute", () => {
  it.each([
    "needs_response",
    "under_review",
    "warning_needs_response",
    "warning_under_review",
    "OPEN",
    "WAITING_FOR_SELLER_RESPONSE",
    "UNDER_REVIEW",
  ])("%s is open", (status) => {
    expect(isOpenDispute({ status })).toBe(true)
  })

  it.each(["won", "lost", "warning_closed", "RESOLVED", "closed", "prevented", "", "  "])(
    "%j is not open",
    (status) => {
      expect(isOpenDispute({ status })).toBe(false)
    }
  )
})

describe("refundBlockingDisputes", () => {
  const transactions = [{ id: "tx_auth" }, { id: "tx_capture" }, { id: "tx_capture_2" }]

  it("keeps open disputes with the capture they are on", () => {
    const blocks = refundBlockingDisputes(
      [
        dispute(),
        dispute({ id: "dp_2", status: "won", transaction_id: "tx_capture_2" }),
        dispute({ id: "dp_3", status: "under_review", transaction_id: "tx_elsewhere" }),
      ],
      transactions
    )
    expect(blocks.map((b) => [b.dispute.id, b.transactionId])).toEqual([
      ["dp_1", "tx_capture"],
      ["dp_3", null],
    ])
  })

  it("blocks the disputed capture; an unlinked open dispute blocks every capture", () => {
    const linked = refundBlockingDisputes([dispute()], transactions)
    expect(isRefundBlocked("tx_capture", linked)).toBe(true)
    expect(isRefundBlocked("tx_capture_2", linked)).toBe(false)

    const unlinked = refundBlockingDisputes([dispute({ transaction_id: null })], transactions)
    expect(isRefundBlocked("tx_capture_2", unlinked)).toBe(true)

    expect(isRefundBlocked("tx_capture", refundBlockingDisputes([dispute({ status: "lost" })], transactions))).toBe(
      false
    )
  })
})
