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

/** The payment service providers whose amount rules differ (same values as `GatewayName` in `src/gateways/types.ts`). */
export type PspGateway = "stripe" | "paypal"

/**
 * Currencies PayPal takes only in whole units: "This currency does not support decimals. Decimal amounts cause an
 * error." (PayPal REST API reference, "Currency codes", https://developer.paypal.com/api/rest/reference/currency-codes/).
 * Stripe charges HUF and TWD with two decimals.
 */
export const PAYPAL_WHOLE_UNITS = new Set(["HUF", "JPY", "TWD"])

/**
 * The step, in the currency's minor units, in which an amount can be charged (upper-case ISO code):
 * - no gateway: 1, the currency's own minor unit;
 * - Stripe: 10 for the three-decimal currencies (the last minor digit must be 0), 100 for ISK (whole króna), else 1
 *   (Stripe's "Supported currencies", special cases);
 * - PayPal: whole units for HUF, JPY, TWD, the zero-decimal currencies and ISK (100 for a two-decimal currency), else 1;
 *   `null` for the three-decimal currencies, which PayPal does not carry at all.
 */
export function minorStep(code: string, gateway?: PspGateway): number | null {
  const exponent = exponentOf(code)
  if (gateway === "stripe") {
    if (THREE_DECIMAL.has(code)) {
      return 10
    }
    return WHOLE_UNITS_ONLY.has(code) ? 100 : 1
  }
  if (gateway === "paypal") {
    if (THREE_DECIMAL.has(code)) {
      return null
    }
    return PAYPAL_WHOLE_UNITS.has(code) || WHOLE_UNITS_ONLY.has(code) ? 10 ** exponent : 1
  }
  return 1
}
