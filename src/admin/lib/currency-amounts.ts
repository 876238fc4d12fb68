/**
 * Money for the admin widget: the transactions API speaks integer MINOR units (Stripe's convention, the same as
 * `src/utils/money.ts` on the server), a person types MAJOR units. Everything here is integer/string arithmetic on
 * decimal strings and `bigint`: no floating-point maths, so "0.29" is 29 cents and "18.5" KWD is 18500 fils.
 *
 * The currency classes come from `src/utils/currency-classes.ts`, the same table as the server's `utils/money.ts`
 * (which the admin bundle cannot import: it needs `@medusajs/framework`).
 * Stripe only charges three-decimal currencies in steps of 10 minor units and ISK in whole króna (100), so the form
 * refuses amounts that are not a multiple of that step instead of letting the server round them.
 */

import { exponentOf, THREE_DECIMAL, WHOLE_UNITS_ONLY } from "../../utils/currency-classes"

const MAX_MINOR = BigInt(Number.MAX_SAFE_INTEGER)

function code(currency: string): string {
  return (currency ?? "").trim().toUpperCase()
}

/** Decimal places of the currency's minor unit: 0 (JPY…), 3 (KWD…) or 2. */
export function currencyExponent(currency: string): 0 | 2 | 3 {
  return exponentOf(code(currency))
}

/** The smallest amount, in minor units, that the PSP can charge in this currency (1, 10 for KWD…, 100 for ISK). */
export function chargeableStep(currency: string): number {
  const c = code(currency)
  if (THREE_DECIMAL.has(c)) {
    return 10
  }
  if (WHOLE_UNITS_ONLY.has(c)) {
    return 100
  }
  return 1
}

/** Minor units -> the plain major-unit decimal string a form field shows: 7000 USD -> "70.00", 9000 JPY -> "9000". */
export function minorToMajorString(minor: number | bigint, currency: string): string {
  const exponent = currencyExponent(currency)
  const value = BigInt(minor)
  const negative = value < 0n
  const digits = (negative ? -value : value).toString().padStart(exponent + 1, "0")
  const whole = digits.slice(0, digits.length - exponent)
  const fraction = digits.slice(digits.length - exponent)
  return `${negative ? "-" : ""}${whole}${exponent ? `.${fraction}` : ""}`
}

export type ParsedAmount = { ok: true; minor: number } | { ok: false; error: string }

/**
 * What a person typed in MAJOR units -> integer minor units. Accepts "12", "12.5", "12.50", ".5" and surrounding
 * spaces; refuses empty input, signs, letters, thousands separators and a decimal comma (ambiguous: "1,500"), more
 * decimals than the currency has, zero (unless `allowZero`), amounts that are not a multiple of the chargeable step,
 * and anything above `max` (minor units) or above the largest safe integer.
 */
export function parseMajorAmount(
  input: string,
  currency: string,
  options: { max?: number; allowZero?: boolean } = {}
): ParsedAmount {
  const c = code(currency)
  const exponent = currencyExponent(c)
  const text = (input ?? "").trim()
  if (!text) {
    return { ok: false, error: "Enter an amount." }
  }
  if (text.includes(",")) {
    return { ok: false, error: "Use a dot for decimals and no thousands separators, e.g. 1500.50." }
  }
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text)
  if (!match || (!match[1] && !match[2])) {
    return { ok: false, error: "Enter a positive number, e.g. 25.00." }
  }
  const whole = match[1] || "0"
  const fraction = match[2] ?? ""
  if (fraction.length > exponent) {
    return {
      ok: false,
      error:
        exponent === 0 ? `${c} has no decimals: enter a whole amount.` : `${c} has at most ${exponent} decimal places.`,
    }
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, "0"))
  if (minor > MAX_MINOR) {
    return { ok: false, error: "The amount is too large." }
  }
  if (minor === 0n && !options.allowZero) {
    return { ok: false, error: "The amount must be greater than zero." }
  }
  const step = BigInt(chargeableStep(c))
  if (minor % step !== 0n) {
    return {
      ok: false,
      error: `${c} can only be charged in steps of ${minorToMajorString(step, c)}.`,
    }
  }
  if (options.max !== undefined && minor > BigInt(options.max)) {
    return { ok: false, error: `The amount cannot exceed ${minorToMajorString(options.max, c)} ${c}.` }
  }
  return { ok: true, minor: Number(minor) }
}

/** Expands a JS number's shortest decimal representation ("1e-7", "1.5e+21") into a plain decimal string. */
function plainDecimal(value: number): string {
  const text = String(value)
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text)
  if (!match) {
    return text
  }
  const [, sign, intPart, fracPart = "", expText] = match
  const exp = Number(expText)
  const digits = intPart + fracPart
  const point = intPart.length + exp
  if (point <= 0) {
    return `${sign}0.${"0".repeat(-point)}${digits}`
  }
  if (point >= digits.length) {
    return `${sign}${digits}${"0".repeat(point - digits.length)}`
  }
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
}

/**
 * A Medusa MAJOR-unit value as the API serialises it (a number such as 18.5, or a decimal string) -> integer minor
 * units, rounded half-up on the decimal string (Medusa totals can carry more decimals than the currency has).
 * Returns null for negative, non-numeric or unsafe values.
 */
export function majorValueToMinor(value: number | string | null | undefined, currency: string): number | null {
  if (value === null || value === undefined) {
    return null
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    return null
  }
  const text = (typeof value === "number" ? plainDecimal(value) : value).trim()
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text)
  if (!match) {
    return null
  }
  const exponent = currencyExponent(currency)
  const fraction = match[2] ?? ""
  let minor = BigInt(match[1] + fraction.slice(0, exponent).padEnd(exponent, "0"))
  const rest = fraction.slice(exponent)
  if (rest && rest[0] >= "5") {
    minor += 1n
  }
  return minor > MAX_MINOR ? null : Number(minor)
}

/** Sum of minor-unit integers (bigint internally, so no precision is lost before the final safe-integer check). */
export function sumMinor(values: ReadonlyArray<number>): number {
  const total = values.reduce((acc, v) => acc + BigInt(v), 0n)
  if (total > MAX_MINOR || total < -MAX_MINOR) {
    throw new RangeError("The sum of the amounts is not a safe integer")
  }
  return Number(total)
}

/**
 * Minor units -> a display string with the currency ("$70.00", "¥9,000", "KWD 18.500"), en-US. Intl receives the
 * exact decimal string (browsers that predate string support convert it to a number, which is exact for any amount
 * below 2^53 minor units at these precisions). Unknown currency codes fall back to "12.34 XYZ".
 */
export function formatMinorAmount(minor: number, currency: string): string {
  const c = code(currency)
  const exponent = currencyExponent(c)
  const decimal = minorToMajorString(minor, c)
  try {
    const formatter = new Intl.NumberFormat("en-US", {
      style: "currency",
      currency: c,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    })
    return (formatter.format as unknown as (value: string) => string).call(formatter, decimal)
  } catch {
    return `${decimal} ${c}`
  }
}
