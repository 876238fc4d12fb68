import { ApiError } from "@paypal/paypal-server-sdk"
import { GatewayError, isGatewayError, type GatewayErrorKind } from "../errors"

const UNKNOWN_OUTCOME =
  "the outcome at PayPal is unknown: PayPal may or may not have acted. The webhook, or a retry with the same PayPal-Request-Id, will settle it."

/** What a failed PayPal call says, whatever shape the SDK gave it. */
export interface PayPalFailure {
  /** HTTP status; null when PayPal never answered (network error, timeout). */
  status: number | null
  /** PayPal's error `name` (UNPROCESSABLE_ENTITY…) or OAuth `error` (invalid_client). */
  name: string | null
  /** The first `details[].issue` (AUTHORIZATION_EXPIRED…), else the name. */
  issue: string | null
  description: string | null
  debugId: string | null
  /** PayPal's body as parsed (details, debug_id, links), or the raw text. */
  body: unknown
  /** True when the request may not have reached PayPal or its answer was lost: network error or timeout. */
  transport: boolean
  timeout: boolean
}

const NETWORK_CODES = new Set([
  "ECONNABORTED",
  "ETIMEDOUT",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ERR_NETWORK",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
])

function parseBody(e: ApiError<unknown>): unknown {
  if (e.result !== undefined && e.result !== null) {
    return e.result
  }
  if (typeof e.body === "string" && e.body.length > 0) {
    try {
      return JSON.parse(e.body)
    } catch {
      return e.body
    }
  }
  return null
}

/** Reads a PayPal SDK failure: `e.result ?? JSON.parse(e.body)` for API errors, the code for transport errors. */
export function readPayPalFailure(e: unknown): PayPalFailure {
  if (e instanceof ApiError) {
    const body = parseBody(e)
    const b = (body && typeof body === "object" ? body : {}) as {
      name?: string
      message?: string
      debug_id?: string
      details?: { issue?: string; description?: string }[]
      error?: string
      error_description?: string
    }
    const detail = b.details?.[0]
    return {
      status: e.statusCode ?? null,
      name: b.name ?? b.error ?? null,
      issue: detail?.issue ?? b.name ?? b.error ?? null,
      description: detail?.description ?? b.message ?? b.error_description ?? (e.message || null),
      debugId: b.debug_id ?? e.headers?.["paypal-debug-id"] ?? null,
      body,
      transport: false,
      timeout: false,
    }
  }
  const err = e as { code?: unknown; isAxiosError?: unknown; name?: unknown; message?: unknown; response?: unknown }
  const code = typeof err?.code === "string" ? err.code : null
  const timeout =
    code === "ECONNABORTED" ||
    code === "ETIMEDOUT" ||
    err?.name === "AbortError" ||
    /timeout/i.test(String(err?.message ?? ""))
  const transport = timeout || (code !== null && NETWORK_CODES.has(code)) || err?.isAxiosError === true
  return {
    status: null,
    name: code,
    issue: code,
    description: typeof err?.message === "string" ? err.message : String(e),
    debugId: null,
    body: null,
    transport,
    timeout,
  }
}

/** Worth retrying with the same PayPal-Request-Id: network errors, timeouts, 5xx and 409 — never other 4xx. */
export function isRetryablePayPalError(e: unknown): boolean {
  if (isGatewayError(e)) {
    return false
  }
  const f = readPayPalFailure(e)
  if (f.status !== null) {
    return f.status >= 500 || f.status === 409
  }
  return f.transport
}

const INVALID_STATE = new Set([
  "AUTHORIZATION_VOIDED",
  "AUTHORIZATION_ALREADY_CAPTURED",
  "PREVIOUSLY_CAPTURED",
  "PREVIOUSLY_VOIDED",
  "ORDER_NOT_APPROVED",
  "ORDER_ALREADY_AUTHORIZED",
  "ORDER_ALREADY_CAPTURED",
  "ORDER_COMPLETED_OR_VOIDED",
  "ORDER_EXPIRED",
  "ACTION_DOES_NOT_MATCH_INTENT",
  "CAPTURE_FULLY_REFUNDED",
  "CAPTURE_NOT_COMPLETED",
  "REFUND_TIME_LIMIT_EXCEEDED",
  "TRANSACTION_ALREADY_REFUNDED",
])

/** PayPal's refusals of a reauthorization: PayPal's issue names (v2, the v1 one, the sandbox's) and what to do. */
const HONOR_PERIOD_ISSUES = new Set([
  "REAUTHORIZATION_TOO_SOON",
  "REAUTHORIZE_TOO_EARLY",
  "CANNOT_REAUTH_INSIDE_HONOR_PERIOD",
])
const HONOR_PERIOD =
  "the authorization is still in its 3-day honor period, during which PayPal guarantees its funds. Capture it now if the order ships; PayPal reauthorizes only from day 4 to day 29 after the original authorization."
const REAUTHORIZED_ALREADY =
  "this authorization was already reauthorized and PayPal allows no further reauthorization of it. Capture the newest authorization of the payment while it is valid, or cancel the payment and ask the customer to pay again."
const REAUTHORIZATION_NOT_ALLOWED =
  "PayPal only reauthorizes an authorization that is not captured yet, from day 4 to day 29 after the original authorization. Capture what is authorized while it is valid, or cancel the payment and ask the customer to pay again."

