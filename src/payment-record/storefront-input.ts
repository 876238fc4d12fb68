import { MedusaError } from "@medusajs/framework/utils"
import { CUSTOM_REFERENCE_MAX_LENGTH } from "../utils/psp-limits"

/**
 * What a storefront may send in a payment session's `data` (`POST /store/payment-collections/:id/payment-sessions`).
 * Medusa merges that data into the session, so it is untrusted input: the providers read only these keys, each
 * validated, and ignore everything else. None of them can decide how much is captured or refunded, whether the PSP is
 * called, or whether a payment is merchant-initiated.
 */
export const STOREFRONT_KEYS = [
  "custom_reference",
  "payment_method",
  "setup_future_usage",
  "save_payment_method",
  "off_session_grant",
] as const

export interface StorefrontInput {
  /** The merchant's own reference for the payment (Elastic Path `custom_reference`). */
  custom_reference: string | null
  /** A saved payment method; the provider checks that it belongs to the shopper's own account holder. */
  payment_method: string | null
  /** Customer-initiated: keep the method for later payments (needs a logged-in customer's account holder). */
  save_payment_method: boolean
  /**
   * A one-time grant for a merchant-initiated (off-session) payment, created by server-side code
   * (`grantOffSessionPayment`); without a live grant a payment is always customer-initiated.
   */
  off_session_grant: string | null
}

/** Printable, no control characters: what PSP metadata and Elastic Path's reference accept. */
const REFERENCE = new RegExp(`^[\\x20-\\x7E]{1,${CUSTOM_REFERENCE_MAX_LENGTH}}$`)
const PAYMENT_METHOD = /^[A-Za-z0-9_-]{3,255}$/
const GRANT = /^mit_[A-Za-z0-9_-]{16,64}$/

function invalid(message: string): MedusaError {
  return new MedusaError(MedusaError.Types.INVALID_DATA, message)
}

/** Reads the storefront's session data: only the keys above, each validated; a bad value is refused with a 400. */
export function parseStorefrontInput(data: Record<string, unknown> | null | undefined): StorefrontInput {
  const input = data ?? {}
  const text = (key: string, pattern: RegExp, what: string): string | null => {
    const value = input[key]
    if (value === undefined || value === null || value === "") {
      return null
    }
    if (typeof value !== "string" || !pattern.test(value)) {
      throw invalid(`Payment session data: ${key} must be ${what}.`)
    }
    return value
  }
  const setup = input.setup_future_usage
  if (setup !== undefined && setup !== null && setup !== "off_session" && setup !== "on_session") {
    throw invalid(`Payment session data: setup_future_usage must be "off_session" or "on_session".`)
  }
  const save = input.save_payment_method
  if (save !== undefined && typeof save !== "boolean") {
    throw invalid("Payment session data: save_payment_method must be true or false.")
  }
  return {
    custom_reference: text(
      "custom_reference",
      REFERENCE,
      `1 to ${CUSTOM_REFERENCE_MAX_LENGTH} printable ASCII characters (PayPal's invoice_id limit, with room for the suffix of later captures)`
    ),
    payment_method: text("payment_method", PAYMENT_METHOD, "the id of a saved payment method (pm_…)"),
    save_payment_method: save === true || setup === "off_session",
    off_session_grant: text("off_session_grant", GRANT, "a grant created by the store's server (mit_…)"),
  }
}
