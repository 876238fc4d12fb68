import { currencyExponent as serverCurrencyExponent, formatMoney, toMinorUnits } from "../../../utils/money"
import {
  chargeableStep,
  currencyExponent,
  formatMinorAmount,
  majorValueToMinor,
  minorToMajorString,
  parseMajorAmount,
  sumMinor,
} from "../currency-amounts"

/**
 * Stripe's minor units, written down from Stripe's "Supported currencies" page (https://docs.stripe.com/currencies):
 * the zero-decimal list, the three-decimal list, and two-decimal currencies that PayPal or ISO treat differently
 * (HUF, TWD, ISK). An independent table, so the widget and the server are each checked against it, not each other.
 */
const STRIPE_EXPONENTS: [string, number][] = [
  ...["USD", "EUR", "GBP", "HUF", "TWD", "ISK", "CHF", "SEK", "MXN"].map((c): [string, number] => [c, 2]),
  ...[
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
  ].map((c): [string, number] => [c, 0]),
  ...["BHD", "IQD", "JOD", "KWD", "OMR", "TND"].map((c): [string, number] => [c, 3]),
]
const ALL_CODES = STRIPE_EXPONENTS.map(([c]) => c)

describe("currencyExponent", () => {
  it.each([
    ["USD", 2],
    ["usd", 2],
    ["JPY", 0],
    ["krw", 0],
    ["KWD", 3],
    ["BHD", 3],
    ["JOD", 3],
    ["OMR", 3],
    ["TND", 3],
    ["ISK", 2],
  ])("%s has %i decimals", (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent)
  })

  it("gives Stripe's exponent for every currency Stripe special-cases, as the server's money module does", () => {
    expect(ALL_CODES.map((c) => [c, currencyExponent(c), serverCurrencyExponent(c)])).toEqual(
      STRIPE_EXPONENTS.map(([c, exponent]) => [c, exponent, exponent])
    )
    // Lower case and surrounding spaces, as an order's currency_code may come.
    expect(["jpy", " kwd ", "Usd"].map((c) => [currencyExponent(c), serverCurrencyExponent(c.trim())])).toEqual([
      [0, 0],
      [3, 3],
      [2, 2],
    ])
  })
})

describe("minorToMajorString", () => {
  it.each([
    [7000, "USD", "70.00"],
    [5, "USD", "0.05"],
    [0, "EUR", "0.00"],
    [9000, "JPY", "9000"],
    [18500, "KWD", "18.500"],
    [7, "BHD", "0.007"],
    [-250, "USD", "-2.50"],
    [Number.MAX_SAFE_INTEGER, "USD", "90071992547409.91"],
  ])("%i %s -> %s", (minor, code, expected) => {
    expect(minorToMajorString(minor, code)).toBe(expected)
  })
})

describe("parseMajorAmount", () => {
  it.each([
    ["70", "USD", 7000],
    ["70.5", "USD", 7050],
    ["70.50", "USD", 7050],
    [" 0.29 ", "USD", 29],
    [".5", "EUR", 50],
    ["1.", "USD", 100],
    ["0.07", "USD", 7],
    ["9000", "JPY", 9000],
    ["18.5", "KWD", 18500],
    ["18.51", "KWD", 18510],
    ["0.010", "BHD", 10],
    ["5", "ISK", 500],
    ["90071992547409.91", "USD", Number.MAX_SAFE_INTEGER],
  ])("%j %s -> %i minor units, without floating-point error", (input, code, minor) => {
    expect(parseMajorAmount(input, code)).toEqual({ ok: true, minor })
  })

  it("is exact where floats are not (0.29 * 100 = 28.999999999999996)", () => {
    expect(0.29 * 100).not.toBe(29)
    expect(parseMajorAmount("0.29", "USD")).toEqual({ ok: true, minor: 29 })
    expect(1.13 * 100).not.toBe(113)
    expect(parseMajorAmount("1.13", "USD")).toEqual({ ok: true, minor: 113 })
  })

  it.each([
    ["", "USD", /enter an amount/i],
    ["   ", "USD", /enter an amount/i],
    ["abc", "USD", /positive number/i],
    ["-5", "USD", /positive number/i],
    ["+5", "USD", /positive number/i],
    ["1e3", "USD", /positive number/i],
    [".", "USD", /positive number/i],
    ["1.2.3", "USD", /positive number/i],
    ["1,50", "EUR", /dot for decimals/i],
    ["1,500.00", "USD", /thousands separators/i],
    ["10.123", "USD", /at most 2 decimal places/i],
    ["10.5", "JPY", /JPY has no decimals/],
    ["1.2345", "KWD", /at most 3 decimal places/i],
    ["0", "USD", /greater than zero/i],
    ["0.00", "USD", /greater than zero/i],
    ["1.005", "KWD", /steps of 0.010/],
    ["5.5", "ISK", /steps of 1.00/],
    ["90071992547409.92", "USD", /too large/i],
  ])("refuses %j in %s", (input, code, message) => {
    const result = parseMajorAmount(input, code)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toMatch(message)
  })

  it("refuses more than the maximum, naming it in major units", () => {
    expect(parseMajorAmount("70.01", "USD", { max: 7000 })).toEqual({
      ok: false,
      error: "The amount cannot exceed 70.00 USD.",
    })
    expect(parseMajorAmount("70.00", "USD", { max: 7000 })).toEqual({ ok: true, minor: 7000 })
    expect(parseMajorAmount("9001", "JPY", { max: 9000 }).ok).toBe(false)
  })

  it("accepts zero when asked to", () => {
    expect(parseMajorAmount("0", "USD", { allowZero: true })).toEqual({ ok: true, minor: 0 })
  })

  it("round-trips with minorToMajorString", () => {
    for (const [minor, code] of [
      [1, "USD"],
      [123456789, "EUR"],
      [1, "JPY"],
      [18510, "KWD"],
      [100, "ISK"],
    ] as const) {
      expect(parseMajorAmount(minorToMajorString(minor, code), code)).toEqual({ ok: true, minor })
    }
  })
})

