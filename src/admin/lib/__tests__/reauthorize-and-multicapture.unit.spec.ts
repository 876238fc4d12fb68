/**
 * The widget's display logic for reauthorization (PayPal, past the honor period) and for payments without
 * multicapture (a partial capture is final and releases the rest).
 */
import { authorizationExpiryWarning, authorizationExpiryWarnings } from "../authorization-expiry"
import {
  actionGroups,
  ACTION_LABELS,
  availableActions,
  displayReleasedAmount,
  reauthorizeDescription,
} from "../transaction-display"
import {
  allowsNonFinalCapture,
  buildCaptureRequestBody,
  captureTypeOptions,
  defaultCaptureType,
  releaseNotice,
  type CaptureFormValues,
} from "../transaction-request-bodies"
import type { Transaction } from "../transaction-types"

const NOW = new Date("2026-11-10T12:00:00.000Z")
const DAY = 24 * 60 * 60 * 1000
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString()

function authorization(overrides: Partial<Transaction> = {}): Transaction {
  return {
    id: "potx_auth",
    type: "transaction",
    reference: "AUTH-1",
    custom_reference: null,
    gateway: "paypal",
    amount: 7000,
    refunded_amount: 0,
    currency: "USD",
    transaction_type: "authorize",
    status: "complete",
    payment_details: { detailed_status: "authorized" },
    next_actions: ["capture", "reauthorize", "cancel"],
    expires_at: at(20),
    honor_until: at(-1),
    capturable_amount: 7000,
    released_amount: 0,
    multicapture: true,
    relationships: { order: { data: { type: "order", id: "order_1" } } },
    meta: {
      display_price: { amount: 7000, currency: "USD", formatted: "$70.00" },
      timestamps: { created_at: at(-5), updated_at: at(-5) },
    },
    ...overrides,
  }
}

describe("reauthorize in the row action menu", () => {
  it("is offered when next_actions has it, in its own group between capturing and canceling", () => {
    const kinds = availableActions(authorization())
    expect(kinds).toEqual(["capture", "capture-manual", "reauthorize", "cancel"])
    expect(actionGroups(kinds)).toEqual([["capture", "capture-manual"], ["reauthorize"], ["cancel"]])
    expect(ACTION_LABELS.reauthorize).toBe("Reauthorize")
  })

  it("is not offered when the API does not list it (Stripe, inside the honor period, once reauthorized)", () => {
    expect(availableActions(authorization({ next_actions: ["capture", "cancel"] }))).not.toContain("reauthorize")
  })

  it("the confirmation says what PayPal does: same amount, new authorization, once, expiry unchanged", () => {
    const text = reauthorizeDescription(authorization())
    expect(text).toMatch(/^PayPal makes a new authorization of \$70\.00 and guarantees its funds for another 3 days/)
    expect(text).toMatch(/current authorization AUTH-1 can no longer be captured/)
    expect(text).toMatch(/only once\. It still expires on .+, as before\.$/)
  })
})

describe("the warning past the honor period", () => {
  it("says the funds are no longer guaranteed and offers reauthorize beside capture", () => {
    const warning = authorizationExpiryWarning(authorization(), NOW)
    expect(warning).toMatchObject({
      state: "honor_period_over",
      title: "Funds no longer guaranteed",
      nextActions: ["capture", "reauthorize", "cancel"],
    })
    expect(warning?.message).toMatch(
      /^PayPal's 3-day honor period ended on .+: the funds are still held but no longer guaranteed/
    )
    expect(warning?.message).toMatch(
      /reauthorize to have the funds guaranteed for another 3 days \(allowed once; the authorization still expires on .+\)\.$/
    )
  })

  it("no such warning when reauthorize is not offered", () => {
    expect(authorizationExpiryWarning(authorization({ next_actions: ["capture", "cancel"] }), NOW)).toBeNull()
  })

  it("an authorization about to expire keeps the expiry warning, which says reauthorizing does not move the expiry", () => {
    const warning = authorizationExpiryWarning(authorization({ expires_at: at(1) }), NOW)
    expect(warning).toMatchObject({ state: "expiring" })
    expect(warning?.message).toMatch(/renews the guarantee of the funds for 3 days but not the expiry/)
  })

  it("expired first, then expiring, then past the honor period", () => {
    const warnings = authorizationExpiryWarnings(
      [
        authorization({ id: "honor" }),
        authorization({ id: "expiring", expires_at: at(1) }),
        authorization({ id: "expired", payment_details: { detailed_status: "expired_uncaptured_charge" } }),
      ],
      NOW
    )
    expect(warnings.map((w) => [w.transactionId, w.state])).toEqual([
      ["expired", "expired"],
      ["expiring", "expiring"],
      ["honor", "honor_period_over"],
    ])
  })
})

