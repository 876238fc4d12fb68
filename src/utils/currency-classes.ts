/**
 * The currency classes behind every amount conversion, in one place for the server (`utils/money.ts`) and the admin
 * widget (`admin/lib/currency-amounts.ts`). No imports, so the admin bundle can take it without `@medusajs/framework`.
 */

/** Currencies whose minor unit is the major unit (Stripe's zero-decimal list). */
export const ZERO_DECIMAL = new Set([
  "BIF",
  "CLP",
  "DJF",
  "GNF",
  "JPY",
  "KMF",
  "KRW",
  "MGA",
  "PYG",
  "RWF",
  "UGX",
  "VND",
  "VUV",
  "XAF",
  "XOF",
  "XPF",
])

/** Three-decimal currencies: Stripe charges them in steps of 10 minor units. */
export const THREE_DECIMAL = new Set(["BHD", "IQD", "JOD", "KWD", "OMR", "TND"])

/** Two-decimal at Stripe but only whole units are chargeable (amount % 100 === 0). */
export const WHOLE_UNITS_ONLY = new Set(["ISK"])

/** Decimal places of the currency's minor unit (upper-case ISO code): 0 (JPY…), 3 (KWD…) or 2. */
export function exponentOf(code: string): 0 | 2 | 3 {
  if (ZERO_DECIMAL.has(code)) {
    return 0
  }
  if (THREE_DECIMAL.has(code)) {
    return 3
  }
  return 2
}
