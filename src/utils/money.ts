/**
 * Money conversion between Medusa and the PSPs (Stripe, PayPal).
 *
 * This is the ONLY place in the plugin that converts amounts. Rules:
 *
 * - Medusa amounts are BigNumber values in MAJOR units (`BigNumberInput`:
 *   number, string, bignumber.js instance, Medusa `BigNumber`, or a raw
 *   `{ value, precision }` object).
 * - "Minor units" in this module always means Stripe's integer amount for the
 *   currency (see `currencyExponent`). Every internal/ledger integer amount in
 *   the plugin uses the same convention.
 * - All arithmetic uses bignumber.js through Medusa's `MathBN` (Medusa exposes
 *   `MathBN`/`BigNumber`, not the bignumber.js constructor itself). Decimal
 *   shifts use `shiftedBy`, which is exact. No floating-point arithmetic.
 * - Rounding is ROUND_HALF_UP (away from zero at .5; amounts are non-negative)
 *   to the currency's smallest chargeable unit, with the rounding mode passed
 *   explicitly so a global `BigNumber.config()` elsewhere cannot change it.
 *
 * Currency classes (Stripe, https://stripe.com/docs/currencies):
 * - zero-decimal (exponent 0): BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND
 *   VUV XAF XOF XPF.
 * - three-decimal (exponent 3): BHD IQD JOD KWD OMR TND. Stripe requires the
 *   last minor digit to be 0 ("round to the nearest ten"), so amounts are
 *   rounded half-up to a multiple of 10 minor units, i.e. to 2 decimals of the
 *   major unit: 5.124 KWD -> 5120, 5.125 KWD -> 5130. (IQD is 3-decimal per
 *   ISO 4217 and is treated like the others.)
 * - ISK: Stripe keeps ISK two-decimal in the API but, since 2023, only accepts
 *   multiples of 100 (whole króna). Exponent 2, rounded half-up to whole króna:
 *   5.5 ISK -> 600.
 * - HUF, TWD: two-decimal for charges/refunds at Stripe (only manual payouts
 *   need whole units, which this module does not deal with). Exponent 2, no
 *   special rounding.
 * - everything else: exponent 2.
 *
 * PayPal (decimal strings in major units):
 * - HUF, JPY, TWD have no decimals at PayPal ("1000"). Currencies that are
 *   zero-decimal above (and ISK) are also rendered without decimals; PayPal
 *   does not support most of them, and will reject them itself.
 * - three-decimal currencies are not supported by PayPal: converting one
 *   throws a MedusaError (INVALID_DATA) naming the currency.
 * - everything else: exactly 2 decimals ("50.00").
 * - For HUF/TWD, a Stripe-minor amount with a fractional part (e.g. 100050
 *   HUF = 1000.50) is rounded half-up to whole units for PayPal ("1001").
 *
 * Display: `formatMoney` uses `Intl.NumberFormat("en-US", { style: "currency" })`
 * for deterministic output ("£600.00", "$200.00", "¥1,000", "KWD 5.120" — note
 * en-US puts a NO-BREAK SPACE U+00A0 between an ISO code and the number). The
 * number is passed to Intl as an exact decimal string, never a float.
 *
 * All conversions reject negative, NaN, non-finite and unsafe (> 2^53 - 1 minor
 * units) values with `MedusaError` (INVALID_DATA); refunds and captures are
 * expressed as positive amounts. Only `formatMoney` accepts negatives (display).
 */
import { BigNumber, MathBN, MedusaError } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import { exponentOf, THREE_DECIMAL, WHOLE_UNITS_ONLY } from "./currency-classes"

/** The bignumber.js instance type used by Medusa's MathBN. */
type Decimal = ReturnType<typeof MathBN.convert>

/** bignumber.js `BigNumber.ROUND_HALF_UP` (the constructor is not re-exported by Medusa). */
const ROUND_HALF_UP = 4 as const

/** Currencies PayPal represents without decimals. */
const PAYPAL_ZERO_DECIMAL = new Set(["HUF", "JPY", "TWD"])

function invalid(message: string): MedusaError {
  return new MedusaError(MedusaError.Types.INVALID_DATA, message)
}

function describe(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value)
  }
  if (value instanceof BigNumber) {
    return `BigNumber(${value.toString()})`
  }
  if (value !== null && typeof value === "object") {
    try {
      return JSON.stringify(value) ?? String(value)
    } catch {
      return String(value)
    }
  }
  return String(value)
}

function normalizeCurrency(currency: string): string {
  if (typeof currency !== "string" || !/^[A-Za-z]{3}$/.test(currency.trim())) {
    throw invalid(`Invalid currency code ${describe(currency)}: expected a 3-letter ISO 4217 code`)
  }
  return currency.trim().toUpperCase()
}