const DECLINED = new Set([
  "INSTRUMENT_DECLINED",
  "TRANSACTION_REFUSED",
  "PAYER_CANNOT_PAY",
  "CARD_EXPIRED",
  "PAYER_ACCOUNT_RESTRICTED",
  "PAYER_ACCOUNT_LOCKED_OR_CLOSED",
  "COMPLIANCE_VIOLATION",
  "DECLINED_DUE_TO_RELATED_TXN",
])

const INVALID_AMOUNT = new Set([
  "MAX_CAPTURE_AMOUNT_EXCEEDED",
  "REFUND_AMOUNT_EXCEEDED",
  "CANNOT_BE_ZERO_OR_NEGATIVE",
  "AMOUNT_MISMATCH",
  "DECIMAL_PRECISION",
  "CURRENCY_MISMATCH",
  "REAUTHORIZATION_AMOUNT_EXCEEDED",
  "PARTIAL_REFUND_NOT_ALLOWED",
])

/** Turns a PayPal SDK error into a GatewayError whose message says what happened and what to do next. */
export function fromPayPalError(e: unknown, what: string): GatewayError {
  if (isGatewayError(e)) {
    return e
  }
  const f = readPayPalFailure(e)
  const psp = { status: f.status, code: f.issue, body: f.body }
  const fail = (kind: GatewayErrorKind, message: string) => new GatewayError("paypal", kind, message, psp)
  const said = f.description ? ` (${f.issue ? `${f.issue}: ` : ""}${f.description})` : f.issue ? ` (${f.issue})` : ""
  const debug = f.debugId ? ` PayPal debug id: ${f.debugId}.` : ""

  if (f.status === null) {
    if (f.timeout) {
      return fail("unknown_outcome", `PayPal did not answer in time while trying to ${what}: ${UNKNOWN_OUTCOME}`)
    }
    if (f.transport) {
      return fail(
        "unknown_outcome",
        `The connection to PayPal failed while trying to ${what}${said}: ${UNKNOWN_OUTCOME}`
      )
    }
    return fail(
      "unknown_outcome",
      `PayPal's answer could not be read while trying to ${what}${said}: ${UNKNOWN_OUTCOME}`
    )
  }
  if (f.status >= 500) {
    return fail("unknown_outcome", `PayPal failed to ${what} (HTTP ${f.status})${said}: ${UNKNOWN_OUTCOME}${debug}`)
  }
  if (f.status === 409) {
    return fail(
      "unknown_outcome",
      `PayPal is still processing an earlier request with the same PayPal-Request-Id while trying to ${what}: ${UNKNOWN_OUTCOME}${debug}`
    )
  }
  if (f.status === 401 || f.status === 403) {
    return fail(
      "authentication",
      `PayPal rejected the credentials while trying to ${what}${said}: check the provider's clientId, clientSecret and environment options.${debug}`
    )
  }
  const issue = f.issue ?? ""
  if (issue === "AUTHORIZATION_EXPIRED") {
    return fail(
      "authorization_expired",
      `The PayPal authorization expired before it was captured, so PayPal released the funds and nothing can be captured${said}. ` +
        "Next: cancel the payment in Medusa and ask the customer to pay again; PayPal only lets an authorization be reauthorized while it is still valid, from day 4 to day 29 after it was made." +
        debug
    )
  }
  if (HONOR_PERIOD_ISSUES.has(issue) || (issue === "REAUTHORIZATION_NOT_ALLOWED" && /hono(u)?r period/i.test(said))) {
    return fail("invalid_state", `PayPal refused to ${what}${said} because ${HONOR_PERIOD}${debug}`)
  }
  if (issue === "MAX_NUMBER_OF_REAUTHORIZATIONS_EXCEEDED") {
    return fail("invalid_state", `PayPal refused to ${what}${said} because ${REAUTHORIZED_ALREADY}${debug}`)
  }
  if (issue === "REAUTHORIZATION_NOT_ALLOWED") {
    return fail("invalid_state", `PayPal refused to ${what}${said}: ${REAUTHORIZATION_NOT_ALLOWED}${debug}`)
  }
  if (issue === "DUPLICATE_INVOICE_ID") {
    return fail(
      "invalid_request",
      `PayPal refused to ${what} because the invoice id was already used on another PayPal transaction${said}: use another custom reference.${debug}`
    )
  }
  if (issue === "REFUND_NOT_ALLOWED" && /dispute/i.test(f.description ?? "")) {
    return fail(
      "disputed",
      `PayPal refused to ${what} because a dispute is open on the capture${said}: settle it through the dispute.${debug}`
    )
  }
  if (DECLINED.has(issue)) {
    return fail(
      "declined",
      `PayPal declined the payment while trying to ${what}${said}: ask the customer to choose another funding source in PayPal or another payment method.${debug}`
    )
  }
  if (INVALID_AMOUNT.has(issue)) {
    return fail("invalid_amount", `PayPal refused the amount while trying to ${what}${said}.${debug}`)
  }
  if (INVALID_STATE.has(issue) || issue === "REFUND_NOT_ALLOWED") {
    return fail("invalid_state", `PayPal cannot ${what} in the payment's current state${said}.${debug}`)
  }
  if (f.status === 404) {
    return fail("invalid_request", `PayPal does not know the object needed to ${what}${said}.${debug}`)
  }
  if (f.status === 429) {
    return fail(
      "invalid_request",
      `PayPal rate-limited the request to ${what}: nothing was done; try again later.${debug}`
    )
  }
  return fail("invalid_request", `PayPal refused to ${what}${said}.${debug}`)
}