describe("a payment without multicapture", () => {
  const single = authorization({ gateway: "stripe", multicapture: false, next_actions: ["capture", "cancel"] })

  it("offers only a final capture; unknown or available multicapture offers both", () => {
    expect(allowsNonFinalCapture(single)).toBe(false)
    expect(captureTypeOptions(single)).toEqual(["final"])
    expect(captureTypeOptions(authorization({ multicapture: null }))).toEqual(["final", "non-final"])
    expect(captureTypeOptions(authorization({ multicapture: true }))).toEqual(["final", "non-final"])
  })

  it("a partial amount defaults to final there, to non-final where multicapture is available", () => {
    expect(defaultCaptureType(2500, 7000, false)).toBe("final")
    expect(defaultCaptureType(2500, 7000, true)).toBe("non-final")
    expect(defaultCaptureType(2500, 7000)).toBe("non-final")
    expect(defaultCaptureType(7000, 7000, false)).toBe("final")
  })

  it("says the rest will be released when a capture closes the authorization with less than is left", () => {
    const base = { capturableAmount: 7000, currency: "USD" }
    expect(releaseNotice({ ...base, amountMinor: 2500, captureType: "final", multicapture: false })).toBe(
      "This payment can be captured only once (no multicapture), so the rest, $45.00, will be released to the customer and cannot be captured later."
    )
    expect(releaseNotice({ ...base, amountMinor: 2500, captureType: "final", multicapture: true })).toBe(
      "This capture is final: the rest, $45.00, will be released to the customer and cannot be captured later."
    )
    expect(releaseNotice({ ...base, amountMinor: 2500, captureType: "non-final", multicapture: true })).toBeNull()
    expect(releaseNotice({ ...base, amountMinor: 7000, captureType: "final", multicapture: false })).toBeNull()
    expect(releaseNotice({ ...base, amountMinor: null, captureType: "final", multicapture: false })).toBeNull()
  })

  it("refuses a non-final capture in the form, before anything is sent", () => {
    const values: CaptureFormValues = {
      amount: "25.00",
      customReference: "",
      statementDescriptor: "",
      captureType: "non-final",
      lineItemIds: [],
    }
    const context = { currency: "USD", capturableAmount: 7000, originalCustomReference: null }
    expect(buildCaptureRequestBody(values, { ...context, multicapture: false })).toEqual({
      ok: false,
      errors: { captureType: expect.stringMatching(/captured only once \(no multicapture\)/) },
    })
    expect(buildCaptureRequestBody(values, { ...context, multicapture: true })).toMatchObject({
      ok: true,
      data: { capture_amount: 2500, capture_type: "non-final" },
    })
  })

  it("the table shows what a final partial capture released", () => {
    expect(displayReleasedAmount(authorization({ released_amount: 4500 }))).toBe("$45.00")
    expect(displayReleasedAmount(authorization({ released_amount: 0 }))).toBeNull()
    expect(displayReleasedAmount(authorization({ released_amount: undefined }))).toBeNull()
    expect(displayReleasedAmount(authorization({ transaction_type: "capture", released_amount: 4500 }))).toBeNull()
  })
})
