/**
 * The sentence to show a person when an admin API call fails. The transactions API answers
 * `{"errors": [{"status", "title", "detail", "meta"?}]}`; Medusa's own middlewares (authentication, body validation)
 * answer `{"type", "message"}`. The detail is what the toast shows; the title heads it.
 */
import type { ApiErrorBody } from "./transaction-types"

export interface ApiErrorSummary {
  status: number
  title: string
  detail: string
}

function asBody(body: unknown): ApiErrorBody {
  return body !== null && typeof body === "object" ? (body as ApiErrorBody) : {}
}

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : ""
}

export function summarizeApiError(body: unknown, status: number, statusText = ""): ApiErrorSummary {
  const parsed = asBody(body)
  const errors = Array.isArray(parsed.errors) ? parsed.errors : []
  const details = [...new Set(errors.map((e) => text(e?.detail) || text(e?.title)).filter(Boolean))]
  const title = errors.map((e) => text(e?.title)).find(Boolean) || "Request failed"
  if (details.length) {
    return { status, title, detail: details.join(" ") }
  }
  const message = text(parsed.message)
  if (message) {
    return { status, title, detail: message }
  }
  if (typeof body === "string" && body.trim() && body.trim().length <= 300 && !body.trim().startsWith("<")) {
    return { status, title, detail: body.trim() }
  }
  const suffix = text(statusText) ? ` ${text(statusText)}` : ""
  return {
    status,
    title,
    detail: status ? `The server answered ${status}${suffix}.` : "The server could not be reached.",
  }
}

/** The error a failed request throws: its message is the API's detail, so `error.message` is what to show. */
export class AdminApiError extends Error {
  readonly status: number
  readonly title: string
  readonly body: unknown

  constructor(summary: ApiErrorSummary, body: unknown) {
    super(summary.detail)
    this.name = "AdminApiError"
    this.status = summary.status
    this.title = summary.title
    this.body = body
  }
}

/** Title and detail of anything a request may throw (an AdminApiError, a network TypeError, …). */
export function errorToToast(error: unknown): { title: string; detail: string } {
  if (error instanceof AdminApiError) {
    return { title: error.title, detail: error.message }
  }
  if (error instanceof Error && error.message) {
    return { title: "Request failed", detail: error.message }
  }
  return { title: "Request failed", detail: "Something went wrong." }
}
