import {
  PAYPAL_AUTHORIZATION_STATUS,
  PAYPAL_CAPTURE_STATUS,
  PAYPAL_ORDER_STATUS,
  payPalAuthorizationStatus,
  payPalPaymentStatus,
} from "../paypal-status"

const NOW = Date.parse("2026-06-15T12:00:00Z")
const PAST = "2026-06-15T11:59:59Z"
const FUTURE = "2026-07-14T12:00:00Z"

describe("PayPal status tables: every status word", () => {
  it("order statuses (Orders v2) before any payment exists", () => {
    expect(PAYPAL_ORDER_STATUS).toEqual({
      CREATED: "pending",
      SAVED: "pending",
      PAYER_ACTION_REQUIRED: "requires_action",
      APPROVED: "pending",
      VOIDED: "canceled",
    })
  })

  it("authorization statuses (Payments v2)", () => {
    expect(PAYPAL_AUTHORIZATION_STATUS).toEqual({
      CREATED: "authorized",
      PENDING: "processing",
      PARTIALLY_CAPTURED: "partially_captured",
      CAPTURED: "captured",
      VOIDED: "canceled",
      EXPIRED: "expired",
      DENIED: "failed",
    })
  })

  it("capture statuses of an order captured at approval", () => {
    expect(PAYPAL_CAPTURE_STATUS).toEqual({
      COMPLETED: "captured",
      PARTIALLY_REFUNDED: "captured",
      REFUNDED: "captured",
      PENDING: "processing",
      DECLINED: "failed",
      FAILED: "failed",
    })
  })
})

describe("payPalAuthorizationStatus: VOIDED means expired once the expiration time has passed", () => {
  it.each([
    ["CREATED", FUTURE, "authorized"],
    ["PENDING", FUTURE, "processing"],
    ["PARTIALLY_CAPTURED", FUTURE, "partially_captured"],
    ["CAPTURED", FUTURE, "captured"],
    ["VOIDED", FUTURE, "canceled"],
    ["VOIDED", PAST, "expired"],
    ["VOIDED", "2026-06-15T12:00:00Z", "expired"],
    ["VOIDED", undefined, "canceled"],
    ["VOIDED", null, "canceled"],
    ["EXPIRED", FUTURE, "expired"],
    ["DENIED", FUTURE, "failed"],
    // Only VOIDED is reread by time: a CREATED authorization past its date is whatever PayPal still says.
    ["CREATED", PAST, "authorized"],
    ["SOMETHING_NEW", FUTURE, "processing"],
    [undefined, FUTURE, "processing"],
  ] as [string | undefined, string | null | undefined, string][])("%s, expiring %s → %s", (status, exp, expected) => {
    expect(payPalAuthorizationStatus(status, exp, NOW)).toBe(expected)
  })
})

describe("payPalPaymentStatus: the authorization decides, else the capture, else the order", () => {
  it("reads the authorization first (intent AUTHORIZE)", () => {
    expect(
      payPalPaymentStatus({
        orderStatus: "COMPLETED",
        authorization: { status: "VOIDED", expirationTime: PAST },
        capture: { status: "COMPLETED" },
        now: NOW,
      })
    ).toBe("expired")
    expect(
      payPalPaymentStatus({ orderStatus: "COMPLETED", authorization: { status: "CREATED", expirationTime: FUTURE } })
    ).toBe("authorized")
  })

  it("reads the capture of an order captured at approval (intent CAPTURE)", () => {
    expect(payPalPaymentStatus({ orderStatus: "COMPLETED", capture: { status: "COMPLETED" } })).toBe("captured")
    expect(payPalPaymentStatus({ orderStatus: "COMPLETED", capture: { status: "DECLINED" } })).toBe("failed")
    expect(payPalPaymentStatus({ orderStatus: "COMPLETED", capture: { status: "NEW_WORD" } })).toBe("processing")
  })

  it.each([
    ["CREATED", "pending"],
    ["SAVED", "pending"],
    ["PAYER_ACTION_REQUIRED", "requires_action"],
    ["APPROVED", "pending"],
    ["VOIDED", "canceled"],
    // COMPLETED with neither an authorization nor a capture read yet: still settling.
    ["COMPLETED", "processing"],
    ["NEW_WORD", "pending"],
    [undefined, "pending"],
  ] as [string | undefined, string][])("order %s with no payment yet → %s", (orderStatus, expected) => {
    expect(payPalPaymentStatus({ orderStatus })).toBe(expected)
  })
})
