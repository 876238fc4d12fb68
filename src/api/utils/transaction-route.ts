import type { MedusaResponse } from "@medusajs/framework/http"
import type { z } from "@medusajs/framework/zod"
import { sendErrors, toApiError, type ApiError } from "./transaction-api-errors"

class RequestRefused extends Error {
  constructor(readonly error: ApiError) {
    super(error.detail)
  }
}

/**
 * Validates a body against a zod schema; a failure is a 400 that names the field and changes nothing. A missing body
 * counts as `{}`; a JSON `null` is not a missing body (it is refused like any other body that is not an object).
 */
export function parseBody<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body === undefined ? {} : body)
  if (!result.success) {
    const issue = result.error.issues[0]
    const field = issue.path.length ? issue.path.join(".") : "body"
    throw new RequestRefused({ status: 400, title: "Invalid request", detail: `${field}: ${issue.message}` })
  }
  return result.data
}

/** Runs a route's action and answers `{ data }`, or Elastic Path's `{ errors }` for whatever went wrong. */
export async function respondWithData(res: MedusaResponse, action: () => Promise<unknown>): Promise<void> {
  try {
    res.status(200).json({ data: await action() })
  } catch (e) {
    sendErrors(res, [e instanceof RequestRefused ? e.error : toApiError(e)])
  }
}
