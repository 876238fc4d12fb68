/**
 * The rules that the provider, the planners, the transactions API, the ledger and the widget share
 * (src/planners/rules.ts), and that every place which applies them agrees with them.
 */
import fc from "fast-check"
import { isOpenDispute } from "../../admin/lib/dispute-status"
import { customReferenceToSend, defaultCaptureType } from "../../admin/lib/transaction-request-bodies"
import {
  isOpenDisputeStatus,
  normalisePayPalDisputeStatus,
  normaliseStripeDisputeStatus,
} from "../../gateways/dispute-status"
import type { GatewayDisputeStatus } from "../../gateways/types"
import {
  CLOSED_DISPUTE_STATUSES,
  inheritCustomReference,
  isCaptureFinal,
  isDisputeOpen,
  leftToCapture,
  requestedCustomReference,
} from "../rules"
import { authorizationArb, captureRecord } from "./fixtures"

describe("closed dispute statuses", () => {
  it.each([
    "won",
    "lost",
    "warning_closed",
    "closed",
    "prevented",
    "charge_refunded",
    "resolved",
    "accepted",
    "canceled",
    "cancelled",
    "expired",
  ])("%s closes a dispute", (status) => {
    expect(CLOSED_DISPUTE_STATUSES.has(status)).toBe(true)
    expect(isDisputeOpen(status)).toBe(false)
  })

  it.each([
    "warning_needs_response",
    "warning_under_review",
    "needs_response",
    "under_review",
    "open",
    "waiting_for_seller_response",
    "waiting_for_buyer_response",
  ])("%s keeps it open", (status) => {
    expect(isDisputeOpen(status)).toBe(true)
  })

  it("reads statuses whatever their case and surrounding spaces (PayPal's words are upper case)", () => {
    expect(isDisputeOpen("  WON ")).toBe(false)
    expect(isDisputeOpen("RESOLVED")).toBe(false)
    expect(isDisputeOpen("UNDER_REVIEW")).toBe(true)
    expect(isDisputeOpen(" Needs_Response")).toBe(true)
  })

  it("counts a status it does not know as open, never as decided (refunds stay blocked)", () => {
    expect(isDisputeOpen("something_new")).toBe(true)
  })

  it("counts no status at all as no dispute", () => {
    expect(isDisputeOpen(null)).toBe(false)
    expect(isDisputeOpen(undefined)).toBe(false)
    expect(isDisputeOpen("")).toBe(false)
    expect(isDisputeOpen("   ")).toBe(false)
  })

  const gatewayStatuses: GatewayDisputeStatus[] = [
    "warning_needs_response",
    "warning_under_review",
    "warning_closed",
    "needs_response",
    "under_review",
    "won",
    "lost",
    "prevented",
    "closed",
  ]

  it.each(gatewayStatuses)("the gateways and the widget agree with the rule on %s", (status) => {
    expect(isOpenDisputeStatus(status)).toBe(isDisputeOpen(status))
    expect(isOpenDispute({ status })).toBe(isDisputeOpen(status))
  })

  it("agrees with the gateways for any status word they normalise", () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), (status, outcome) => {
        for (const normalised of [
          normaliseStripeDisputeStatus(status),
          normalisePayPalDisputeStatus(status, outcome),
        ]) {
          expect(isOpenDisputeStatus(normalised)).toBe(isDisputeOpen(normalised))
        }
      })
    )
  })

  it("agrees with the widget for any status the API sends, PayPal's own words included", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...CLOSED_DISPUTE_STATUSES, ...gatewayStatuses, "OPEN", "RESOLVED"), fc.string()),
        (status) => {
          expect(isOpenDispute({ status })).toBe(isDisputeOpen(status))
        }
      )
    )
  })
})

describe("isCaptureFinal", () => {
  it.each([
    // [requested_final, amount, left, final]
    [true, 4000, 10000, true], // asked for (ProcessOut capture_type: final)
    [false, 4000, 10000, false], // asked not to, and more is left
    [undefined, 4000, 10000, false], // Medusa's own route, partial: the rest stays capturable
    [undefined, 10000, 10000, true], // implied: takes everything that was left
    [false, 10000, 10000, true], // implied even when asked for non-final: nothing would be left anyway
    [undefined, 6000, 6000, true], // the last of several partial captures
    [true, 1, 6000, true],
  ])("requested %s, %i of %i left → final %s", (requested_final, amount, left_to_capture, final) => {
    expect(isCaptureFinal({ requested_final, amount, left_to_capture })).toBe(final)
  })

  it("is final iff requested or the capture takes all that was left", () => {
    fc.assert(
      fc.property(
        fc.option(fc.boolean(), { nil: undefined }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 1e6 }),
        (requested_final, amount, left_to_capture) => {
          expect(isCaptureFinal({ requested_final, amount, left_to_capture })).toBe(
            requested_final === true || amount >= left_to_capture
          )
        }
      )
    )
  })

  it("is the widget's default capture type", () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 1, max: 1e6 })), fc.integer({ min: 1, max: 1e6 }), (amount, left) => {
        const rule = isCaptureFinal({ amount: amount ?? left, left_to_capture: left })
        expect(defaultCaptureType(amount, left)).toBe(rule ? "final" : "non-final")
      })
    )
  })
})

