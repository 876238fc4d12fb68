import {
  isOpenDisputeStatus,
  normaliseDisputeReason,
  normalisePayPalDisputeStatus,
  normaliseStripeDisputeStatus,
} from "../dispute-status"
import { toDispute as payPalDispute } from "../paypal/paypal-gateway"

describe("dispute status in one vocabulary", () => {
  it.each([
    ["warning_needs_response", "warning_needs_response", true],
    ["warning_under_review", "warning_under_review", true],
    ["warning_closed", "warning_closed", false],
    ["needs_response", "needs_response", true],
    ["under_review", "under_review", true],
    ["won", "won", false],
    ["lost", "lost", false],
    ["prevented", "prevented", false],
    ["charge_refunded", "closed", false],
    ["something_new", "under_review", true],
    [null, "under_review", true],
  ])("Stripe %s → %s (open: %s)", (stripe, status, open) => {
    const normalised = normaliseStripeDisputeStatus(stripe)
    expect(normalised).toBe(status)
    expect(isOpenDisputeStatus(normalised)).toBe(open)
  })

  it.each([
    ["OPEN", undefined, "needs_response"],
    ["WAITING_FOR_SELLER_RESPONSE", undefined, "needs_response"],
    ["WAITING_FOR_BUYER_RESPONSE", undefined, "under_review"],
    ["UNDER_REVIEW", undefined, "under_review"],
    ["OTHER", undefined, "under_review"],
    ["RESOLVED", "RESOLVED_BUYER_FAVOUR", "lost"],
    ["RESOLVED", "ACCEPTED", "lost"],
    ["RESOLVED", "RESOLVED_SELLER_FAVOUR", "won"],
    ["RESOLVED", "CANCELED_BY_BUYER", "won"],
    ["RESOLVED", "DENIED", "won"],
    ["RESOLVED", "RESOLVED_WITH_PAYOUT", "won"],
    ["RESOLVED", "NONE", "closed"],
    ["RESOLVED", undefined, "closed"],
    ["resolved", "resolved_buyer_favour", "lost"],
  ])("PayPal %s / %s → %s", (status, outcome, expected) => {
    expect(normalisePayPalDisputeStatus(status, outcome)).toBe(expected)
  })

  it("keeps the PSP's reason in lower snake case", () => {
    expect(normaliseDisputeReason("MERCHANDISE_OR_SERVICE_NOT_RECEIVED")).toBe("merchandise_or_service_not_received")
    expect(normaliseDisputeReason("fraudulent")).toBe("fraudulent")
    expect(normaliseDisputeReason("")).toBeNull()
    expect(normaliseDisputeReason(undefined)).toBeNull()
  })

  it("reads a PayPal dispute: minor units per currency, the amount lost, the capture and the session", () => {
    const base = {
      dispute_id: "PP-D-1",
      create_time: "2026-01-02T03:04:05Z",
      reason: "UNAUTHORISED",
      disputed_transactions: [{ seller_transaction_id: "CAP1", custom: "payses_1" }],
      seller_response_due_date: "2026-01-12T03:04:05Z",
    }
    expect(
      payPalDispute({
        ...base,
        status: "WAITING_FOR_SELLER_RESPONSE",
        dispute_amount: { currency_code: "USD", value: "12.34" },
      })
    ).toEqual({
      gateway: "paypal",
      id: "PP-D-1",
      amount: 1234,
      currency: "usd",
      reason: "unauthorised",
      status: "needs_response",
      psp_status: "WAITING_FOR_SELLER_RESPONSE",
      open: true,
      amount_lost: 0,
      evidence_due_by: "2026-01-12T03:04:05.000Z",
      created_at: "2026-01-02T03:04:05.000Z",
      capture_id: "CAP1",
      payment_reference: null,
      session_id: "payses_1",
    })
    const lost = payPalDispute({
      ...base,
      status: "RESOLVED",
      dispute_amount: { currency_code: "JPY", value: "9000" },
      dispute_outcome: {
        outcome_code: "RESOLVED_BUYER_FAVOUR",
        amount_refunded: { currency_code: "JPY", value: "8000" },
      },
    })
    expect(lost).toMatchObject({ amount: 9000, currency: "jpy", status: "lost", open: false, amount_lost: 8000 })
    expect(lost.psp_status).toBe("RESOLVED:RESOLVED_BUYER_FAVOUR")
  })
})
