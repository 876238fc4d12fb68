/**
 * PayPal SDK failures → GatewayError kind and merchant sentence. Inputs are built the way `@paypal/paypal-server-sdk`
 * throws them: `CustomError` (an `ApiError`) with the parsed body in `result` and an empty message for the statuses an
 * endpoint declares (`throwOn`), `ApiError` with only the raw `body` text for the others, and axios errors for the
 * transport. No network.
 */
import { ApiError, CustomError } from "@paypal/paypal-server-sdk"
import { AxiosError } from "axios"
import { GatewayError } from "../../errors"
import { fromPayPalError, isRetryablePayPalError, readPayPalFailure } from "../paypal-errors"

const URL = "https://api-m.paypal.com/v2/payments/authorizations/0VF52814937998046/capture"

/** What the SDK throws for a status in the endpoint's `throwOn` list: CustomError, message "", `result` parsed. */
function declared(status: number, body: unknown, headers: Record<string, string> = {}): CustomError {
  const e = new CustomError(
    { request: { method: "POST", url: URL }, response: { statusCode: status, headers, body: JSON.stringify(body) } },
    ""
  )
  e.result = body as CustomError["result"]
  return e
}

/** What the SDK throws for any other status: ApiError "The error response.", `result` undefined, `body` the raw text. */
function undeclared(status: number, body: string, headers: Record<string, string> = {}): ApiError {
  return new ApiError(
    { request: { method: "GET", url: URL }, response: { statusCode: status, headers, body } },
    "The error response."
  )
}

/** PayPal's error body: `{name, message, debug_id, details: [{issue, description}]}`. */
function paypalBody(status: number, issue: string, description: string, name = "UNPROCESSABLE_ENTITY") {
  return {
    name,
    message: "The requested action could not be performed, semantically incorrect, or failed business validation.",
    debug_id: "f1a2b3c4d5e6",
    details: [{ issue, description }],
    links: [{ href: `https://developer.paypal.com/docs/api/payments/v2/#error-${issue}`, rel: "information_link" }],
    status,
  }
}

const unprocessable = (issue: string, description: string) => declared(422, paypalBody(422, issue, description))
const map = (e: unknown, what = "capture the PayPal authorization") => fromPayPalError(e, what)

const UNKNOWN =
  /the outcome at PayPal is unknown: PayPal may or may not have acted\. The webhook, or a retry with the same PayPal-Request-Id, will settle it\./

