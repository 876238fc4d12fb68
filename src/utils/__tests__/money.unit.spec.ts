import fc from "fast-check"
import { BigNumber, MathBN, MedusaError } from "@medusajs/framework/utils"
import {
  assertValidMinorAmount,
  chargeableStep,
  currencyExponent,
  formatMoney,
  fromMinorUnits,
  fromMinorUnitsNumeric,
  fromPayPalValue,
  majorUnitsString,
  minorFromPayPalValue,
  payPalValueFromMinor,
  type PspGateway,
  toMinorUnits,
  toPayPalValue,
  validMinorAmount,
} from "../money"

const NBSP = "\u00a0"

function caught(fn: () => unknown): unknown {
  try {
    fn()
  } catch (e) {
    return e
  }
  return undefined
}

function expectInvalid(fn: () => unknown, message: RegExp): void {
  const error = caught(fn)
  expect(error).toBeInstanceOf(MedusaError)
  expect((error as MedusaError).type).toBe(MedusaError.Types.INVALID_DATA)
  expect((error as MedusaError).message).toMatch(message)
}

/** The refusal's message, asserting it is a MedusaError INVALID_DATA (a 400). */
function refusalOf(fn: () => unknown): string {
  const error = caught(fn)
  expect(error).toBeInstanceOf(MedusaError)
  expect((error as MedusaError).type).toBe(MedusaError.Types.INVALID_DATA)
  return (error as MedusaError).message
}

/** The nearest valid amounts a refusal names, in minor units. */
function namedNeighbours(message: string): number[] {
  const match = /\((\d+)(?: or (\d+))? in minor units\)/.exec(message)
  expect(match).not.toBeNull()
  return [match![1], match![2]].filter((m): m is string => m !== undefined).map(Number)
}

const TWO_DECIMAL = ["USD", "EUR", "GBP", "CHF"]
const ZERO_DECIMAL = ["JPY", "KRW", "CLP", "VND"]
const THREE_DECIMAL = ["KWD", "BHD", "JOD", "OMR", "TND"]
const SPECIAL = ["ISK", "HUF", "TWD"]
const ALL = [...TWO_DECIMAL, ...ZERO_DECIMAL, ...THREE_DECIMAL, ...SPECIAL]
const GATEWAYS: (PspGateway | undefined)[] = [undefined, "stripe", "paypal"]

/** Every (currency, gateway) pair whose gateway carries the currency, with its step in minor units. */
const CARRIED = ALL.flatMap((currency) =>
  GATEWAYS.map((gateway) => ({
    currency,
    gateway,
    at: gateway ?? "no gateway",
    step: chargeableStep(currency, gateway),
  })).filter(
    (c): c is { currency: string; gateway: PspGateway | undefined; at: string; step: number } => c.step !== null
  )
)

const options = (gateway: PspGateway | undefined) => (gateway ? { gateway } : {})

/** Minor amounts that are a multiple of `step`, from 0 to the largest safe integer. */
const multipleOf = (step: number) => fc.oneof(fc.nat({ max: 10_000_000 }), fc.maxSafeNat()).map((n) => n - (n % step))

/** Minor amounts that are not a multiple of `step` (> 1). */
const notMultipleOf = (step: number) =>
  fc.oneof(fc.nat({ max: 10_000_000 }), fc.maxSafeNat()).filter((n) => n % step !== 0)

describe("currencyExponent", () => {
  it.each([
    ["USD", 2],
    ["EUR", 2],
    ["GBP", 2],
    ["HUF", 2],
    ["TWD", 2],
    ["ISK", 2],
    ["JPY", 0],
    ["KRW", 0],
    ["UGX", 0],
    ["XOF", 0],
    ["KWD", 3],
    ["BHD", 3],
    ["IQD", 3],
    ["JOD", 3],
    ["OMR", 3],
    ["TND", 3],
  ])("%s -> %i", (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent)
  })

  it("is case-insensitive", () => {
    expect(currencyExponent("jpy")).toBe(0)
    expect(currencyExponent("Kwd")).toBe(3)
    expect(currencyExponent("usd")).toBe(2)
  })

  it("rejects malformed codes", () => {
    expectInvalid(() => currencyExponent("US"), /Invalid currency code "US"/)
    expectInvalid(() => currencyExponent(""), /Invalid currency code/)
    expectInvalid(() => currencyExponent("US1"), /3-letter ISO 4217/)
    expectInvalid(() => currencyExponent(undefined as unknown as string), /Invalid currency code/)
  })
})

describe("chargeableStep: what each PSP carries, in minor units", () => {
  it.each([
    // currency, no gateway, Stripe, PayPal
    ["USD", 1, 1, 1],
    ["EUR", 1, 1, 1],
    ["JPY", 1, 1, 1],
    ["KRW", 1, 1, 1],
    ["KWD", 1, 10, null],
    ["BHD", 1, 10, null],
    ["JOD", 1, 10, null],
    ["OMR", 1, 10, null],
    ["TND", 1, 10, null],
    ["IQD", 1, 10, null],
    ["ISK", 1, 100, 100],
    ["HUF", 1, 1, 100],
    ["TWD", 1, 1, 100],
  ])("%s: %p without a gateway, %p at Stripe, %p at PayPal", (currency, none, stripe, paypal) => {
    expect(chargeableStep(currency)).toBe(none)
    expect(chargeableStep(currency, "stripe")).toBe(stripe)
    expect(chargeableStep(currency, "paypal")).toBe(paypal)
    expect(chargeableStep(currency.toLowerCase(), "stripe")).toBe(stripe)
  })

  it("refuses an unknown gateway", () => {
    expectInvalid(() => chargeableStep("USD", "adyen" as PspGateway), /Unknown payment gateway "adyen"/)
  })
})