/** Decimal places (of the major unit) that are actually chargeable at Stripe. */
function chargeableDecimals(code: string): number {
  if (THREE_DECIMAL.has(code)) {
    return 2
  }
  if (WHOLE_UNITS_ONLY.has(code)) {
    return 0
  }
  return exponentOf(code)
}

function payPalDecimals(code: string): 0 | 2 {
  if (THREE_DECIMAL.has(code)) {
    throw invalid(
      `PayPal does not support the three-decimal currency ${code}, so nothing was sent to PayPal: offer another payment provider (Stripe supports ${code}) in regions that charge in ${code}.`
    )
  }
  if (PAYPAL_ZERO_DECIMAL.has(code) || exponentOf(code) === 0 || WHOLE_UNITS_ONLY.has(code)) {
    return 0
  }
  return 2
}

function isBigNumberJs(value: object): boolean {
  return (value as { _isBigNumber?: unknown })._isBigNumber === true
}

/** Converts any BigNumberInput to a bignumber.js value, without validating its range. */
function toDecimal(amount: unknown, code: string): Decimal {
  let result: Decimal | undefined
  if (typeof amount === "number" || typeof amount === "string") {
    result = MathBN.convert(amount)
  } else if (amount !== null && typeof amount === "object") {
    if (amount instanceof BigNumber) {
      const bn = amount.bigNumber
      result = bn ? MathBN.convert(bn) : MathBN.convert(amount.raw?.value ?? amount.numeric)
    } else if (isBigNumberJs(amount)) {
      result = MathBN.convert(amount as Decimal)
    } else if ("value" in amount) {
      const value = (amount as { value: unknown }).value
      if (typeof value === "string" || typeof value === "number") {
        result = MathBN.convert(value)
      }
    } else if ("bigNumber" in amount || "raw" in amount) {
      // IBigNumber from another copy of @medusajs/utils (instanceof fails).
      const like = amount as {
        bigNumber?: unknown
        raw?: { value?: unknown }
        numeric?: unknown
      }
      if (like.bigNumber && typeof like.bigNumber === "object" && isBigNumberJs(like.bigNumber)) {
        result = MathBN.convert(like.bigNumber as Decimal)
      } else if (typeof like.raw?.value === "string" || typeof like.raw?.value === "number") {
        result = MathBN.convert(like.raw.value)
      } else if (typeof like.numeric === "number") {
        result = MathBN.convert(like.numeric)
      }
    }
  }
  if (!result || result.isNaN()) {
    throw invalid(`Invalid amount ${describe(amount)} for ${code}: not a number`)
  }
  if (!result.isFinite()) {
    throw invalid(`Invalid amount ${describe(amount)} for ${code}: must be finite`)
  }
  if (result.isNegative() && !result.isZero()) {
    throw invalid(`Invalid amount ${describe(amount)} for ${code}: must not be negative`)
  }
  return result
}

function assertSafeMinor(minor: Decimal, original: unknown, code: string): void {
  if (minor.isGreaterThan(Number.MAX_SAFE_INTEGER)) {
    throw invalid(
      `Invalid amount ${describe(original)} for ${code}: exceeds the largest safe integer amount in minor units (${Number.MAX_SAFE_INTEGER})`
    )
  }
}

function parseMinor(minor: unknown, code: string): Decimal {
  let value: Decimal | undefined
  if (typeof minor === "number") {
    if (Number.isSafeInteger(minor) && minor >= 0) {
      value = MathBN.convert(minor === 0 ? 0 : minor)
    }
  } else if (typeof minor === "string" && /^\d+$/.test(minor)) {
    const parsed = MathBN.convert(minor)
    if (parsed.isLessThanOrEqualTo(Number.MAX_SAFE_INTEGER)) {
      value = parsed
    }
  }
  if (!value) {
    throw invalid(`Invalid minor-unit amount ${describe(minor)} for ${code}: expected a non-negative safe integer`)
  }
  return value
}

function toMedusaBigNumber(value: Decimal): BigNumber {
  return new BigNumber({
    value: value.toFixed(),
    precision: BigNumber.DEFAULT_PRECISION,
  })
}

/**
 * Number of decimal places of Stripe's minor unit for `currency`
 * (case-insensitive ISO 4217 code): 0 (JPY…), 3 (KWD…) or 2.
 */
export function currencyExponent(currency: string): 0 | 2 | 3 {
  return exponentOf(normalizeCurrency(currency))
}

/**
 * Medusa major-unit amount -> Stripe integer minor units, rounded half-up to
 * the smallest chargeable unit (nearest 10 for 3-decimal currencies, whole
 * króna for ISK). Throws MedusaError INVALID_DATA for negative, NaN,
 * non-finite or unsafe values.
 */
export function toMinorUnits(amount: BigNumberInput, currency: string): number {
  const code = normalizeCurrency(currency)
  const major = toDecimal(amount, code)
  const minor = major.decimalPlaces(chargeableDecimals(code), ROUND_HALF_UP).shiftedBy(exponentOf(code))
  assertSafeMinor(minor, amount, code)
  return minor.isZero() ? 0 : minor.toNumber()
}

