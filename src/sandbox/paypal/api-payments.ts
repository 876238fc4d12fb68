/**
 * Payments v2: authorizations (get, capture, void, reauthorize), captures (get, refund) and refunds (get), plus the
 * business operations the control routes reuse (expiry, dashboard refunds, reversals).
 *
 * Rules, as PayPal applies them:
 * - an authorization is valid for 29 days (`expiration_time`); past it, it is EXPIRED and PayPal sends
 *   PAYMENT.AUTHORIZATION.VOIDED. Expiry is applied lazily whenever the authorization is read or acted on.
 * - captures may be partial and repeated; together they may reach 115% of the authorized amount. After
 *   `final_capture: true` or once the authorized amount is reached the authorization is CAPTURED.
 * - reauthorize: once, for an unused (CREATED) authorization, from day 4 to day 29 of the original; it yields a new
 *   authorization id valid until the original window ends, and the original can no longer be captured (VOIDED).
 * - refunds: partial and repeated up to the captured amount, within 180 days. While a dispute on the capture is open,
 *   refunds are refused with 422 REFUND_NOT_ALLOWED (the sandbox's choice: the money is held by the dispute, settle
 *   it through the dispute instead).
 */
import { paypalId } from "../core/ids"
import type { Router, SandboxRequest, SandboxResponse } from "../core/router"
import { DAY_MS, optionalString, wantsRepresentation, type PayPalFakeContext } from "./context"
import { notFound, unprocessable } from "./errors"
import { formatAmount, parseMoney } from "./money"
import type { AuthorizationRecord, CaptureRecord, RefundRecord } from "./state"

export const AUTHORIZATION_VALIDITY_DAYS = 29
export const HONOR_PERIOD_DAYS = 3
/** PayPal lets a capture or reauthorization reach 115% of the authorized amount (integer percent: no float rounding). */
export const MAX_CAPTURE_PERCENT = 115
/** ... and at most USD 75 more than authorized (PayPal: "up to 115% of the original amount, not to exceed an increase of
 * $75 USD"). Applied to USD amounts only: the cap in other currencies is not published as an amount. */
export const MAX_CAPTURE_EXTRA_USD_MINOR = 7500
const maxCapturable = (authorizedMinor: number, currency: string) =>
  Math.min(
    Math.floor((authorizedMinor * MAX_CAPTURE_PERCENT) / 100),
    currency.toUpperCase() === "USD" ? authorizedMinor + MAX_CAPTURE_EXTRA_USD_MINOR : Number.MAX_SAFE_INTEGER
  )
export const REFUND_WINDOW_DAYS = 180

/** Applies expiry: an authorization past its `expiration_time` becomes EXPIRED and PayPal's VOIDED event is sent. */
export function refreshAuthorization(pp: PayPalFakeContext, a: AuthorizationRecord): AuthorizationRecord {
  if ((a.status === "CREATED" || a.status === "PARTIALLY_CAPTURED") && pp.now() >= a.expirationTime) {
    expire(pp, a)
  }
  return a
}

function expire(pp: PayPalFakeContext, a: AuthorizationRecord): void {
  a.status = "EXPIRED"
  a.updateTime = Math.max(a.expirationTime, a.createTime)
  pp.events.authorizationVoided(a)
}

/** The control route's "the authorization reaches its end": expiration_time moves to just now, then it expires. */
export function forceExpire(pp: PayPalFakeContext, a: AuthorizationRecord): AuthorizationRecord {
  refreshAuthorization(pp, a)
  if (a.status !== "CREATED" && a.status !== "PARTIALLY_CAPTURED") {
    throw new Error(`Authorization ${a.id} is ${a.status}; only CREATED or PARTIALLY_CAPTURED ones can expire.`)
  }
  a.expirationTime = Math.min(a.expirationTime, pp.now() - 1000)
  expire(pp, a)
  return a
}

