import type { MedusaResponse } from "@medusajs/framework/http"
import type { GatewayErrorDetail } from "../../providers/provider-base"

/** One error of the Elastic Path-shaped routes: `{ "errors": [{ status, title, detail, meta? }] }`. */
export interface ApiError {
  status: number
  title: string
  detail: string
  meta?: Record<string, unknown>
}

const STATUS_BY_TYPE: Record<string, number> = {
  not_found: 404,
  invalid_data: 400,
  invalid_argument: 400,
  not_allowed: 400,
  payment_authorization_error: 400,
  payment_requires_more_error: 400,
  duplicate_error: 409,
  conflict: 409,
  unauthorized: 401,
}

const TITLE_BY_STATUS: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  404: "Not found",
  409: "Conflict",
}

export function sendErrors(res: MedusaResponse, errors: ApiError[]): void {
  res.status(errors[0].status).json({ errors })
}

/**
 * Turns anything a transaction workflow threw into the Elastic Path error shape. A PSP refusal answers as the seed
 * documents show (Stripe: 400 "Payment gateway processing failed" with Stripe's error in `meta.error`; PayPal: 422
 * "Error received from paypal" with PayPal's `details`); an unknown outcome at the PSP is a 502 that says so. Client
 * secrets are removed from anything the PSP sent back.
 */
export function toApiError(e: unknown): ApiError {
  const error = (e ?? {}) as { type?: string; message?: string; title?: string; gateway_error?: GatewayErrorDetail }
  const gateway = error.gateway_error
  if (gateway) {
    return gatewayApiError(gateway)
  }
  const message = error.message ?? ""
  if (/lock/i.test(message) && /acquir|timed?[- ]?out/i.test(message)) {
    return {
      status: 409,
      title: "Conflict",
      detail: "Another payment action on this order is in progress. Wait for it to finish, then retry.",
    }
  }
  const status = STATUS_BY_TYPE[error.type ?? ""]
  if (status) {
    return { status, title: error.title ?? TITLE_BY_STATUS[status], detail: message }
  }
  return {
    status: 500,
    title: "Internal server error",
    detail: "The payment action failed unexpectedly; nothing more is known. Check the server logs, then retry.",
  }
}

function gatewayApiError(gateway: GatewayErrorDetail): ApiError {
  const body = withoutSecrets(gateway.psp?.body) as Record<string, unknown> | null
  if (gateway.kind === "unknown_outcome") {
    return { status: 502, title: "Payment gateway did not answer", detail: gateway.message }
  }
  if (gateway.kind === "authentication") {
    return { status: 502, title: "Payment gateway rejected the credentials", detail: gateway.message }
  }
  if (gateway.gateway === "paypal") {
    const expired = gateway.kind === "authorization_expired"
    const details =
      Array.isArray(body?.details) && body.details.length > 0
        ? body.details
        : [{ issue: gateway.psp?.code ?? "UNPROCESSABLE_ENTITY", description: gateway.message }]
    return {
      status: gateway.psp?.status === 422 || expired ? 422 : 400,
      title: "Error received from paypal",
      detail: gateway.message,
      meta: {
        name: body?.name ?? null,
        message: body?.message ?? null,
        details,
        debug_id: body?.debug_id ?? null,
      },
    }
  }
  return {
    status: 400,
    title: "Payment gateway processing failed",
    detail: typeof body?.message === "string" ? body.message : gateway.message,
    meta: {
      error: body ?? { code: gateway.psp?.code ?? null, message: gateway.message },
      explanation: gateway.message,
    },
  }
}

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(withoutSecrets)
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => !/secret|api_key|authorization/i.test(key))
        .map(([key, v]) => [key, withoutSecrets(v)])
    )
  }
  return value
}