/** Stripe integer minor units -> Medusa `BigNumber` in major units (exact). */
export function fromMinorUnits(minor: number | string, currency: string): BigNumber {
  const code = normalizeCurrency(currency)
  return toMedusaBigNumber(parseMinor(minor, code).shiftedBy(-exponentOf(code)))
}

/**
 * Stripe integer minor units -> major units as an exact decimal string ("12.34", "1000", "5.120" → "5.12"), for
 * Medusa workflow inputs, which accept a string wherever they take a BigNumberInput.
 */
export function majorUnitsString(minor: number | string, currency: string): string {
  const code = normalizeCurrency(currency)
  return parseMinor(minor, code).shiftedBy(-exponentOf(code)).toFixed()
}

/**
 * Stripe integer minor units -> major units as a JS number, for APIs that need
 * one. Throws if the decimal cannot be represented exactly as a number
 * (never the case for amounts with at most 15 significant digits).
 */
export function fromMinorUnitsNumeric(minor: number | string, currency: string): number {
  const code = normalizeCurrency(currency)
  const major = parseMinor(minor, code).shiftedBy(-exponentOf(code))
  const numeric = Number(major.toFixed())
  if (!MathBN.eq(numeric, major)) {
    throw invalid(
      `Minor-unit amount ${describe(minor)} for ${code} cannot be represented exactly as a JS number; use fromMinorUnits instead`
    )
  }
  return numeric
}

/**
 * Medusa major-unit amount -> PayPal `value` string ("50.00", "1000" for
 * HUF/JPY/TWD), rounded half-up. Throws for three-decimal currencies.
 */
export function toPayPalValue(amount: BigNumberInput, currency: string): string {
  const code = normalizeCurrency(currency)
  const decimals = payPalDecimals(code)
  const major = toDecimal(amount, code)
  const rounded = major.decimalPlaces(decimals, ROUND_HALF_UP)
  assertSafeMinor(rounded.shiftedBy(decimals), amount, code)
  return rounded.toFixed(decimals, ROUND_HALF_UP)
}

/**
 * PayPal `value` string -> Medusa `BigNumber` in major units (exact). Accepts
 * plain non-negative decimals with at most the number of decimals PayPal uses
 * for the currency; throws for three-decimal currencies.
 */
export function fromPayPalValue(value: string, currency: string): BigNumber {
  const code = normalizeCurrency(currency)
  const decimals = payPalDecimals(code)
  if (typeof value !== "string" || !/^\d+(\.\d+)?$/.test(value)) {
    throw invalid(
      `Invalid PayPal amount value ${describe(value)} for ${code}: expected a non-negative decimal string such as "10.00"`
    )
  }
  const fraction = value.split(".")[1] ?? ""
  if (fraction.length > decimals) {
    throw invalid(
      `Invalid PayPal amount value ${describe(value)} for ${code}: PayPal uses at most ${decimals} decimal place(s) for ${code}`
    )
  }
  const major = MathBN.convert(value)
  assertSafeMinor(major.shiftedBy(exponentOf(code)), value, code)
  return toMedusaBigNumber(major)
}

/** Stripe-convention minor units -> PayPal `value` string. */
export function payPalValueFromMinor(minor: number, currency: string): string {
  return toPayPalValue(fromMinorUnits(minor, currency), currency)
}

/** PayPal `value` string -> Stripe-convention minor units. */
export function minorFromPayPalValue(value: string, currency: string): number {
  return toMinorUnits(fromPayPalValue(value, currency), currency)
}

/**
 * Formats Stripe-convention minor units for display, deterministically with
 * the "en-US" locale: 60000 GBP -> "£600.00", 20000 USD -> "$200.00",
 * 1000 JPY -> "¥1,000", 5120 KWD -> "KWD 5.120" (U+00A0 after the code).
 * ISK amounts that are whole króna are shown without decimals. Negative
 * integers are allowed here (display only).
 */
export function formatMoney(minor: number, currency: string): string {
  const code = normalizeCurrency(currency)
  if (typeof minor !== "number" || !Number.isSafeInteger(minor)) {
    throw invalid(`Invalid minor-unit amount ${describe(minor)} for ${code}: expected a safe integer`)
  }
  const exponent = exponentOf(code)
  let digits: number = exponent
  if (WHOLE_UNITS_ONLY.has(code) && minor % 100 === 0) {
    digits = 0
  }
  const major = MathBN.convert(minor === 0 ? 0 : minor).shiftedBy(-exponent)
  const formatter = new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: code,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })
  // Intl.NumberFormat (Node >= 19) formats decimal strings exactly; the ES2021
  // typings only declare number | bigint.
  const format = formatter.format as unknown as (value: string) => string
  return format.call(formatter, major.toFixed(digits, ROUND_HALF_UP))
}
