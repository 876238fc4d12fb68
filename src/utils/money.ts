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
 * - MONEY IS NEVER ROUNDED. A conversion is exact or refused: an amount with
 *   more decimals than the currency has, or one that the PSP cannot carry, is
 *   refused with a `MedusaError` (INVALID_DATA, which Medusa's error handler
 *   answers with a 400). The message names the nearest amounts that would be
 *   accepted, below and above, so the caller can retry with one of them.
 *
 * What each PSP carries (`minorStep` in `./currency-classes`):
 * - zero-decimal (exponent 0): BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND
 *   VUV XAF XOF XPF.
 * - three-decimal (exponent 3): BHD IQD JOD KWD OMR TND. Stripe only takes
 *   multiples of 10 minor units (the last digit must be 0): KWD 12.345 is
 *   refused, KWD 12.340 and KWD 12.350 are not. PayPal does not support them
 *   at all: converting one for PayPal throws, naming the currency. (IQD is
 *   3-decimal per ISO 4217 and is treated like the others.)
 * - ISK: Stripe keeps ISK two-decimal in the API but only accepts multiples of
 *   100 (whole króna). PayPal is given whole units as well.
 * - HUF, TWD: two-decimal for charges and refunds at Stripe; whole units only
 *   at PayPal (as JPY): HUF 1000.50 is refused for PayPal, accepted for Stripe.
 * - everything else: exponent 2, any whole number of minor units.
 * Sources: Stripe "Supported currencies" (special cases); PayPal REST API
 * reference "Currency codes" ("does not support decimals").
 *
 * `toMinorUnits` applies a PSP's rules only when it is given the gateway
 * (`{ gateway: "stripe" | "paypal" }`); without one it only refuses more
 * decimals than the currency has, which is what reading Medusa's own rows
 * needs. Every amount about to be sent to a PSP must name the gateway, or be
 * checked first with `validMinorAmount` / `assertValidMinorAmount`.
 *
 * PayPal (decimal strings in major units): HUF, JPY, TWD, the zero-decimal
 * currencies and ISK have no decimals ("1000"); everything else has exactly 2
 * ("50.00"). Amounts PayPal reports are read exactly, without PSP rules.
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
import { exponentOf, minorStep, type PspGateway, THREE_DECIMAL, WHOLE_UNITS_ONLY } from "./currency-classes"

export type { PspGateway } from "./currency-classes"

/** The bignumber.js instance type used by Medusa's MathBN. */
type Decimal = ReturnType<typeof MathBN.convert>

/** Currencies PayPal represents without decimals (besides the zero-decimal ones). */
const PAYPAL_ZERO_DECIMAL = new Set(["HUF", "JPY", "TWD"])

const GATEWAY_LABEL: Record<PspGateway, string> = { stripe: "Stripe", paypal: "PayPal" }

/** Options of `toMinorUnits`. */
export interface MinorUnitsOptions {
  /**
   * The PSP the amount is for. Its rules then apply too (Stripe: three-decimal currencies in steps of 10 minor units,
   * ISK in whole króna; PayPal: HUF/JPY/TWD/ISK in whole units, no three-decimal currency). Without it, only the
   * currency's own precision is enforced.
   */
  gateway?: PspGateway
}

/** Answer of `validMinorAmount`. */
export type MinorAmountCheck =
  | { ok: true; minor: number; step: number }
  | {
      ok: false
      reason: "not_carried"
      /** The step, in minor units, in which the gateway takes the currency. */
      step: number
      /** The nearest valid amount below, in minor units (may be 0). */
      below: number
      /** The nearest valid amount above, in minor units; null when it would exceed the largest safe integer. */
      above: number | null
      /** What happened, the nearest valid amounts, what to do: ready to be the detail of a 400. */
      message: string
    }
  | { ok: false; reason: "unsupported_currency"; message: string }

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

function normalizeGateway(gateway: unknown): PspGateway | undefined {
  if (gateway === undefined || gateway === null) {
    return undefined
  }
  if (gateway !== "stripe" && gateway !== "paypal") {
    throw invalid(`Unknown payment gateway ${describe(gateway)}: expected "stripe" or "paypal"`)
  }
  return gateway
}

function unsupportedAtPayPal(code: string): string {
  return `PayPal does not support the three-decimal currency ${code}, so nothing was sent to PayPal: offer another payment provider (Stripe supports ${code}) in regions that charge in ${code}.`
}

