/** Stripe's error bodies: `{"error":{"type","code","message","param",...}}`, thrown from handlers as SandboxHttpError. */
import { randomId } from "../core/ids"
import { SandboxHttpError } from "../core/psp-fake"
import type { SandboxResponse } from "../core/router"
import type { Json } from "./state"

export type StripeErrorType =
  "api_error" | "card_error" | "idempotency_error" | "invalid_request_error" | "rate_limit_error"

export interface StripeErrorFields {
  type: StripeErrorType
  message: string
  code?: string
  param?: string
  decline_code?: string
  [extra: string]: unknown
}

export function requestId(): string {
  return randomId("req", 14)
}

export function stripeErrorResponse(status: number, fields: StripeErrorFields, reqId = requestId()): SandboxResponse {
  const error: Json = { ...fields }
  if (fields.code) {
    error.doc_url = `https://stripe.com/docs/error-codes/${fields.code.replace(/_/g, "-")}`
  }
  error.request_log_url = `https://dashboard.stripe.com/test/logs/${reqId}`
  return { status, body: { error }, headers: { "request-id": reqId } }
}

export function stripeError(status: number, fields: StripeErrorFields): SandboxHttpError {
  return new SandboxHttpError(stripeErrorResponse(status, fields))
}

/** A 400 `invalid_request_error`. */
export function invalidRequest(
  message: string,
  extra: Omit<Partial<StripeErrorFields>, "type"> = {}
): SandboxHttpError {
  return stripeError(400, { type: "invalid_request_error", message, ...extra })
}

/** The 404 Stripe gives for an unknown id: `No such payment_intent: 'pi_123'`. */
export function resourceMissing(kind: string, id: string, param = "id"): SandboxHttpError {
  return stripeError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    param,
    message: `No such ${kind}: '${id}'`,
  })
}

/** Stripe's error for an HTTP status with no more specific cause (injected faults, unknown routes). */
export function genericError(status: number, message: string): SandboxResponse {
  const type: StripeErrorType =
    status >= 500
      ? "api_error"
      : status === 429
        ? "rate_limit_error"
        : status === 402
          ? "card_error"
          : "invalid_request_error"
  const fields: StripeErrorFields = { type, message }
  if (status === 429) {
    fields.code = "rate_limit"
  }
  return stripeErrorResponse(status, fields)
}

/** `sk_test_****1234`: a key as Stripe quotes it back, never in full. */
export function maskKey(key: string): string {
  const cut = key.lastIndexOf("_") + 1
  return `${key.slice(0, cut)}****${key.slice(-4)}`
}