describe("toMinorUnits: exact conversions", () => {
  it("converts two-decimal currencies", () => {
    expect(toMinorUnits(25, "usd")).toBe(2500)
    expect(toMinorUnits(19.99, "EUR")).toBe(1999)
    expect(toMinorUnits("600", "GBP")).toBe(60000)
    expect(toMinorUnits(0, "USD")).toBe(0)
    expect(toMinorUnits(0.01, "USD")).toBe(1)
  })

  it("reads JS numbers by their shortest decimal, without float artefacts", () => {
    // 1.005 * 100 === 100.49999999999999, 4.35 * 100 === 434.99999999999994
    expect(toMinorUnits(1.005, "KWD")).toBe(1005)
    expect(toMinorUnits(4.35, "USD")).toBe(435)
    expect(toMinorUnits(1.15, "EUR")).toBe(115)
    expect(toMinorUnits(2.675, "KWD")).toBe(2675)
    expect(toMinorUnits(0.29, "USD")).toBe(29)
  })

  it("converts zero-decimal currencies", () => {
    expect(toMinorUnits(1000, "JPY")).toBe(1000)
    expect(toMinorUnits("50000", "KRW")).toBe(50000)
    expect(toMinorUnits("50000.000", "KRW", { gateway: "stripe" })).toBe(50000)
    expect(toMinorUnits(9000, "jpy", { gateway: "paypal" })).toBe(9000)
  })

  it("converts three-decimal currencies", () => {
    expect(toMinorUnits(5.124, "KWD")).toBe(5124)
    expect(toMinorUnits(5.12, "KWD", { gateway: "stripe" })).toBe(5120)
    expect(toMinorUnits(18.5, "KWD", { gateway: "stripe" })).toBe(18500)
    expect(toMinorUnits(1, "BHD", { gateway: "stripe" })).toBe(1000)
    expect(toMinorUnits("12.34", "OMR", { gateway: "stripe" })).toBe(12340)
  })

  it("converts ISK in whole króna at either PSP", () => {
    expect(toMinorUnits(5, "ISK", { gateway: "stripe" })).toBe(500)
    expect(toMinorUnits("1000", "ISK", { gateway: "paypal" })).toBe(100000)
    expect(toMinorUnits(5.5, "ISK")).toBe(550)
  })

  it("keeps HUF and TWD two-decimal at Stripe and whole at PayPal", () => {
    expect(toMinorUnits("1000.50", "HUF", { gateway: "stripe" })).toBe(100050)
    expect(toMinorUnits(12.34, "TWD", { gateway: "stripe" })).toBe(1234)
    expect(toMinorUnits("1000", "HUF", { gateway: "paypal" })).toBe(100000)
    expect(toMinorUnits(250, "TWD", { gateway: "paypal" })).toBe(25000)
  })

  it("accepts raw BigNumber objects", () => {
    expect(toMinorUnits({ value: "25", precision: 20 }, "USD")).toBe(2500)
    expect(toMinorUnits({ value: "25.000000000000000000", precision: 20 }, "USD")).toBe(2500)
    expect(toMinorUnits({ value: 1000 }, "JPY")).toBe(1000)
    expect(toMinorUnits({ value: "5.130", precision: 20 }, "KWD", { gateway: "stripe" })).toBe(5130)
  })

  it("accepts Medusa BigNumber instances and bignumber.js values", () => {
    expect(toMinorUnits(new BigNumber(25), "USD")).toBe(2500)
    expect(toMinorUnits(new BigNumber("19.99"), "USD")).toBe(1999)
    expect(toMinorUnits(new BigNumber({ value: "2.67", precision: 20 }), "USD")).toBe(267)
    expect(toMinorUnits(MathBN.add("0.1", "0.2"), "USD")).toBe(30)
    expect(toMinorUnits(MathBN.mult(new BigNumber("3.33"), 3), "EUR")).toBe(999)
  })

  it("accepts IBigNumber-like objects from another copy of Medusa utils", () => {
    const like = {
      numeric: 12.5,
      raw: { value: "12.5", precision: 20 },
      bigNumber: undefined,
    }
    expect(toMinorUnits(like as never, "USD")).toBe(1250)
  })

  it("handles large amounts exactly", () => {
    expect(toMinorUnits("90071992547409.91", "USD")).toBe(Number.MAX_SAFE_INTEGER)
    expect(toMinorUnits("9007199254740991", "JPY")).toBe(Number.MAX_SAFE_INTEGER)
    expect(toMinorUnits("123456789012.34", "USD")).toBe(12345678901234)
    expect(toMinorUnits("1234567890123.45", "KWD", { gateway: "stripe" })).toBe(1234567890123450)
  })

  it("treats negative zero as zero", () => {
    expect(Object.is(toMinorUnits(-0, "USD"), 0)).toBe(true)
    expect(Object.is(toMinorUnits("-0", "JPY"), 0)).toBe(true)
  })
})