/** The step (minor units) of `gateway` for `code`; throws for a currency the gateway does not carry. */
function stepOrThrow(code: string, gateway: PspGateway | undefined): number {
  const step = minorStep(code, gateway)
  if (step === null) {
    throw invalid(unsupportedAtPayPal(code))
  }
  return step
}

function payPalDecimals(code: string): 0 | 2 {
  if (THREE_DECIMAL.has(code)) {
    throw invalid(unsupportedAtPayPal(code))
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
 * An exact major-unit decimal with the currency, en-US ("KWD 12.345", "$12.3456", "HUF 1,001"), showing at least
 * `minDigits` decimals and every decimal the value has. Intl gets the exact decimal string, never a float.
 */
function formatDecimal(major: Decimal, code: string, minDigits: number): string {
  const digits = Math.max(minDigits, major.decimalPlaces() ?? 0)
  const text = major.toFixed(digits)
  if (digits > 20) {
    return `${code} ${text}`
  }
  try {
    const formatter = new Intl.NumberFormat("en-US", {
      style: "currency",
      currency: code,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })
    // Intl.NumberFormat (Node >= 19) formats decimal strings exactly; the ES2021 typings only declare number | bigint.
    return (formatter.format as unknown as (value: string) => string).call(formatter, text)
  } catch {
    return `${code} ${text}`
  }
}

/** Decimals shown for amounts in steps of `step` minor units: whole units show none, others the currency's exponent. */
function stepDigits(code: string, step: number): number {
  const exponent = exponentOf(code)
  return step >= 10 ** exponent ? 0 : exponent
}

/** Why an amount that is not a multiple of `step` minor units cannot be taken (a clause, no final period). */
function stepReason(code: string, step: number, gateway: PspGateway | undefined): string {
  const exponent = exponentOf(code)
  if (gateway === undefined || step === 1) {
    return exponent === 0 ? `${code} has no decimals` : `${code} has ${exponent} decimal places`
  }
  if (step === 10 ** exponent) {
    return `it takes ${code} only in whole units, without decimals`
  }
  const stepText = formatDecimal(MathBN.convert(step).shiftedBy(-exponent), code, exponent)
  return THREE_DECIMAL.has(code)
    ? `it takes ${code} only in steps of ${stepText} (the last of its three decimals must be 0)`
    : `it takes ${code} only in steps of ${stepText}`
}

/**
 * The refusal of an amount (`minorExact`: the requested amount in minor units, possibly fractional) that is not a
 * multiple of `step`: what happened, the nearest valid amounts below and above, what to do.
 */
function refusal(
  minorExact: Decimal,
  code: string,
  step: number,
  gateway: PspGateway | undefined
): { below: number; above: number | null; message: string } {
  const exponent = exponentOf(code)
  const below = minorExact.dividedToIntegerBy(step).multipliedBy(step)
  const aboveDecimal = below.plus(step)
  const above = aboveDecimal.isGreaterThan(Number.MAX_SAFE_INTEGER) ? null : aboveDecimal
  const digits = stepDigits(code, step)
  const show = (minor: Decimal) => formatDecimal(minor.shiftedBy(-exponent), code, digits)
  const requested = formatDecimal(minorExact.shiftedBy(-exponent), code, exponent)
  const use = above
    ? `${show(below)} or ${show(above)} instead (${below.toFixed()} or ${above.toFixed()} in minor units)`
    : `${show(below)} instead (${below.toFixed()} in minor units)`
  const reason = stepReason(code, step, gateway)
  const message = gateway
    ? `${GATEWAY_LABEL[gateway]} cannot carry ${requested}: ${reason}. Money is never rounded, so nothing was sent to ${GATEWAY_LABEL[gateway]}; use ${use}.`
    : `${requested} is not an exact amount of ${code}: ${reason}. Money is never rounded, so nothing was converted; use ${use}.`
  return { below: below.toNumber(), above: above ? above.toNumber() : null, message }
}

/**
 * Number of decimal places of Stripe's minor unit for `currency`
 * (case-insensitive ISO 4217 code): 0 (JPY…), 3 (KWD…) or 2.
 */
export function currencyExponent(currency: string): 0 | 2 | 3 {
  return exponentOf(normalizeCurrency(currency))
}

/**
 * The step, in minor units, in which `gateway` takes `currency` (1, 10 for KWD… at Stripe, 100 for ISK, and for
 * HUF/TWD at PayPal), or null when the gateway does not carry the currency (three-decimal currencies at PayPal).
 * Without a gateway: 1.
 */
export function chargeableStep(currency: string, gateway?: PspGateway): number | null {
  return minorStep(normalizeCurrency(currency), normalizeGateway(gateway))
}

/**
 * Can `gateway` carry `minor` (Stripe-convention minor units) of `currency`? Pure and cheap: call it before anything
 * moves. Returns `{ ok: true }`, or `{ ok: false }` with the nearest valid amounts below and above and a message that
 * can be the detail of a 400. Throws MedusaError INVALID_DATA only for a malformed currency, gateway or minor amount
 * (not a non-negative safe integer).
 */
export function validMinorAmount(minor: number | string, currency: string, gateway: PspGateway): MinorAmountCheck {
  const code = normalizeCurrency(currency)
  const psp = normalizeGateway(gateway)
  if (!psp) {
    throw invalid(`Unknown payment gateway ${describe(gateway)}: expected "stripe" or "paypal"`)
  }
  const value = parseMinor(minor, code)
  const step = minorStep(code, psp)
  if (step === null) {
    return { ok: false, reason: "unsupported_currency", message: unsupportedAtPayPal(code) }
  }
  if (value.modulo(step).isZero()) {
    return { ok: true, minor: value.toNumber(), step }
  }
  return { ok: false, reason: "not_carried", step, ...refusal(value, code, step, psp) }
}

/**
 * `validMinorAmount`, throwing its message as a MedusaError INVALID_DATA (a 400) when the gateway cannot carry the
 * amount. Returns the amount as a number.
 */
export function assertValidMinorAmount(minor: number | string, currency: string, gateway: PspGateway): number {
  const check = validMinorAmount(minor, currency, gateway)
  if (!check.ok) {
    throw invalid(check.message)
  }
  return check.minor
}

/**
 * Medusa major-unit amount -> Stripe integer minor units, exactly. Refused (MedusaError INVALID_DATA, naming the
 * nearest valid amounts) when the amount has more decimals than the currency, or, given `options.gateway`, when that
 * PSP cannot carry it. Never rounds. Also throws for negative, NaN, non-finite or unsafe values, and for a
 * three-decimal currency with `gateway: "paypal"`.
 */
export function toMinorUnits(amount: BigNumberInput, currency: string, options: MinorUnitsOptions = {}): number {
  const code = normalizeCurrency(currency)
  const gateway = normalizeGateway(options?.gateway)
  const step = stepOrThrow(code, gateway)
  const major = toDecimal(amount, code)
  const minor = major.shiftedBy(exponentOf(code))
  assertSafeMinor(minor, amount, code)
  if (!minor.isInteger() || !minor.modulo(step).isZero()) {
    throw invalid(refusal(minor, code, step, gateway).message)
  }
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
 * HUF/JPY/TWD), exactly. Refuses what PayPal cannot carry (HUF 1000.50,
 * USD 2.675, any three-decimal currency) instead of rounding it.
 */
export function toPayPalValue(amount: BigNumberInput, currency: string): string {
  const code = normalizeCurrency(currency)
  const decimals = payPalDecimals(code)
  const minor = toMinorUnits(amount, code, { gateway: "paypal" })
  return MathBN.convert(minor).shiftedBy(-exponentOf(code)).toFixed(decimals)
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

/**
 * Stripe-convention minor units -> PayPal `value` string, exactly. Refuses an
 * amount PayPal cannot carry (100050 HUF = HUF 1000.50) with the nearest
 * valid amounts, and any three-decimal currency.
 */
export function payPalValueFromMinor(minor: number, currency: string): string {
  const code = normalizeCurrency(currency)
  const decimals = payPalDecimals(code)
  const value = assertValidMinorAmount(minor, code, "paypal")
  return MathBN.convert(value).shiftedBy(-exponentOf(code)).toFixed(decimals)
}

/** PayPal `value` string -> Stripe-convention minor units (exact; what PayPal reports is read as it is). */
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
const FORMATTERS = new Map<string, Intl.NumberFormat>()

/** One `Intl.NumberFormat` per currency and digits: building one costs far more than formatting with it. */
function currencyFormatter(code: string, digits: number): Intl.NumberFormat {
  const key = `${code}:${digits}`
  let formatter = FORMATTERS.get(key)
  if (!formatter) {
    formatter = new Intl.NumberFormat("en-US", {
      style: "currency",
      currency: code,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })
    FORMATTERS.set(key, formatter)
  }
  return formatter
}

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
  const formatter = currencyFormatter(code, digits)
  // Intl.NumberFormat (Node >= 19) formats decimal strings exactly; the ES2021
  // typings only declare number | bigint. `digits` never drops a non-zero digit.
  const format = formatter.format as unknown as (value: string) => string
  return format.call(formatter, major.toFixed(digits))
}