export function findAuthorization(pp: PayPalFakeContext, id: string): AuthorizationRecord {
  const a = pp.state.authorizations.get(id)
  if (!a) {
    throw notFound(`Specified resource ID does not exist. Please check the resource ID and try again.`)
  }
  return refreshAuthorization(pp, a)
}

export function findCapture(pp: PayPalFakeContext, id: string): CaptureRecord {
  const c = pp.state.captures.get(id)
  if (!c) {
    throw notFound(`Specified resource ID does not exist. Please check the resource ID and try again.`)
  }
  return c
}

function assertCapturable(a: AuthorizationRecord): void {
  switch (a.status) {
    case "EXPIRED":
      throw unprocessable("AUTHORIZATION_EXPIRED", "Authorization has expired.")
    case "VOIDED":
      throw unprocessable("AUTHORIZATION_VOIDED", "A voided authorization cannot be captured or reauthorized.")
    case "CAPTURED":
      throw unprocessable(
        "AUTHORIZATION_ALREADY_CAPTURED",
        "Authorization has been previously captured and hence cannot be captured again."
      )
  }
}

function sameCurrency(expected: string, got: string, field: string): void {
  if (expected !== got) {
    throw unprocessable(
      "CURRENCY_MISMATCH",
      `Currency code should be the same as the currency of the original transaction (${expected}).`,
      field
    )
  }
}

function positive(minor: number, field: string): void {
  if (minor <= 0) {
    throw unprocessable("CANNOT_BE_ZERO_OR_NEGATIVE", "Must be greater than zero.", field)
  }
}

export function captureAuthorization(
  pp: PayPalFakeContext,
  a: AuthorizationRecord,
  body: Record<string, unknown>
): CaptureRecord {
  assertCapturable(a)
  let amountMinor = Math.max(0, a.amountMinor - a.capturedMinor)
  if (body.amount !== undefined) {
    const parsed = parseMoney(body.amount, "amount")
    sameCurrency(a.currency, parsed.currency, "/amount/currency_code")
    amountMinor = parsed.minor
  }
  positive(amountMinor, "/amount/value")
  const limit = maxCapturable(a.amountMinor, a.currency)
  if (a.capturedMinor + amountMinor > limit) {
    throw unprocessable(
      "MAX_CAPTURE_AMOUNT_EXCEEDED",
      `Capture amount exceeds allowable limit: at most ${formatAmount(limit - a.capturedMinor, a.currency)} ${a.currency} (115% of the authorized amount, at most USD 75 more, less what was captured) can still be captured.`,
      "/amount/value"
    )
  }
  const finalCapture = body.final_capture === true || body.final_capture === "true"
  const now = pp.now()
  const capture: CaptureRecord = {
    id: paypalId(),
    orderId: a.orderId,
    authorizationId: a.id,
    currency: a.currency,
    amountMinor,
    status: "COMPLETED",
    finalCapture,
    // As at PayPal: a capture's custom_id is what the capture call sent, not the authorization's.
    customId: optionalString(body, "custom_id"),
    invoiceId: optionalString(body, "invoice_id") ?? a.invoiceId,
    noteToPayer: optionalString(body, "note_to_payer"),
    softDescriptor: optionalString(body, "soft_descriptor"),
    createTime: now,
    updateTime: now,
    refundIds: [],
    refundedMinor: 0,
    disputeIds: [],
    reversed: false,
  }
  pp.state.captures.set(capture.id, capture)
  a.captureIds.push(capture.id)
  a.capturedMinor += amountMinor
  a.status = finalCapture || a.capturedMinor >= a.amountMinor ? "CAPTURED" : "PARTIALLY_CAPTURED"
  a.updateTime = now
  const pu = pp.state.orders.get(a.orderId)?.purchaseUnits.find((p) => p.referenceId === a.referenceId)
  pu?.captureIds.push(capture.id)
  pp.events.captureCompleted(capture)
  return capture
}