describe("toMinorUnits: money is refused, never rounded", () => {
  it("refuses more decimals than the currency has, naming the nearest amounts", () => {
    expect(refusalOf(() => toMinorUnits("12.345", "USD"))).toBe(
      "$12.345 is not an exact amount of USD: USD has 2 decimal places. Money is never rounded, so nothing was converted; use $12.34 or $12.35 instead (1234 or 1235 in minor units)."
    )
    expect(refusalOf(() => toMinorUnits(10.5, "JPY"))).toBe(
      "¥10.5 is not an exact amount of JPY: JPY has no decimals. Money is never rounded, so nothing was converted; use ¥10 or ¥11 instead (10 or 11 in minor units)."
    )
    expect(refusalOf(() => toMinorUnits("12.3456", "KWD"))).toMatch(
      `use KWD${NBSP}12.345 or KWD${NBSP}12.346 instead (12345 or 12346 in minor units)`
    )
    // A JS float artefact is an amount with 17 decimals: refused, not silently rounded to 0.30.
    expect(refusalOf(() => toMinorUnits(0.1 + 0.2, "USD"))).toMatch(/\$0\.30000000000000004 is not an exact amount/)
    expect(refusalOf(() => toMinorUnits("0.005", "USD"))).toMatch(/use \$0\.00 or \$0\.01 instead \(0 or 1 in minor/)
    expect(refusalOf(() => toMinorUnits({ value: "2.675", precision: 20 }, "USD"))).toMatch(/\(267 or 268 in minor/)
    expect(refusalOf(() => toMinorUnits(new BigNumber("10.995"), "GBP"))).toMatch(/£10\.99 or £11\.00/)
  })

  it("refuses at Stripe three-decimal amounts whose last digit is not 0", () => {
    expect(refusalOf(() => toMinorUnits("12.345", "KWD", { gateway: "stripe" }))).toBe(
      `Stripe cannot carry KWD${NBSP}12.345: it takes KWD only in steps of KWD${NBSP}0.010 (the last of its three decimals must be 0). Money is never rounded, so nothing was sent to Stripe; use KWD${NBSP}12.340 or KWD${NBSP}12.350 instead (12340 or 12350 in minor units).`
    )
    for (const currency of THREE_DECIMAL) {
      expect(refusalOf(() => toMinorUnits("1.001", currency, { gateway: "stripe" }))).toContain(
        `use ${currency}${NBSP}1.000 or ${currency}${NBSP}1.010 instead (1000 or 1010 in minor units)`
      )
    }
    // more decimals than KWD has: the neighbours are still ones Stripe takes
    expect(refusalOf(() => toMinorUnits("5.1249", "KWD", { gateway: "stripe" }))).toMatch(/\(5120 or 5130 in minor/)
    expect(refusalOf(() => toMinorUnits("0.005", "BHD", { gateway: "stripe" }))).toMatch(
      new RegExp(`use BHD${NBSP}0\\.000 or BHD${NBSP}0\\.010 instead`)
    )
  })

  it("refuses at Stripe ISK amounts that are not whole króna", () => {
    expect(refusalOf(() => toMinorUnits(5.5, "ISK", { gateway: "stripe" }))).toBe(
      `Stripe cannot carry ISK${NBSP}5.50: it takes ISK only in whole units, without decimals. Money is never rounded, so nothing was sent to Stripe; use ISK${NBSP}5 or ISK${NBSP}6 instead (500 or 600 in minor units).`
    )
    expect(refusalOf(() => toMinorUnits("5.49", "ISK", { gateway: "paypal" }))).toMatch(/PayPal cannot carry ISK/)
  })

  it("refuses at PayPal HUF and TWD amounts with decimals, which Stripe takes", () => {
    expect(refusalOf(() => toMinorUnits("1000.50", "HUF", { gateway: "paypal" }))).toBe(
      `PayPal cannot carry HUF${NBSP}1,000.50: it takes HUF only in whole units, without decimals. Money is never rounded, so nothing was sent to PayPal; use HUF${NBSP}1,000 or HUF${NBSP}1,001 instead (100000 or 100100 in minor units).`
    )
    expect(refusalOf(() => toMinorUnits("12.34", "TWD", { gateway: "paypal" }))).toMatch(
      /use NT\$12 or NT\$13 instead \(1200 or 1300 in minor units\)/
    )
    expect(toMinorUnits("12.34", "TWD", { gateway: "stripe" })).toBe(1234)
  })

  it("refuses three-decimal currencies at PayPal, whatever the amount", () => {
    for (const currency of THREE_DECIMAL) {
      expectInvalid(
        () => toMinorUnits(5, currency, { gateway: "paypal" }),
        new RegExp(`PayPal does not support the three-decimal currency ${currency}, so nothing was sent to PayPal`)
      )
    }
  })

  it("names only the amount below when the one above is beyond the largest safe integer", () => {
    const message = refusalOf(() => toMinorUnits("9007199254740.991", "KWD", { gateway: "stripe" }))
    expect(namedNeighbours(message)).toEqual([9007199254740990])
    expect(message).toMatch(/use KWD.9,007,199,254,740\.990 instead/)
  })

  it("rejects negative amounts", () => {
    expectInvalid(() => toMinorUnits(-1, "USD"), /Invalid amount -1 for USD: must not be negative/)
    expectInvalid(() => toMinorUnits("-0.001", "USD"), /must not be negative/)
    expectInvalid(() => toMinorUnits({ value: "-5", precision: 20 }, "EUR"), /must not be negative/)
  })

  it("rejects NaN, garbage and missing values", () => {
    expectInvalid(() => toMinorUnits(NaN, "USD"), /Invalid amount NaN for USD: not a number/)
    expectInvalid(() => toMinorUnits("abc", "USD"), /Invalid amount "abc" for USD: not a number/)
    expectInvalid(() => toMinorUnits("", "USD"), /not a number/)
    expectInvalid(() => toMinorUnits({ value: "x" }, "USD"), /Invalid amount \{"value":"x"\}/)
    expectInvalid(() => toMinorUnits(null as never, "USD"), /Invalid amount null/)
    expectInvalid(() => toMinorUnits(undefined as never, "USD"), /Invalid amount undefined/)
    expectInvalid(() => toMinorUnits({} as never, "USD"), /not a number/)
    expectInvalid(() => toMinorUnits(true as never, "USD"), /not a number/)
  })

  it("rejects non-finite values", () => {
    expectInvalid(() => toMinorUnits(Infinity, "USD"), /Invalid amount Infinity for USD: must be finite/)
    expectInvalid(() => toMinorUnits("-Infinity", "USD"), /must be finite/)
  })

  it("rejects amounts beyond the safe integer range", () => {
    expectInvalid(
      () => toMinorUnits("90071992547409.92", "USD"),
      /exceeds the largest safe integer amount in minor units/
    )
    expectInvalid(() => toMinorUnits(1e20, "JPY"), /exceeds the largest safe integer/)
  })

  it("rejects invalid currencies and gateways", () => {
    expectInvalid(() => toMinorUnits(1, "dollars"), /Invalid currency code "dollars"/)
    expectInvalid(() => toMinorUnits(1, "USD", { gateway: "Stripe" as PspGateway }), /Unknown payment gateway/)
  })
})

describe("validMinorAmount / assertValidMinorAmount", () => {
  it("accepts what the gateway carries", () => {
    expect(validMinorAmount(12340, "KWD", "stripe")).toEqual({ ok: true, minor: 12340, step: 10 })
    expect(validMinorAmount("100000", "HUF", "paypal")).toEqual({ ok: true, minor: 100000, step: 100 })
    expect(validMinorAmount(100050, "HUF", "stripe")).toEqual({ ok: true, minor: 100050, step: 1 })
    expect(validMinorAmount(1, "JPY", "paypal")).toEqual({ ok: true, minor: 1, step: 1 })
    expect(validMinorAmount(0, "ISK", "stripe")).toEqual({ ok: true, minor: 0, step: 100 })
    expect(assertValidMinorAmount(18500, "kwd", "stripe")).toBe(18500)
  })

  it("refuses what it does not, with the nearest valid amounts and a message for a 400", () => {
    expect(validMinorAmount(12345, "KWD", "stripe")).toEqual({
      ok: false,
      reason: "not_carried",
      step: 10,
      below: 12340,
      above: 12350,
      message: `Stripe cannot carry KWD${NBSP}12.345: it takes KWD only in steps of KWD${NBSP}0.010 (the last of its three decimals must be 0). Money is never rounded, so nothing was sent to Stripe; use KWD${NBSP}12.340 or KWD${NBSP}12.350 instead (12340 or 12350 in minor units).`,
    })
    expect(validMinorAmount(50050, "ISK", "stripe")).toMatchObject({ ok: false, below: 50000, above: 50100 })
    expect(validMinorAmount(100050, "TWD", "paypal")).toMatchObject({ ok: false, below: 100000, above: 100100 })
    expect(validMinorAmount(5, "KWD", "stripe")).toMatchObject({ ok: false, below: 0, above: 10 })
    expect(validMinorAmount(Number.MAX_SAFE_INTEGER, "KWD", "stripe")).toMatchObject({
      ok: false,
      below: Number.MAX_SAFE_INTEGER - 1,
      above: null,
    })
    expectInvalid(() => assertValidMinorAmount(12345, "KWD", "stripe"), /\(12340 or 12350 in minor units\)/)
  })

  it("refuses three-decimal currencies at PayPal", () => {
    expect(validMinorAmount(5120, "KWD", "paypal")).toEqual({
      ok: false,
      reason: "unsupported_currency",
      message: expect.stringMatching(/PayPal does not support the three-decimal currency KWD/),
    })
    expectInvalid(() => assertValidMinorAmount(5120, "OMR", "paypal"), /three-decimal currency OMR/)
  })

  it("throws for malformed input rather than answering", () => {
    expectInvalid(() => validMinorAmount(12.5, "USD", "stripe"), /Invalid minor-unit amount 12.5 for USD/)
    expectInvalid(() => validMinorAmount(-10, "KWD", "stripe"), /non-negative safe integer/)
    expectInvalid(() => validMinorAmount(2 ** 53, "USD", "stripe"), /non-negative safe integer/)
    expectInvalid(() => validMinorAmount(10, "US", "stripe"), /Invalid currency code/)
    expectInvalid(() => validMinorAmount(10, "USD", undefined as never), /Unknown payment gateway undefined/)
  })
})

describe("properties", () => {
  it.each(CARRIED)(
    "$currency at $at: every valid amount is accepted and round-trips exactly",
    ({ currency, gateway, step }) => {
      fc.assert(
        fc.property(multipleOf(step), (minor) => {
          const major = fromMinorUnits(minor, currency)
          expect(toMinorUnits(major, currency, options(gateway))).toBe(minor)
          expect(toMinorUnits(major.raw!, currency, options(gateway))).toBe(minor)
          expect(toMinorUnits(majorUnitsString(minor, currency), currency, options(gateway))).toBe(minor)
          if (gateway) {
            expect(validMinorAmount(minor, currency, gateway)).toEqual({ ok: true, minor, step })
          }
          if (gateway === "paypal") {
            expect(minorFromPayPalValue(payPalValueFromMinor(minor, currency), currency)).toBe(minor)
            expect(toPayPalValue(major, currency)).toBe(payPalValueFromMinor(minor, currency))
          }
        })
      )
    }
  )

  it.each(CARRIED.filter((c) => c.step > 1))(
    "$currency at $at: every other amount is refused, and the named neighbours are valid and adjacent",
    ({ currency, gateway, step }) => {
      const psp = gateway as PspGateway
      fc.assert(
        fc.property(notMultipleOf(step), (minor) => {
          const check = validMinorAmount(minor, currency, psp)
          if (check.ok || check.reason !== "not_carried") {
            throw new Error(`${minor} ${currency} was accepted at ${psp}`)
          }
          expect(check.step).toBe(step)
          expect(check.below % step).toBe(0)
          expect(check.below).toBeLessThan(minor)
          expect(minor - check.below).toBeLessThan(step)
          expect(validMinorAmount(check.below, currency, psp).ok).toBe(true)
          if (check.above !== null) {
            expect(check.above - check.below).toBe(step)
            expect(check.above).toBeGreaterThan(minor)
            expect(validMinorAmount(check.above, currency, psp).ok).toBe(true)
          } else {
            expect(check.below + step).toBeGreaterThan(Number.MAX_SAFE_INTEGER)
          }
          expect(namedNeighbours(check.message)).toEqual(
            check.above === null ? [check.below] : [check.below, check.above]
          )
          // The same amount in major units, from Medusa, is refused with the same message.
          const message = refusalOf(() => toMinorUnits(fromMinorUnits(minor, currency), currency, { gateway: psp }))
          expect(message).toBe(check.message)
          if (psp === "paypal") {
            expect(refusalOf(() => payPalValueFromMinor(minor, currency))).toBe(check.message)
            expect(refusalOf(() => toPayPalValue(majorUnitsString(minor, currency), currency))).toBe(check.message)
          }
        })
      )
    }
  )

  it.each(CARRIED)(
    "$currency at $at: more decimals than the currency has are refused, naming valid adjacent neighbours",
    ({ currency, gateway, step }) => {
      const exponent = currencyExponent(currency)
      fc.assert(
        fc.property(fc.nat({ max: 1_000_000_000_000 }), fc.stringMatching(/^[0-9]{0,6}[1-9]$/), (minor, extra) => {
          // Build the major-unit string digit by digit: the minor integer, then `extra` beyond the currency's decimals.
          const digits = String(minor).padStart(exponent + 1, "0")
          const text =
            exponent === 0 ? `${digits}.${extra}` : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}${extra}`
          const message = refusalOf(() => toMinorUnits(text, currency, options(gateway)))
          const [below, above] = namedNeighbours(message)
          expect(below).toBe(minor - (minor % step))
          expect(above - below).toBe(step)
          expect(MathBN.lt(fromMinorUnits(below, currency), text)).toBe(true)
          expect(MathBN.gt(fromMinorUnits(above, currency), text)).toBe(true)
          expect(toMinorUnits(fromMinorUnits(below, currency), currency, options(gateway))).toBe(below)
          expect(toMinorUnits(fromMinorUnits(above, currency), currency, options(gateway))).toBe(above)
        })
      )
    }
  )

  it("HUF and TWD: Stripe takes every minor amount, PayPal only whole units", () => {
    fc.assert(
      fc.property(fc.constantFrom("HUF", "TWD"), fc.maxSafeNat(), (currency, minor) => {
        expect(validMinorAmount(minor, currency, "stripe").ok).toBe(true)
        expect(validMinorAmount(minor, currency, "paypal").ok).toBe(minor % 100 === 0)
      })
    )
  })

  it("JPY and the zero-decimal currencies: both PSPs take every whole amount", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZERO_DECIMAL), fc.maxSafeNat(), (currency, minor) => {
        expect(validMinorAmount(minor, currency, "stripe").ok).toBe(true)
        expect(validMinorAmount(minor, currency, "paypal").ok).toBe(true)
        expect(payPalValueFromMinor(minor, currency)).toBe(String(minor))
      })
    )
  })

  it("three-decimal currencies: Stripe takes multiples of 10, PayPal none", () => {
    fc.assert(
      fc.property(fc.constantFrom(...THREE_DECIMAL), fc.maxSafeNat(), (currency, minor) => {
        expect(validMinorAmount(minor, currency, "stripe").ok).toBe(minor % 10 === 0)
        expect(validMinorAmount(minor, currency, "paypal")).toMatchObject({ ok: false, reason: "unsupported_currency" })
      })
    )
  })

  it("ISK: both PSPs take whole króna only", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.constantFrom<PspGateway>("stripe", "paypal"), (minor, gateway) => {
        expect(validMinorAmount(minor, "ISK", gateway).ok).toBe(minor % 100 === 0)
      })
    )
  })

  it("two-decimal currencies: both PSPs take every whole number of cents", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TWO_DECIMAL), fc.maxSafeNat(), (currency, minor) => {
        expect(validMinorAmount(minor, currency, "stripe").ok).toBe(true)
        expect(validMinorAmount(minor, currency, "paypal").ok).toBe(true)
      })
    )
  })
})

describe("fromMinorUnits / fromMinorUnitsNumeric", () => {
  it("returns a Medusa BigNumber in major units", () => {
    const value = fromMinorUnits(60000, "GBP")
    expect(value).toBeInstanceOf(BigNumber)
    expect(value.numeric).toBe(600)
    expect(value.raw).toEqual({ value: "600", precision: 20 })
    expect(value.toString()).toBe("600")
  })

  it("handles each currency class", () => {
    expect(fromMinorUnits(1999, "usd").toString()).toBe("19.99")
    expect(fromMinorUnits(1, "EUR").toString()).toBe("0.01")
    expect(fromMinorUnits(1000, "JPY").toString()).toBe("1000")
    expect(fromMinorUnits(5124, "KWD").toString()).toBe("5.124")
    expect(fromMinorUnits(5120, "BHD").toString()).toBe("5.12")
    expect(fromMinorUnits(0, "USD").numeric).toBe(0)
  })

  it("accepts integer strings", () => {
    expect(fromMinorUnits("2500", "USD").toString()).toBe("25")
    expect(fromMinorUnitsNumeric("2500", "USD")).toBe(25)
  })

  it("is exact for large amounts", () => {
    const value = fromMinorUnits(Number.MAX_SAFE_INTEGER, "USD")
    expect(value.toString()).toBe("90071992547409.91")
    expect(MathBN.eq(value, "90071992547409.91")).toBe(true)
  })

  it("returns plain numbers", () => {
    expect(fromMinorUnitsNumeric(1999, "USD")).toBe(19.99)
    expect(fromMinorUnitsNumeric(1000, "JPY")).toBe(1000)
    expect(fromMinorUnitsNumeric(5125, "KWD")).toBe(5.125)
    expect(fromMinorUnitsNumeric(12345678901234, "USD")).toBe(123456789012.34)
    expect(fromMinorUnitsNumeric(999999999999999, "USD")).toBe(9999999999999.99)
  })

  it("refuses numbers that cannot be represented exactly", () => {
    expectInvalid(
      () => fromMinorUnitsNumeric(Number.MAX_SAFE_INTEGER, "USD"),
      /cannot be represented exactly as a JS number/
    )
  })

  it("rejects invalid minor amounts", () => {
    expectInvalid(() => fromMinorUnits(12.5, "USD"), /Invalid minor-unit amount 12.5 for USD/)
    expectInvalid(() => fromMinorUnits(-1, "USD"), /non-negative safe integer/)
    expectInvalid(() => fromMinorUnits(NaN, "USD"), /Invalid minor-unit amount NaN/)
    expectInvalid(() => fromMinorUnits(Infinity, "USD"), /non-negative safe integer/)
    expectInvalid(() => fromMinorUnits("12.5", "USD"), /Invalid minor-unit amount "12.5"/)
    expectInvalid(() => fromMinorUnits("1e3", "USD"), /non-negative safe integer/)
    expectInvalid(() => fromMinorUnits("9007199254740992", "USD"), /non-negative safe integer/)
    expectInvalid(() => fromMinorUnits(2 ** 53, "JPY"), /non-negative safe integer/)
    expectInvalid(() => fromMinorUnitsNumeric(-5, "EUR"), /non-negative safe integer/)
  })

  it.each([
    ["USD", 123456],
    ["EUR", 1],
    ["GBP", 60000],
    ["JPY", 1000],
    ["KRW", 987654321],
    ["KWD", 5130],
    ["BHD", 1234567890],
    ["USD", Number.MAX_SAFE_INTEGER],
  ])("round-trips %s %i through major units", (currency, minor) => {
    expect(toMinorUnits(fromMinorUnits(minor, currency), currency)).toBe(minor)
    expect(toMinorUnits(fromMinorUnits(minor, currency).raw!, currency)).toBe(minor)
  })

  it("round-trips through the numeric form", () => {
    for (const [minor, currency] of [
      [1999, "USD"],
      [1000, "JPY"],
      [5120, "KWD"],
      [999999999999999, "EUR"],
    ] as const) {
      expect(toMinorUnits(fromMinorUnitsNumeric(minor, currency), currency)).toBe(minor)
    }
  })

  it("round-trips major -> minor -> major for already-chargeable amounts", () => {
    for (const [major, currency] of [
      ["19.99", "USD"],
      ["1000", "JPY"],
      ["5.13", "KWD"],
      ["500", "ISK"],
    ] as const) {
      expect(MathBN.eq(fromMinorUnits(toMinorUnits(major, currency), currency), major)).toBe(true)
    }
  })
})

describe("PayPal values", () => {
  it("formats two-decimal currencies with exactly two decimals", () => {
    expect(toPayPalValue(50, "USD")).toBe("50.00")
    expect(toPayPalValue("19.9", "EUR")).toBe("19.90")
    expect(toPayPalValue({ value: "25", precision: 20 }, "GBP")).toBe("25.00")
    expect(toPayPalValue(new BigNumber("0.5"), "USD")).toBe("0.50")
    expect(toPayPalValue(0, "USD")).toBe("0.00")
    expect(toPayPalValue(-0, "USD")).toBe("0.00")
  })

  it("refuses more decimals than PayPal takes instead of rounding", () => {
    expect(refusalOf(() => toPayPalValue("2.675", "USD"))).toBe(
      "PayPal cannot carry $2.675: USD has 2 decimal places. Money is never rounded, so nothing was sent to PayPal; use $2.67 or $2.68 instead (267 or 268 in minor units)."
    )
    expectInvalid(() => toPayPalValue(1.005, "USD"), /\(100 or 101 in minor units\)/)
    expectInvalid(() => toPayPalValue("10.5", "jpy"), /PayPal cannot carry ¥10\.5: JPY has no decimals/)
  })

  it("uses no decimals for HUF, JPY and TWD, and refuses their fractions", () => {
    expect(toPayPalValue(1000, "JPY")).toBe("1000")
    expect(toPayPalValue("1000", "HUF")).toBe("1000")
    expect(toPayPalValue("1000.00", "HUF")).toBe("1000")
    expect(toPayPalValue(250, "TWD")).toBe("250")
    expectInvalid(() => toPayPalValue("1000.49", "HUF"), /use HUF.1,000 or HUF.1,001 instead/)
    expectInvalid(() => toPayPalValue("1000.50", "HUF"), /PayPal cannot carry HUF.1,000\.50/)
    expectInvalid(() => toPayPalValue("0.5", "TWD"), /use NT\$0 or NT\$1 instead \(0 or 100 in minor units\)/)
  })

  it("handles large values without exponent notation", () => {
    expect(toPayPalValue("123456789012.34", "USD")).toBe("123456789012.34")
    expect(toPayPalValue("1e3", "JPY")).toBe("1000")
    expect(toPayPalValue(1e15, "JPY")).toBe("1000000000000000")
    expect(toPayPalValue("9007199254740991", "JPY")).toBe("9007199254740991")
  })

  it("parses PayPal strings into Medusa BigNumbers", () => {
    const value = fromPayPalValue("50.00", "USD")
    expect(value).toBeInstanceOf(BigNumber)
    expect(value.numeric).toBe(50)
    expect(MathBN.eq(value, 50)).toBe(true)
    expect(fromPayPalValue("1000", "JPY").numeric).toBe(1000)
    expect(fromPayPalValue("19.9", "EUR").toString()).toBe("19.9")
    expect(fromPayPalValue("0.01", "USD").toString()).toBe("0.01")
  })

  it("converts between minor units and PayPal strings", () => {
    expect(payPalValueFromMinor(5000, "USD")).toBe("50.00")
    expect(payPalValueFromMinor(60000, "GBP")).toBe("600.00")
    expect(payPalValueFromMinor(1, "EUR")).toBe("0.01")
    expect(payPalValueFromMinor(1000, "JPY")).toBe("1000")
    expect(payPalValueFromMinor(100000, "HUF")).toBe("1000")
    expect(payPalValueFromMinor(50000, "ISK")).toBe("500")
    expect(minorFromPayPalValue("50.00", "USD")).toBe(5000)
    expect(minorFromPayPalValue("0.01", "usd")).toBe(1)
    expect(minorFromPayPalValue("1000", "JPY")).toBe(1000)
    expect(minorFromPayPalValue("1000", "HUF")).toBe(100000)
    expect(minorFromPayPalValue("250", "TWD")).toBe(25000)
  })

  it("refuses a minor amount PayPal cannot carry instead of rounding it (nothing reaches PayPal)", () => {
    expect(refusalOf(() => payPalValueFromMinor(100050, "HUF"))).toBe(
      `PayPal cannot carry HUF${NBSP}1,000.50: it takes HUF only in whole units, without decimals. Money is never rounded, so nothing was sent to PayPal; use HUF${NBSP}1,000 or HUF${NBSP}1,001 instead (100000 or 100100 in minor units).`
    )
    expectInvalid(() => payPalValueFromMinor(1, "TWD"), /\(0 or 100 in minor units\)/)
    expectInvalid(() => payPalValueFromMinor(50050, "ISK"), /PayPal cannot carry ISK/)
  })

  it("rejects three-decimal currencies with a clear error", () => {
    expectInvalid(() => toPayPalValue(5, "KWD"), /PayPal does not support the three-decimal currency KWD/)
    expectInvalid(() => toPayPalValue(5, "bhd"), /three-decimal currency BHD/)
    expectInvalid(() => fromPayPalValue("5.000", "KWD"), /three-decimal currency KWD/)
    expectInvalid(() => payPalValueFromMinor(5120, "OMR"), /three-decimal currency OMR/)
    expectInvalid(() => minorFromPayPalValue("5.12", "JOD"), /three-decimal currency JOD/)
  })

  it("rejects malformed PayPal strings", () => {
    expectInvalid(() => fromPayPalValue("abc", "USD"), /Invalid PayPal amount value "abc" for USD/)
    expectInvalid(() => fromPayPalValue("", "USD"), /Invalid PayPal amount value ""/)
    expectInvalid(() => fromPayPalValue("-5.00", "USD"), /non-negative decimal string/)
    expectInvalid(() => fromPayPalValue("1e3", "USD"), /non-negative decimal string/)
    expectInvalid(() => fromPayPalValue(" 5.00", "USD"), /non-negative decimal string/)
    expectInvalid(() => fromPayPalValue("5.", "USD"), /non-negative decimal string/)
    expectInvalid(() => fromPayPalValue(5 as unknown as string, "USD"), /Invalid PayPal amount value 5/)
  })

  it("rejects more decimals than PayPal uses for the currency", () => {
    expectInvalid(() => fromPayPalValue("10.001", "USD"), /at most 2 decimal place\(s\) for USD/)
    expectInvalid(() => minorFromPayPalValue("1000.5", "JPY"), /at most 0 decimal place\(s\) for JPY/)
    expectInvalid(() => minorFromPayPalValue("1000.50", "HUF"), /at most 0 decimal place\(s\) for HUF/)
  })

  it("rejects invalid amounts", () => {
    expectInvalid(() => toPayPalValue(-1, "USD"), /must not be negative/)
    expectInvalid(() => toPayPalValue(NaN, "USD"), /not a number/)
    expectInvalid(() => toPayPalValue(Infinity, "USD"), /must be finite/)
    expectInvalid(() => toPayPalValue("1e30", "USD"), /exceeds the largest safe integer/)
    expectInvalid(() => fromPayPalValue("90071992547409.92", "USD"), /exceeds the largest safe integer/)
    expectInvalid(() => payPalValueFromMinor(1.5, "USD"), /Invalid minor-unit amount 1.5/)
  })
})

describe("formatMoney", () => {
  it("formats two-decimal currencies", () => {
    expect(formatMoney(60000, "GBP")).toBe("£600.00")
    expect(formatMoney(20000, "USD")).toBe("$200.00")
    expect(formatMoney(123456, "eur")).toBe("€1,234.56")
    expect(formatMoney(5, "USD")).toBe("$0.05")
    expect(formatMoney(0, "USD")).toBe("$0.00")
  })

  it("formats zero-decimal currencies", () => {
    expect(formatMoney(1000, "JPY")).toBe("¥1,000")
    expect(formatMoney(50000, "KRW")).toBe("₩50,000")
  })

  it("formats three-decimal currencies with three decimals", () => {
    expect(formatMoney(5120, "KWD")).toBe(`KWD${NBSP}5.120`)
    expect(formatMoney(1234567, "BHD")).toBe(`BHD${NBSP}1,234.567`)
  })

  it("formats HUF/TWD with two decimals and whole ISK without decimals", () => {
    expect(formatMoney(100050, "HUF")).toBe(`HUF${NBSP}1,000.50`)
    expect(formatMoney(50000, "ISK")).toBe(`ISK${NBSP}500`)
    expect(formatMoney(50050, "ISK")).toBe(`ISK${NBSP}500.50`)
  })

  it("is exact for large amounts and allows negatives for display", () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, "USD")).toBe("$90,071,992,547,409.91")
    expect(formatMoney(-500, "USD")).toBe("-$5.00")
    expect(formatMoney(-0, "USD")).toBe("$0.00")
  })

  it("rejects non-integer or unsafe minor amounts", () => {
    expectInvalid(() => formatMoney(1.5, "USD"), /Invalid minor-unit amount 1.5 for USD: expected a safe integer/)
    expectInvalid(() => formatMoney(NaN, "USD"), /expected a safe integer/)
    expectInvalid(() => formatMoney(2 ** 53, "USD"), /expected a safe integer/)
    expectInvalid(() => formatMoney("100" as unknown as number, "USD"), /expected a safe integer/)
    expectInvalid(() => formatMoney(100, "usdollar"), /Invalid currency code "usdollar"/)
  })
})
