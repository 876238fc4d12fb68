import { unprocessable, invalidRequest } from "./errors"

/** Currencies PayPal handles without decimals. */
const ZERO_DECIMAL = new Set(["JPY", "HUF", "TWD"])

export interface MoneyJson {
  currency_code: string
  value: string
}

export function decimalsOf(currency: string): number {
  return ZERO_DECIMAL.has(currency.toUpperCase()) ? 0 : 2
}

/** An amount in minor units (cents; yen for JPY) as PayPal writes it: "50.00", "5000" for JPY. */
export function formatAmount(minor: number, currency: string): string {
  const decimals = decimalsOf(currency)
  if (decimals === 0) {
    return String(minor)
  }
  const sign = minor < 0 ? "-" : ""
  const abs = Math.abs(minor)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`
}

export function money(minor: number, currency: string): MoneyJson {
  return { currency_code: currency, value: formatAmount(minor, currency) }
}

/**
 * Reads a PayPal money object (`{currency_code, value}`) into minor units, answering as PayPal does for malformed
 * values: 400 for syntax, 422 DECIMAL_PRECISION / DECIMALS_NOT_SUPPORTED for the wrong number of decimals.
 */
export function parseMoney(raw: unknown, field: string): { currency: string; minor: number } {
  if (!raw || typeof raw !== "object") {
    throw invalidRequest("MISSING_REQUIRED_PARAMETER", "A required field / parameter is missing.", field)
  }
  const { currency_code: currency, value } = raw as Record<string, unknown>
  if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) {
    throw invalidRequest(
      "INVALID_PARAMETER_SYNTAX",
      "The value of a field does not conform to the expected format.",
      `${field}/currency_code`
    )
  }
  if (typeof value !== "string" || !/^\d{1,10}(\.\d+)?$/.test(value)) {
    throw invalidRequest(
      "INVALID_PARAMETER_SYNTAX",
      "The value of a field does not conform to the expected format.",
      `${field}/value`
    )
  }
  const [whole, fraction = ""] = value.split(".")
  const decimals = decimalsOf(currency)
  if (decimals === 0 && fraction.length > 0) {
    throw unprocessable(
      "DECIMALS_NOT_SUPPORTED",
      `Currency code ${currency} does not support decimals.`,
      `${field}/value`
    )
  }
  if (fraction.length > decimals) {
    throw unprocessable(
      "DECIMAL_PRECISION",
      "If the currency supports decimals, only two decimal place precision is supported.",
      `${field}/value`
    )
  }
  return { currency, minor: Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, "0") || "0") }
}