export function voidAuthorization(pp: PayPalFakeContext, a: AuthorizationRecord): AuthorizationRecord {
  switch (a.status) {
    case "EXPIRED":
      throw unprocessable("AUTHORIZATION_EXPIRED", "Authorization has expired.")
    case "VOIDED":
      throw unprocessable(
        "PREVIOUSLY_VOIDED",
        "Authorization has been previously voided and hence cannot be voided again."
      )
    case "CAPTURED":
      throw unprocessable(
        "PREVIOUSLY_CAPTURED",
        "Authorization has been previously captured and hence cannot be voided."
      )
  }
  a.status = "VOIDED"
  a.updateTime = pp.now()
  pp.events.authorizationVoided(a)
  return a
}

export function reauthorize(
  pp: PayPalFakeContext,
  a: AuthorizationRecord,
  body: Record<string, unknown>
): AuthorizationRecord {
  assertCapturable(a)
  if (a.status !== "CREATED") {
    throw unprocessable("REAUTHORIZATION_NOT_ALLOWED", "A partially captured authorization cannot be reauthorized.")
  }
  if (a.reauthorizedFrom || a.reauthorizedBy) {
    throw unprocessable("MAX_NUMBER_OF_REAUTHORIZATIONS_EXCEEDED", "An authorization can be reauthorized only once.")
  }
  const age = pp.now() - a.windowStart
  if (age < HONOR_PERIOD_DAYS * DAY_MS) {
    throw unprocessable(
      "REAUTHORIZE_TOO_EARLY",
      "An authorization can be reauthorized only after its 3-day honor period, from day 4 to day 29."
    )
  }
  let amountMinor = a.amountMinor
  if (body.amount !== undefined) {
    const parsed = parseMoney(body.amount, "amount")
    sameCurrency(a.currency, parsed.currency, "/amount/currency_code")
    positive(parsed.minor, "/amount/value")
    if (parsed.minor > maxCapturable(a.amountMinor, a.currency)) {
      throw unprocessable(
        "REAUTHORIZATION_AMOUNT_EXCEEDED",
        "Reauthorization amount exceeds allowable limit (115% of the original, at most USD 75 more).",
        "/amount/value"
      )
    }
    amountMinor = parsed.minor
  }
  const now = pp.now()
  const fresh: AuthorizationRecord = {
    ...a,
    id: paypalId(),
    amountMinor,
    status: "CREATED",
    createTime: now,
    updateTime: now,
    captureIds: [],
    capturedMinor: 0,
    reauthorizedFrom: a.id,
    reauthorizedBy: undefined,
  }
  pp.state.authorizations.set(fresh.id, fresh)
  a.reauthorizedBy = fresh.id
  a.status = "VOIDED"
  a.updateTime = now
  pp.state.orders
    .get(a.orderId)
    ?.purchaseUnits.find((p) => p.referenceId === a.referenceId)
    ?.authorizationIds.push(fresh.id)
  pp.events.authorizationCreated(fresh)
  return fresh
}

export interface RefundOptions {
  amount?: unknown
  invoiceId?: string
  customId?: string
  noteToPayer?: string
  source: RefundRecord["source"]
}

