import { BigNumber, MathBN, MedusaError } from "@medusajs/framework/utils"
import {
  currencyExponent,
  formatMoney,
  fromMinorUnits,
  fromMinorUnitsNumeric,
  fromPayPalValue,
  minorFromPayPalValue,
  payPalValueFromMinor,
  toMinorUnits,
  toPayPalValue,
} from "../money"

const NBSP = "\u00a0"

function expectInvalid(fn: () => unknown, message: RegExp): void {
  let caught: unknown
  try {
    fn()
  } catch (e) {
    caught = e
  }
  expect(caught).toBeInstanceOf(MedusaError)
  expect((caught as MedusaError).type).toBe(MedusaError.Types.INVALID_DATA)
  expect((caught as MedusaError).message).toMatch(message)
}

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

describe("toMinorUnits", () => {
  it("converts two-decimal currencies", () => {
    expect(toMinorUnits(25, "usd")).toBe(2500)
    expect(toMinorUnits(19.99, "EUR")).toBe(1999)
    expect(toMinorUnits("600", "GBP")).toBe(60000)
    expect(toMinorUnits(0, "USD")).toBe(0)
    expect(toMinorUnits(0.01, "USD")).toBe(1)
  })

  it("does not suffer from float artefacts", () => {
    // 1.005 * 100 === 100.49999999999999 and 0.1 + 0.2 === 0.30000000000000004
    expect(toMinorUnits(1.005, "USD")).toBe(101)
    expect(toMinorUnits(0.1 + 0.2, "USD")).toBe(30)
    expect(toMinorUnits(4.35, "USD")).toBe(435)
    expect(toMinorUnits(1.15, "EUR")).toBe(115)
  })

  it("converts zero-decimal currencies", () => {
    expect(toMinorUnits(1000, "JPY")).toBe(1000)
    expect(toMinorUnits("50000", "KRW")).toBe(50000)
    expect(toMinorUnits(10.5, "JPY")).toBe(11)
    expect(toMinorUnits(10.49, "JPY")).toBe(10)
    expect(toMinorUnits("999.5", "krw")).toBe(1000)
  })

  it("rounds three-decimal currencies half-up to the nearest ten", () => {
    expect(toMinorUnits(5.124, "KWD")).toBe(5120)
    expect(toMinorUnits(5.125, "KWD")).toBe(5130)
    expect(toMinorUnits("5.1249", "KWD")).toBe(5120) // no double rounding
    expect(toMinorUnits(5.12, "KWD")).toBe(5120)
    expect(toMinorUnits(1, "BHD")).toBe(1000)
    expect(toMinorUnits("0.005", "BHD")).toBe(10)
    expect(toMinorUnits("0.004", "BHD")).toBe(0)
    expect(toMinorUnits("12.345", "OMR")).toBe(12350)
  })

  it("rounds ISK to whole króna (Stripe: multiples of 100)", () => {
    expect(toMinorUnits(5, "ISK")).toBe(500)
    expect(toMinorUnits(5.49, "ISK")).toBe(500)
    expect(toMinorUnits(5.5, "ISK")).toBe(600)
  })

  it("keeps HUF and TWD two-decimal", () => {
    expect(toMinorUnits("1000.50", "HUF")).toBe(100050)
    expect(toMinorUnits(12.34, "TWD")).toBe(1234)
  })

  it("rounds half-up at x.xx5", () => {
    expect(toMinorUnits(2.675, "USD")).toBe(268) // 2.675 is 2.67499… as a float
    expect(toMinorUnits("2.675", "USD")).toBe(268)
    expect(toMinorUnits("2.674999", "USD")).toBe(267)
    expect(toMinorUnits("0.005", "USD")).toBe(1)
    expect(toMinorUnits("0.0049999", "USD")).toBe(0)
    expect(toMinorUnits("10.995", "GBP")).toBe(1100)
  })

  it("accepts raw BigNumber objects", () => {
    expect(toMinorUnits({ value: "25", precision: 20 }, "USD")).toBe(2500)
    expect(toMinorUnits({ value: "25.000000000000000000", precision: 20 }, "USD")).toBe(2500)
    expect(toMinorUnits({ value: "2.675", precision: 20 }, "USD")).toBe(268)
    expect(toMinorUnits({ value: 1000 }, "JPY")).toBe(1000)
    expect(toMinorUnits({ value: "5.125", precision: 20 }, "KWD")).toBe(5130)
  })

  it("accepts Medusa BigNumber instances and bignumber.js values", () => {
    expect(toMinorUnits(new BigNumber(25), "USD")).toBe(2500)
    expect(toMinorUnits(new BigNumber("19.99"), "USD")).toBe(1999)
    expect(toMinorUnits(new BigNumber({ value: "2.675", precision: 20 }), "USD")).toBe(268)
    expect(toMinorUnits(MathBN.add("0.1", "0.2"), "USD")).toBe(30)
    expect(toMinorUnits(MathBN.mult(new BigNumber("3.335"), 1), "EUR")).toBe(334)
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
    expect(toMinorUnits("1234567890123.45", "KWD")).toBe(1234567890123450)
  })

  it("rejects negative amounts", () => {
    expectInvalid(() => toMinorUnits(-1, "USD"), /Invalid amount -1 for USD: must not be negative/)
    expectInvalid(() => toMinorUnits("-0.001", "USD"), /must not be negative/)
    expectInvalid(() => toMinorUnits({ value: "-5", precision: 20 }, "EUR"), /must not be negative/)
  })

  it("treats negative zero as zero", () => {
    expect(Object.is(toMinorUnits(-0, "USD"), 0)).toBe(true)
    expect(Object.is(toMinorUnits("-0", "JPY"), 0)).toBe(true)
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

  it("rejects invalid currencies", () => {
    expectInvalid(() => toMinorUnits(1, "dollars"), /Invalid currency code "dollars"/)
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

  it("rounds half-up", () => {
    expect(toPayPalValue(2.675, "USD")).toBe("2.68")
    expect(toPayPalValue("2.674", "USD")).toBe("2.67")
    expect(toPayPalValue(1.005, "USD")).toBe("1.01")
  })

  it("uses no decimals for HUF, JPY and TWD", () => {
    expect(toPayPalValue(1000, "JPY")).toBe("1000")
    expect(toPayPalValue("10.5", "jpy")).toBe("11")
    expect(toPayPalValue("1000.49", "HUF")).toBe("1000")
    expect(toPayPalValue("1000.50", "HUF")).toBe("1001")
    expect(toPayPalValue(250, "TWD")).toBe("250")
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
    expect(payPalValueFromMinor(100050, "HUF")).toBe("1001")
    expect(minorFromPayPalValue("50.00", "USD")).toBe(5000)
    expect(minorFromPayPalValue("0.01", "usd")).toBe(1)
    expect(minorFromPayPalValue("1000", "JPY")).toBe(1000)
    expect(minorFromPayPalValue("1000", "HUF")).toBe(100000)
    expect(minorFromPayPalValue("250", "TWD")).toBe(25000)
  })

  it.each([
    ["USD", 123456],
    ["EUR", 1],
    ["JPY", 1000],
    ["HUF", 100000],
    ["USD", Number.MAX_SAFE_INTEGER],
  ])("round-trips %s %i through PayPal strings", (currency, minor) => {
    expect(minorFromPayPalValue(payPalValueFromMinor(minor, currency), currency)).toBe(minor)
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
