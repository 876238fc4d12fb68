import { randomBytes } from "node:crypto"
import { SandboxHttpError } from "../core/psp-fake"
import type { SandboxResponse } from "../core/router"

/** One entry of a PayPal error's `details`. */
export interface PayPalIssue {
  issue: string
  description: string
  field?: string
  value?: string
  location?: "body" | "path" | "query" | "header"
}

export interface PayPalErrorBody {
  name: string
  message: string
  debug_id: string
  details?: PayPalIssue[]
  links: { href: string; rel: string; method?: string }[]
}

const MESSAGES: Record<string, string> = {
  INVALID_REQUEST: "Request is not well-formed, syntactically incorrect, or violates schema.",
  AUTHENTICATION_FAILURE:
    "Authentication failed due to invalid authentication credentials or a missing Authorization header.",
  NOT_AUTHORIZED: "Authorization failed due to insufficient permissions.",
  RESOURCE_NOT_FOUND: "The specified resource does not exist.",
  METHOD_NOT_SUPPORTED: "The server does not implement the requested HTTP method.",
  RESOURCE_CONFLICT: "The server has detected a conflict while processing this request.",
  UNPROCESSABLE_ENTITY:
    "The requested action could not be performed, semantically incorrect, or failed business validation.",
  RATE_LIMIT_REACHED: "Too many requests. Blocked due to rate limiting.",
  INTERNAL_SERVER_ERROR: "An internal server error has occurred.",
  SERVICE_UNAVAILABLE: "Service Unavailable.",
}

const NAME_BY_STATUS: Record<number, string> = {
  400: "INVALID_REQUEST",
  401: "AUTHENTICATION_FAILURE",
  403: "NOT_AUTHORIZED",
  404: "RESOURCE_NOT_FOUND",
  405: "METHOD_NOT_SUPPORTED",
  409: "RESOURCE_CONFLICT",
  422: "UNPROCESSABLE_ENTITY",
  429: "RATE_LIMIT_REACHED",
  503: "SERVICE_UNAVAILABLE",
}

export function debugId(): string {
  return randomBytes(7).toString("hex").slice(0, 13)
}

/** A PayPal REST error response: `{name, message, debug_id, details, links}` plus the `paypal-debug-id` header. */
export function paypalError(
  status: number,
  name: string,
  details: PayPalIssue[] = [],
  message?: string
): SandboxResponse {
  const id = debugId()
  const issue = details[0]?.issue ?? name
  const body: PayPalErrorBody = {
    name,
    message: message ?? MESSAGES[name] ?? MESSAGES.INTERNAL_SERVER_ERROR,
    debug_id: id,
    ...(details.length > 0 ? { details } : {}),
    links: [
      {
        href: `https://developer.paypal.com/api/rest/reference/orders/v2/errors/#${issue}`,
        rel: "information_link",
        method: "GET",
      },
    ],
  }
  return { status, body, headers: { "paypal-debug-id": id } }
}

/** The PayPal error for a bare HTTP status (injected faults, unknown routes). */
export function errorForStatus(status: number, description: string): SandboxResponse {
  const name = status >= 500 && status !== 503 ? "INTERNAL_SERVER_ERROR" : (NAME_BY_STATUS[status] ?? "INVALID_REQUEST")
  if (status >= 500) {
    return paypalError(status, name)
  }
  return paypalError(status, name, [{ issue: name, description }])
}

function fail(status: number, name: string, issue: string, description: string, field?: string): SandboxHttpError {
  const detail: PayPalIssue = { issue, description }
  if (field) {
    detail.field = field.startsWith("/") ? field : `/${field}`
    detail.location = "body"
  }
  return new SandboxHttpError(paypalError(status, name, [detail]))
}

/** 422 UNPROCESSABLE_ENTITY with one issue: the business rule errors (ORDER_NOT_APPROVED, AUTHORIZATION_EXPIRED…). */
export function unprocessable(issue: string, description: string, field?: string): SandboxHttpError {
  return fail(422, "UNPROCESSABLE_ENTITY", issue, description, field)
}

/** 400 INVALID_REQUEST with one issue: schema and syntax errors. */
export function invalidRequest(issue: string, description: string, field?: string): SandboxHttpError {
  return fail(400, "INVALID_REQUEST", issue, description, field)
}

/** 404 RESOURCE_NOT_FOUND for an unknown id. */
export function notFound(description: string): SandboxHttpError {
  const detail: PayPalIssue = { issue: "INVALID_RESOURCE_ID", description, location: "path" }
  return new SandboxHttpError(paypalError(404, "RESOURCE_NOT_FOUND", [detail]))
}

export function authenticationFailure(): SandboxResponse {
  return paypalError(401, "AUTHENTICATION_FAILURE")
}
