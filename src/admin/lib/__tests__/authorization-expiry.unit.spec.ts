import {
  EXPIRY_WARNING_WINDOW_MS,
  authorizationExpiryWarning,
  authorizationExpiryWarnings,
  describeRemaining,
} from "../authorization-expiry"
import type { Transaction } from "../transaction-types"

const NOW = new Date("2025-06-10T12:00:00.000Z")
const HOUR = 60 * 60 * 1000

function authorization(overrides: Partial<Transaction> = {}): Transaction {
  return {
    id: "tx_auth",
    type: "transaction",
    reference: "pi_123",
    custom_reference: null,
    gateway: "stripe",
    amount: 7000,
    refunded_amount: 0,
    currency: "USD",
    transaction_type: "authorize",
    status: "complete",
    payment_details: { detailed_status: "authorized" },
    next_actions: ["capture", "cancel"],
    expires_at: null,
    capturable_amount: 7000,
    relationships: { order: { data: { type: "order", id: "order_1" } } },
    meta: {
      display_price: { amount: 7000, currency: "USD", formatted: "$70.00" },
      timestamps: { created_at: "2025-06-03T12:00:00Z", updated_at: "2025-06-03T12:00:00Z" },
    },
    ...overrides,
  }
}

const inHours = (hours: number) => new Date(NOW.getTime() + hours * HOUR).toISOString()

describe("authorizationExpiryWarning", () => {
  it("warns nothing for an authorization far from its expiry, or without one", () => {
    expect(authorizationExpiryWarning(authorization({ expires_at: inHours(24 * 5) }), NOW)).toBeNull()
    expect(authorizationExpiryWarning(authorization(), NOW)).toBeNull()
  })

  it("warns 'expiring' inside the window, with the time left", () => {
    const warning = authorizationExpiryWarning(authorization({ expires_at: inHours(5) }), NOW)
    expect(warning).toMatchObject({
      state: "expiring",
      transactionId: "tx_auth",
      remainingMs: 5 * HOUR,
      nextActions: ["capture", "cancel"],
      title: "Authorization expires soon",
    })
    expect(warning!.message).toMatch(/expires in 5 hours/)
  })

  it("uses a 48-hour window by default, inclusive, and accepts another one", () => {
    expect(EXPIRY_WARNING_WINDOW_MS).toBe(48 * HOUR)
    expect(authorizationExpiryWarning(authorization({ expires_at: inHours(48) }), NOW)?.state).toBe("expiring")
    expect(authorizationExpiryWarning(authorization({ expires_at: inHours(48.01) }), NOW)).toBeNull()
    expect(authorizationExpiryWarning(authorization({ expires_at: inHours(70) }), NOW, 72 * HOUR)?.state).toBe(
      "expiring"
    )
  })

  it("warns 'expired' once expires_at has passed (at the very instant too)", () => {
    expect(authorizationExpiryWarning(authorization({ expires_at: inHours(-1) }), NOW)).toMatchObject({
      state: "expired",
      remainingMs: null,
      title: "Authorization expired",
    })
    expect(authorizationExpiryWarning(authorization({ expires_at: NOW.toISOString() }), NOW)?.state).toBe("expired")
  })

  it("warns 'expired' on detailed_status expired_uncaptured_charge even without expires_at, keeping next_actions", () => {
    const warning = authorizationExpiryWarning(
      authorization({
        payment_details: { detailed_status: "expired_uncaptured_charge" },
        next_actions: ["cancel", "capture"],
        capturable_amount: 0,
      }),
      NOW
    )
    expect(warning).toMatchObject({ state: "expired", expiresAt: null, nextActions: ["cancel", "capture"] })
    expect(warning!.message).toMatch(/cancel the authorization/i)
  })

  it("ignores captures, refunds, canceled and failed authorizations, and fully captured ones", () => {
    const past = inHours(-1)
    expect(authorizationExpiryWarning(authorization({ transaction_type: "capture", expires_at: past }), NOW)).toBeNull()
    expect(authorizationExpiryWarning(authorization({ transaction_type: "refund", expires_at: past }), NOW)).toBeNull()
    expect(authorizationExpiryWarning(authorization({ status: "canceled", expires_at: past }), NOW)).toBeNull()
    expect(
      authorizationExpiryWarning(
        authorization({
          status: "failed",
          payment_details: { detailed_status: "expired_uncaptured_charge" },
        }),
        NOW
      )
    ).toBeNull()
    expect(
      authorizationExpiryWarning(authorization({ next_actions: [], capturable_amount: 0, expires_at: inHours(2) }), NOW)
    ).toBeNull()
  })

  it("ignores an unparseable expires_at", () => {
    expect(authorizationExpiryWarning(authorization({ expires_at: "soon" }), NOW)).toBeNull()
  })
})

describe("authorizationExpiryWarnings", () => {
  it("lists expired authorizations first, then the soonest to expire", () => {
    const warnings = authorizationExpiryWarnings(
      [
        authorization({ id: "later", expires_at: inHours(30) }),
        authorization({ id: "far", expires_at: inHours(200) }),
        authorization({ id: "sooner", expires_at: inHours(3) }),
        authorization({ id: "expired", payment_details: { detailed_status: "expired_uncaptured_charge" } }),
        authorization({ id: "capture", transaction_type: "capture" }),
      ],
      NOW
    )
    expect(warnings.map((w) => [w.transactionId, w.state])).toEqual([
      ["expired", "expired"],
      ["sooner", "expiring"],
      ["later", "expiring"],
    ])
  })
})

describe("describeRemaining", () => {
  it.each([
    [30 * 1000, "less than a minute"],
    [60 * 1000, "1 minute"],
    [12 * 60 * 1000, "12 minutes"],
    [HOUR, "1 hour"],
    [5 * HOUR + 3 * 60 * 1000, "5 hours 3 minutes"],
    [24 * HOUR, "1 day"],
    [50 * HOUR, "2 days 2 hours"],
  ])("%i ms -> %s", (ms, text) => {
    expect(describeRemaining(ms)).toBe(text)
  })
})