describe("fromPayPalError: what PayPal said → kind and sentence", () => {
  it("422 AUTHORIZATION_EXPIRED → authorization_expired, telling the merchant to cancel and ask for a new payment", () => {
    const error = map(unprocessable("AUTHORIZATION_EXPIRED", "Authorization has expired."))
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({
      gateway: "paypal",
      kind: "authorization_expired",
      psp: { status: 422, code: "AUTHORIZATION_EXPIRED" },
    })
    expect(error.message).toMatch(/authorization expired before it was captured/)
    expect(error.message).toMatch(/AUTHORIZATION_EXPIRED: Authorization has expired\./)
    expect(error.message).toMatch(/cancel the payment in Medusa and ask the customer to pay again/)
    expect(error.message).toMatch(/PayPal debug id: f1a2b3c4d5e6\./)
  })

  it("reads the raw body when the SDK left `result` empty (a status the endpoint does not declare)", () => {
    const e = undeclared(422, JSON.stringify(paypalBody(422, "AUTHORIZATION_EXPIRED", "Authorization has expired.")))
    expect(e.result).toBeUndefined()
    expect(map(e)).toMatchObject({ kind: "authorization_expired", psp: { status: 422, code: "AUTHORIZATION_EXPIRED" } })
  })

  it.each([
    [
      "INSTRUMENT_DECLINED",
      "declined",
      /declined the payment.*another funding source in PayPal or another payment method/,
    ],
    ["TRANSACTION_REFUSED", "declined", /declined the payment/],
    ["PAYER_CANNOT_PAY", "declined", /declined the payment/],
    ["MAX_CAPTURE_AMOUNT_EXCEEDED", "invalid_amount", /refused the amount/],
    ["REFUND_AMOUNT_EXCEEDED", "invalid_amount", /refused the amount/],
    ["CURRENCY_MISMATCH", "invalid_amount", /refused the amount/],
    ["REAUTHORIZATION_AMOUNT_EXCEEDED", "invalid_amount", /refused the amount/],
    ["PREVIOUSLY_VOIDED", "invalid_state", /cannot capture the PayPal authorization in the payment's current state/],
    ["AUTHORIZATION_VOIDED", "invalid_state", /current state/],
    ["AUTHORIZATION_ALREADY_CAPTURED", "invalid_state", /current state/],
    ["ORDER_NOT_APPROVED", "invalid_state", /current state/],
    ["CAPTURE_FULLY_REFUNDED", "invalid_state", /current state/],
    ["REFUND_TIME_LIMIT_EXCEEDED", "invalid_state", /current state/],
    ["DUPLICATE_INVOICE_ID", "invalid_request", /invoice id was already used.*use another custom reference/],
    ["INVALID_PARAMETER_VALUE", "invalid_request", /PayPal refused to capture the PayPal authorization/],
  ])("422 %s → %s", (issue, kind, sentence) => {
    const error = map(unprocessable(issue, "PayPal's description."))
    expect(error.kind).toBe(kind)
    expect(error.psp).toMatchObject({ status: 422, code: issue })
    expect(error.message).toMatch(sentence)
    expect(error.message).toContain(`(${issue}: PayPal's description.)`)
  })

  it("REFUND_NOT_ALLOWED because of an open dispute → disputed; otherwise invalid_state", () => {
    const disputed = map(
      unprocessable("REFUND_NOT_ALLOWED", "Refunds are not allowed while dispute PP-D-12345 on this capture is open."),
      "refund the PayPal capture"
    )
    expect(disputed.kind).toBe("disputed")
    expect(disputed.message).toMatch(/a dispute is open on the capture.*settle it through the dispute/)
    expect(map(unprocessable("REFUND_NOT_ALLOWED", "Full refund refused."), "refund the PayPal capture").kind).toBe(
      "invalid_state"
    )
  })

  describe("reauthorization refusals → invalid_state with what to do instead", () => {
    const what = "reauthorize the PayPal authorization"
    it.each([
      ["REAUTHORIZATION_TOO_SOON", "A reauthorization is only allowed once from Day 4 to Day 29."],
      ["REAUTHORIZE_TOO_EARLY", "An authorization can be reauthorized only after its 3-day honor period."],
      ["CANNOT_REAUTH_INSIDE_HONOR_PERIOD", "Reauthorization is not allowed within the honor period."],
      ["REAUTHORIZATION_NOT_ALLOWED", "A reauthorize cannot be attempted within the honor period."],
    ])("%s: still in the honor period", (issue, description) => {
      const error = map(unprocessable(issue, description), what)
      expect(error).toMatchObject({ kind: "invalid_state", psp: { code: issue } })
      expect(error.message).toMatch(/^PayPal refused to reauthorize the PayPal authorization/)
      expect(error.message).toMatch(/still in its 3-day honor period/)
      expect(error.message).toMatch(/Capture it now if the order ships; PayPal reauthorizes only from day 4 to day 29/)
    })

    it("MAX_NUMBER_OF_REAUTHORIZATIONS_EXCEEDED: already reauthorized", () => {
      const error = map(
        unprocessable("MAX_NUMBER_OF_REAUTHORIZATIONS_EXCEEDED", "An authorization can be reauthorized only once."),
        what
      )
      expect(error.kind).toBe("invalid_state")
      expect(error.message).toMatch(/already reauthorized and PayPal allows no further reauthorization/)
      expect(error.message).toMatch(/Capture the newest authorization.*or cancel the payment/)
    })

    it("REAUTHORIZATION_NOT_ALLOWED (not about the honor period): names what PayPal allows", () => {
      const error = map(
        unprocessable("REAUTHORIZATION_NOT_ALLOWED", "A partially captured authorization cannot be reauthorized."),
        what
      )
      expect(error.kind).toBe("invalid_state")
      expect(error.message).toMatch(/only reauthorizes an authorization that is not captured yet, from day 4 to day 29/)
      expect(error.message).not.toMatch(/honor period/)
    })
  })

  it("401/403 → authentication, pointing at the credentials options without echoing them", () => {
    const e = declared(401, { error: "invalid_client", error_description: "Client Authentication failed" })
    const error = map(e)
    expect(error).toMatchObject({ kind: "authentication", psp: { status: 401, code: "invalid_client" } })
    expect(error.message).toMatch(/check the provider's clientId, clientSecret and environment options/)
    expect(map(declared(403, paypalBody(403, "PERMISSION_DENIED", "No permission.", "NOT_AUTHORIZED"))).kind).toBe(
      "authentication"
    )
  })

  it("404 → invalid_request naming the unknown object; 429 → nothing was done, try later", () => {
    const missing = map(
      declared(
        404,
        paypalBody(404, "INVALID_RESOURCE_ID", "Specified resource ID does not exist.", "RESOURCE_NOT_FOUND")
      )
    )
    expect(missing.kind).toBe("invalid_request")
    expect(missing.message).toMatch(/does not know the object needed to capture/)
    const limited = map(undeclared(429, JSON.stringify({ name: "RATE_LIMIT_REACHED", message: "Too many requests." })))
    expect(limited.kind).toBe("invalid_request")
    expect(limited.message).toMatch(/rate-limited.*nothing was done; try again later/)
  })

  it.each([
    ["500 declared", declared(500, paypalBody(500, "INTERNAL_SERVER_ERROR", "An internal error.", "INTERNAL_ERROR"))],
    ["500 undeclared (raw body only)", undeclared(500, '{"name":"INTERNAL_SERVER_ERROR","debug_id":"abc"}')],
    ["503 with an HTML body", undeclared(503, "<html>Service Unavailable</html>")],
  ])("%s → unknown_outcome: the outcome is unknown, the webhook or a retry settles it", (_label, e) => {
    const error = map(e)
    expect(error.kind).toBe("unknown_outcome")
    expect(error.message).toMatch(/^PayPal failed to capture the PayPal authorization \(HTTP 50\d\)/)
    expect(error.message).toMatch(UNKNOWN)
  })

  it("409 (same PayPal-Request-Id still in flight) → unknown_outcome", () => {
    const error = map(declared(409, paypalBody(409, "DUPLICATE_REQUEST_ID", "Request in progress.", "CONFLICT")))
    expect(error.kind).toBe("unknown_outcome")
    expect(error.message).toMatch(/still processing an earlier request with the same PayPal-Request-Id/)
    expect(error.message).toMatch(UNKNOWN)
  })

  it("transport failures (no answer) → unknown_outcome: connection reset, timeout", () => {
    const reset = map(new AxiosError("socket hang up", "ECONNRESET"))
    expect(reset).toMatchObject({ kind: "unknown_outcome", psp: { status: null, code: "ECONNRESET" } })
    expect(reset.message).toMatch(/^The connection to PayPal failed while trying to capture/)
    expect(reset.message).toMatch(UNKNOWN)

    const timeout = map(new AxiosError("timeout of 20000ms exceeded", "ECONNABORTED"))
    expect(timeout.kind).toBe("unknown_outcome")
    expect(timeout.message).toMatch(/^PayPal did not answer in time while trying to capture/)
    expect(timeout.message).toMatch(UNKNOWN)

    const unreadable = map(new Error("Unexpected token < in JSON"))
    expect(unreadable.kind).toBe("unknown_outcome")
    expect(unreadable.message).toMatch(/answer could not be read/)
  })

  it("leaves a GatewayError as it is", () => {
    const original = new GatewayError("paypal", "invalid_amount", "Only 10.00 USD remains authorized.")
    expect(map(original)).toBe(original)
  })
})

describe("readPayPalFailure", () => {
  it("takes the first detail's issue, PayPal's debug id (body, else header) and the parsed body", () => {
    const body = paypalBody(422, "AUTHORIZATION_EXPIRED", "Authorization has expired.")
    expect(readPayPalFailure(declared(422, body))).toEqual({
      status: 422,
      name: "UNPROCESSABLE_ENTITY",
      issue: "AUTHORIZATION_EXPIRED",
      description: "Authorization has expired.",
      debugId: "f1a2b3c4d5e6",
      body,
      transport: false,
      timeout: false,
    })
    const noDebug = undeclared(500, '{"name":"INTERNAL_SERVER_ERROR"}', { "paypal-debug-id": "hdr123" })
    expect(readPayPalFailure(noDebug)).toMatchObject({ issue: "INTERNAL_SERVER_ERROR", debugId: "hdr123" })
  })
})

describe("isRetryablePayPalError: network errors, 5xx and 409 only", () => {
  it.each([
    ["500", declared(500, { name: "INTERNAL_SERVER_ERROR" }), true],
    ["502 raw", undeclared(502, "Bad Gateway"), true],
    ["503", undeclared(503, ""), true],
    ["409", declared(409, { name: "CONFLICT" }), true],
    ["ECONNRESET", new AxiosError("socket hang up", "ECONNRESET"), true],
    ["ECONNREFUSED", new AxiosError("connect ECONNREFUSED", "ECONNREFUSED"), true],
    ["timeout", new AxiosError("timeout of 100ms exceeded", "ECONNABORTED"), true],
    ["400", declared(400, paypalBody(400, "INVALID_PARAMETER_SYNTAX", "Bad.", "INVALID_REQUEST")), false],
    ["401", declared(401, { error: "invalid_client" }), false],
    ["403", declared(403, { name: "NOT_AUTHORIZED" }), false],
    ["404", declared(404, { name: "RESOURCE_NOT_FOUND" }), false],
    ["422", unprocessable("AUTHORIZATION_EXPIRED", "Authorization has expired."), false],
    ["429", undeclared(429, ""), false],
    ["a GatewayError", new GatewayError("paypal", "unknown_outcome", "already mapped"), false],
    ["a programming error", new TypeError("x is undefined"), false],
  ])("%s → %s", (_label, e, retryable) => {
    expect(isRetryablePayPalError(e)).toBe(retryable)
  })
})
