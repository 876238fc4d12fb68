import type { GatewayName } from "./types"

export type GatewayErrorKind =
  /** The card or account was declined; the buyer should use another method. */
  | "declined"
  /** The authorization expired before capture. */
  | "authorization_expired"
  /** The PSP object is in a state that does not allow the operation (captured, canceled, …). */
  | "invalid_state"
  /** The amount is not allowed (over-capture, over-refund, below minimum). */
  | "invalid_amount"
  /** A dispute is open on the payment. */
  | "disputed"
  /** The PSP rejected the credentials. */
  | "authentication"
  /** Other 4xx: the request itself is wrong. */
  | "invalid_request"
  /** Network error, timeout or 5xx after the last retry: the PSP may or may not have acted. */
  | "unknown_outcome"

/**
 * A PSP failure, normalised: `kind` says what happened, `message` says it in a sentence for the merchant, and
 * `psp` keeps the PSP's own error (code, status, body) for the admin API's `meta`.
 */
export class GatewayError extends Error {
  constructor(
    readonly gateway: GatewayName,
    readonly kind: GatewayErrorKind,
    message: string,
    readonly psp: { status: number | null; code: string | null; body: unknown } = {
      status: null,
      code: null,
      body: null,
    }
  ) {
    super(message)
    this.name = "GatewayError"
  }
}

export function isGatewayError(e: unknown): e is GatewayError {
  return e instanceof GatewayError
}
