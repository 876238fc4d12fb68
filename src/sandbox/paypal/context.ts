import { invalidRequest } from "./errors"
import type { SandboxContext } from "../core/psp-fake"
import type { PayPalEvents } from "./events"
import type { PayPalRenderer } from "./objects"
import type { PayPalState } from "./state"

/** What the PayPal fake's route modules share. */
export interface PayPalFakeContext {
  sandbox: SandboxContext
  state: PayPalState
  render: PayPalRenderer
  events: PayPalEvents
  /** Sandbox-clock milliseconds. */
  now(): number
}

export const DAY_MS = 24 * 3600 * 1000

/** `Prefer: return=representation` asks for the full resource; PayPal's default is `return=minimal`. */
export function wantsRepresentation(req: { headers: Record<string, string | string[] | undefined> }): boolean {
  const value = req.headers.prefer
  const text = Array.isArray(value) ? value.join(",") : (value ?? "")
  return /return=representation/i.test(text)
}

/**
 * The `maxLength` of the string fields the sandbox reads, from PayPal's published OpenAPI specifications
 * (paypal/paypal-rest-api-specifications: checkout_orders_v2 `purchase_unit_request`, payments_payment_v2
 * `capture_request` and `refund_request`). PayPal refuses a longer value with 400 INVALID_STRING_MAX_LENGTH.
 */
export const PAYPAL_MAX_LENGTH: Record<string, number> = {
  reference_id: 256,
  description: 127,
  custom_id: 127,
  invoice_id: 127,
  soft_descriptor: 22,
  note_to_payer: 255,
}

/** Optional string field of a request body, refused as PayPal does when it is longer than the spec allows. */
export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key]
  if (typeof value !== "string") {
    return undefined
  }
  const max = PAYPAL_MAX_LENGTH[key]
  if (max !== undefined && value.length > max) {
    throw invalidRequest("INVALID_STRING_MAX_LENGTH", `The value of a field is too long (${key}: at most ${max}).`, key)
  }
  return value
}
