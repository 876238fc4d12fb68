/** Currency rules for amounts in the smallest unit, as Stripe applies them. */
import { invalidRequest } from "./errors"

export const ZERO_DECIMAL = new Set([
  "bif",
  "clp",
  "djf",
  "gnf",
  "jpy",
  "kmf",
  "krw",
  "mga",
  "pyg",
  "rwf",
  "ugx",
  "vnd",
  "vuv",
  "xaf",
  "xof",
  "xpf",
])

export const THREE_DECIMAL = new Set(["bhd", "iqd", "jod", "kwd", "omr", "tnd"])

export function decimalsOf(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2
}

/**
 * Rejects amounts Stripe rejects: non-positive ones, three-decimal amounts whose last digit is not 0, and ISK amounts
 * that are not whole króna (ISK is two-decimal in the API, but Stripe only accepts multiples of 100). Source: Stripe
 * docs, "Supported currencies", special cases (shared/reference/psp-and-medusa-facts-2.md).
 */
export function checkAmount(amount: number, currency: string, param = "amount"): void {
  if (!Number.isInteger(amount) || amount < 1) {
    throw invalidRequest("This value must be greater than or equal to 1.", { code: "parameter_invalid_integer", param })
  }
  if (THREE_DECIMAL.has(currency) && amount % 10 !== 0) {
    throw invalidRequest(
      `Invalid amount: ${amount}. For ${currency.toUpperCase()}, a three-decimal currency, the amount must end in 0 ` +
        "(card networks only settle to two decimals).",
      { code: "invalid_amount", param }
    )
  }
  if (currency === "isk" && amount % 100 !== 0) {
    throw invalidRequest(
      `Invalid amount: ${amount}. For ISK the amount must be divisible by 100 (whole króna): Stripe keeps ISK ` +
        "two-decimal in the API, but card networks settle it without decimals.",
      { code: "invalid_amount", param }
    )
  }
}

/** `12.34 usd`, `1234 jpy`, `1.230 kwd`, for messages. */
export function formatAmount(amount: number, currency: string): string {
  const decimals = decimalsOf(currency)
  return `${(amount / 10 ** decimals).toFixed(decimals)} ${currency}`
}