describe("custom_reference (Elastic Path's three rules)", () => {
  it.each([
    [undefined, "ORDER-7", "ORDER-7"], // absent: inherits the authorization's reference
    [undefined, null, null], // absent, and the authorization has none (or it was cleared)
    ["", "ORDER-7", null], // empty string: clears it
    [null, "ORDER-7", null], // already read as cleared (the API's instruction)
    ["NEW-1", "ORDER-7", "NEW-1"], // any other value: replaces it
    ["NEW-1", null, "NEW-1"],
    [" ", "ORDER-7", " "], // not trimmed here: the API validated it
  ])("requested %p on %p → %p", (requested, authorization, expected) => {
    expect(inheritCustomReference(requested, authorization)).toBe(expected)
  })

  it('reads a request: absent keeps, "" clears (null), anything else replaces', () => {
    expect(requestedCustomReference(undefined)).toBeUndefined()
    expect(requestedCustomReference("")).toBeNull()
    expect(requestedCustomReference(null)).toBeNull()
    expect(requestedCustomReference("REF-9")).toBe("REF-9")
  })

  it("inheriting what the API read from a request is inheriting the request itself", () => {
    fc.assert(
      fc.property(
        fc.option(fc.oneof(fc.constant(""), fc.string()), { nil: undefined }),
        fc.option(fc.string({ minLength: 1 })),
        (requested, authorization) => {
          expect(inheritCustomReference(requestedCustomReference(requested), authorization)).toBe(
            inheritCustomReference(requested, authorization)
          )
        }
      )
    )
  })

  it("the widget's form sends what makes the capture carry the reference typed in (trimmed, empty clears)", () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string()), (typed, original) => {
        const sent = customReferenceToSend(typed, original)
        const expected = typed.trim() === "" ? null : typed.trim()
        const kept = (original ?? "").trim() === typed.trim()
        const result = inheritCustomReference(sent, original)
        if (kept) {
          // Left as prefilled: the field is omitted and the authorization's reference is inherited as it is.
          expect(sent).toBeUndefined()
          expect(result).toBe(original)
        } else {
          expect(result).toBe(expected)
        }
      })
    )
  })
})

describe("leftToCapture", () => {
  it("is the whole authorization before any capture", () => {
    expect(leftToCapture({ authorized: 10000, captures: [] })).toBe(10000)
  })

  it("is what non-final captures left, manual ones included (that money was taken too)", () => {
    const captures = [captureRecord("A", 2500), captureRecord("B", 1500, { mechanism: "manual" })]
    expect(leftToCapture({ authorized: 10000, captures })).toBe(6000)
  })

  it("is nothing once a final capture closed the authorization, however much it took", () => {
    expect(leftToCapture({ authorized: 10000, captures: [captureRecord("A", 2500, { final: true })] })).toBe(0)
    expect(
      leftToCapture({
        authorized: 10000,
        captures: [captureRecord("A", 2500), captureRecord("B", 1000, { final: true, mechanism: "manual" })],
      })
    ).toBe(0)
  })

  it("is nothing once fully captured, and never negative", () => {
    expect(leftToCapture({ authorized: 10000, captures: [captureRecord("A", 10000)] })).toBe(0)
    expect(leftToCapture({ authorized: 10000, captures: [captureRecord("A", 12000)] })).toBe(0)
  })

  it("left + captured ≤ authorized, equal until a final capture closes it", () => {
    fc.assert(
      fc.property(authorizationArb, (record) => {
        const left = leftToCapture({ authorized: record.amount, captures: record.captures })
        const captured = record.captures.reduce((sum, c) => sum + c.amount, 0)
        expect(left).toBeGreaterThanOrEqual(0)
        expect(left + captured).toBeLessThanOrEqual(record.amount)
        if (!record.captures.some((c) => c.final)) {
          expect(left + captured).toBe(record.amount)
        } else {
          expect(left).toBe(0)
        }
      })
    )
  })
})