describe("majorValueToMinor", () => {
  it.each([
    [70, "USD", 7000],
    [60.5, "USD", 6050],
    ["60.5", "USD", 6050],
    [0.1 + 0.2, "USD", 30],
    [18.5, "KWD", 18500],
    [9000, "JPY", 9000],
    [9000.5, "JPY", 9001],
    [10.005, "USD", 1001],
    [10.004999, "USD", 1000],
    [1e-7, "USD", 0],
    [1e21, "JPY", null],
    [0, "USD", 0],
  ])("%p %s -> %p (half-up on the decimal string)", (value, code, expected) => {
    expect(majorValueToMinor(value, code)).toBe(expected)
  })

  it.each([[null], [undefined], [-1], [Number.NaN], [Number.POSITIVE_INFINITY], ["abc"], ["1,5"]])(
    "gives null for %p",
    (value) => {
      expect(majorValueToMinor(value as never, "USD")).toBeNull()
    }
  )

  it("matches the server's conversion of Medusa totals", () => {
    for (const [value, code] of [
      [60.5, "USD"],
      [70, "EUR"],
      [9000, "JPY"],
      [18.5, "KWD"],
      [0.3, "GBP"],
    ] as const) {
      expect(majorValueToMinor(value, code)).toBe(toMinorUnits(value, code))
    }
  })
})

describe("chargeableStep and sumMinor", () => {
  it("steps in 10 fils for three-decimal currencies and whole króna for ISK", () => {
    expect(chargeableStep("KWD")).toBe(10)
    expect(chargeableStep("ISK")).toBe(100)
    expect(chargeableStep("USD")).toBe(1)
    expect(chargeableStep("JPY")).toBe(1)
  })

  it("sums integers exactly and refuses unsafe totals", () => {
    expect(sumMinor([])).toBe(0)
    expect(sumMinor([1000, 2500, 3500])).toBe(7000)
    expect(() => sumMinor([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError)
  })
})

describe("formatMinorAmount", () => {
  it.each([
    [7000, "USD"],
    [60000, "GBP"],
    [9000, "JPY"],
    [18500, "KWD"],
    [1234567, "EUR"],
  ])("%i %s reads as the server formats it", (minor, code) => {
    expect(formatMinorAmount(minor, code)).toBe(formatMoney(minor, code))
  })

  it("shows the expected strings", () => {
    expect(formatMinorAmount(7000, "USD")).toBe("$70.00")
    expect(formatMinorAmount(9000, "JPY")).toBe("¥9,000")
    expect(formatMinorAmount(18500, "KWD")).toBe("KWD\u00a018.500")
  })

  it("falls back to 'amount CODE' for a code Intl does not know", () => {
    expect(formatMinorAmount(1234, "XX1")).toBe("12.34 XX1")
  })
})