export function refundCapture(pp: PayPalFakeContext, c: CaptureRecord, opts: RefundOptions): RefundRecord {
  if (c.status === "DECLINED") {
    throw unprocessable("CAPTURE_NOT_COMPLETED", "A declined capture cannot be refunded.")
  }
  const remaining = c.amountMinor - c.refundedMinor
  if (remaining <= 0) {
    throw unprocessable("CAPTURE_FULLY_REFUNDED", "The capture has already been fully refunded.")
  }
  const external = opts.source === "reversal" || opts.source === "dispute"
  if (!external) {
    const open = pp.state.openDisputes(c)
    if (open.length > 0) {
      throw unprocessable(
        "REFUND_NOT_ALLOWED",
        `Refunds are not allowed while dispute ${open[0].id} on this capture is open; settle it through the dispute.`
      )
    }
    if (pp.now() - c.createTime > REFUND_WINDOW_DAYS * DAY_MS) {
      throw unprocessable(
        "REFUND_TIME_LIMIT_EXCEEDED",
        "You are over the time limit to perform a refund on this capture."
      )
    }
  }
  let amountMinor = remaining
  if (opts.amount !== undefined) {
    const parsed = parseMoney(opts.amount, "amount")
    sameCurrency(c.currency, parsed.currency, "/amount/currency_code")
    positive(parsed.minor, "/amount/value")
    amountMinor = parsed.minor
  }
  if (amountMinor > remaining) {
    throw unprocessable(
      "REFUND_AMOUNT_EXCEEDED",
      `The refund amount must be less than or equal to the capture amount that has not yet been refunded (${formatAmount(remaining, c.currency)} ${c.currency}).`,
      "/amount/value"
    )
  }
  const now = pp.now()
  const refund: RefundRecord = {
    id: paypalId(),
    captureId: c.id,
    currency: c.currency,
    amountMinor,
    status: "COMPLETED",
    source: opts.source,
    invoiceId: opts.invoiceId,
    // As at PayPal: a refund carries the custom_id its refund call sent; dashboard refunds and reversals carry none.
    customId: opts.customId,
    noteToPayer: opts.noteToPayer,
    createTime: now,
    updateTime: now,
  }
  pp.state.refunds.set(refund.id, refund)
  c.refundIds.push(refund.id)
  c.refundedMinor += amountMinor
  c.status = c.refundedMinor >= c.amountMinor ? "REFUNDED" : "PARTIALLY_REFUNDED"
  c.updateTime = now
  if (external) {
    c.reversed = true
    pp.events.captureReversed(refund)
  } else {
    pp.events.captureRefunded(refund)
  }
  return refund
}

function minimal(json: { id: string; status: string; links: unknown[] }): Record<string, unknown> {
  return { id: json.id, status: json.status, links: json.links }
}

function answer(
  req: SandboxRequest,
  status: number,
  full: { id: string; status: string; links: unknown[] }
): SandboxResponse {
  return { status, body: wantsRepresentation(req) ? full : minimal(full) }
}

export function registerPaymentRoutes(api: Router, pp: PayPalFakeContext): void {
  const { render } = pp

  api.get("/v2/payments/authorizations/:id", (req) => ({
    status: 200,
    body: render.authorization(findAuthorization(pp, req.params.id)),
  }))

  api.post("/v2/payments/authorizations/:id/capture", (req) => {
    const capture = captureAuthorization(pp, findAuthorization(pp, req.params.id), req.body)
    return answer(req, 201, render.capture(capture))
  })

  api.post("/v2/payments/authorizations/:id/void", (req) => {
    const a = voidAuthorization(pp, findAuthorization(pp, req.params.id))
    return wantsRepresentation(req) ? { status: 200, body: render.authorization(a) } : { status: 204 }
  })

  api.post("/v2/payments/authorizations/:id/reauthorize", (req) => {
    const fresh = reauthorize(pp, findAuthorization(pp, req.params.id), req.body)
    return answer(req, 201, render.authorization(fresh))
  })

  api.get("/v2/payments/captures/:id", (req) => ({ status: 200, body: render.capture(findCapture(pp, req.params.id)) }))

  api.post("/v2/payments/captures/:id/refund", (req) => {
    const capture = findCapture(pp, req.params.id)
    const refund = refundCapture(pp, capture, {
      amount: req.body.amount,
      invoiceId: optionalString(req.body, "invoice_id"),
      customId: optionalString(req.body, "custom_id"),
      noteToPayer: optionalString(req.body, "note_to_payer"),
      source: "api",
    })
    return answer(req, 201, render.refund(refund))
  })

  api.get("/v2/payments/refunds/:id", (req) => {
    const refund = pp.state.refunds.get(req.params.id)
    if (!refund) {
      throw notFound("Specified resource ID does not exist. Please check the resource ID and try again.")
    }
    return { status: 200, body: render.refund(refund) }
  })
}
