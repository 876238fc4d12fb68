/**
 * What a storefront may send in a payment session's data: only the documented keys, each validated; a bad value is
 * refused with a 400 that says what is expected, and anything else is ignored.
 */
import { MedusaError } from "@medusajs/framework/utils"
import fc from "fast-check"
import { CUSTOM_REFERENCE_MAX_LENGTH as MAX } from "../../utils/psp-limits"
import { PAYMENT_RECORD_KEYS } from "../schema"
import { parseStorefrontInput, STOREFRONT_KEYS } from "../storefront-input"

const NOTHING = { custom_reference: null, payment_method: null, save_payment_method: false, off_session_grant: null }

function refusal(data: Record<string, unknown>): MedusaError {
  try {
    parseStorefrontInput(data)
  } catch (e) {
    return e as MedusaError
  }
  throw new Error(`accepted ${JSON.stringify(data)}`)
}

describe("parseStorefrontInput", () => {
  it("reads nothing from no data", () => {
    expect(parseStorefrontInput(undefined)).toEqual(NOTHING)
    expect(parseStorefrontInput(null)).toEqual(NOTHING)
    expect(parseStorefrontInput({})).toEqual(NOTHING)
  })

  it("reads the documented keys", () => {
    expect(
      parseStorefrontInput({
        custom_reference: "ORDER-7 / web",
        payment_method: "pm_card_visa",
        save_payment_method: true,
        off_session_grant: "mit_0123456789abcdef",
      })
    ).toEqual({
      custom_reference: "ORDER-7 / web",
      payment_method: "pm_card_visa",
      save_payment_method: true,
      off_session_grant: "mit_0123456789abcdef",
    })
  })

  it("ignores every key of the payment record and every instruction a storefront could plant", () => {
    const planted: Record<string, unknown> = {
      pending_capture: { mechanism: "manual" },
      pending_refund: { amount: 1 },
      pending_external_refunds: [{ id: "re_1", amount: 7000 }],
      open_disputes: [],
      off_session: true,
      refund_note: "x",
    }
    for (const key of PAYMENT_RECORD_KEYS) {
      planted[key] = key === "custom_reference" ? "ORDER-7" : { planted: true }
    }
    expect(parseStorefrontInput(planted)).toEqual({ ...NOTHING, custom_reference: "ORDER-7" })
  })

  it("reads only its own keys, whatever else the data holds", () => {
    const own = new Set<string>(STOREFRONT_KEYS)
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1 }).filter((k) => !own.has(k) && k !== "__proto__"),
          fc.jsonValue()
        ),
        (other) => {
          const data = { custom_reference: "REF-1", save_payment_method: true }
          expect(parseStorefrontInput({ ...other, ...data })).toEqual(parseStorefrontInput(data))
        }
      )
    )
  })

  it("reads empty values as absent", () => {
    expect(
      parseStorefrontInput({
        custom_reference: "",
        payment_method: null,
        off_session_grant: "",
        setup_future_usage: null,
      })
    ).toEqual(NOTHING)
  })

  describe("custom_reference", () => {
    it("takes 1 to CUSTOM_REFERENCE_MAX_LENGTH printable ASCII characters", () => {
      expect(parseStorefrontInput({ custom_reference: "x".repeat(MAX) }).custom_reference).toBe("x".repeat(MAX))
      expect(parseStorefrontInput({ custom_reference: " ~!" }).custom_reference).toBe(" ~!")
    })

    it.each<[string, unknown]>([
      ["too long", "x".repeat(MAX + 1)],
      ["a control character", "ORDER\n7"],
      ["a non-ASCII character", "COMMANDE-é"],
      ["a number", 7],
      ["an object", { $ne: null }],
      ["a list", ["a"]],
    ])("refuses %s", (_, value) => {
      const e = refusal({ custom_reference: value })
      expect(e).toBeInstanceOf(MedusaError)
      expect(e.type).toBe(MedusaError.Types.INVALID_DATA)
      expect(e.message).toBe(
        `Payment session data: custom_reference must be 1 to ${MAX} printable ASCII characters (PayPal's invoice_id limit, with room for the suffix of later captures).`
      )
    })
  })

  describe("payment_method", () => {
    it.each(["pm_card_visa", "pm_1Nabc-DEF_2", "abc", "x".repeat(255)])("takes %s", (value) => {
      expect(parseStorefrontInput({ payment_method: value }).payment_method).toBe(value)
    })

    it.each<[string, unknown]>([
      ["too short", "pm"],
      ["too long", "x".repeat(256)],
      ["spaces", "pm card"],
      ["a path", "../pm_1"],
      ["a number", 1],
    ])("refuses %s", (_, value) => {
      const e = refusal({ payment_method: value })
      expect(e.type).toBe(MedusaError.Types.INVALID_DATA)
      expect(e.message).toBe("Payment session data: payment_method must be the id of a saved payment method (pm_…).")
    })
  })

  describe("saving the payment method (customer-initiated)", () => {
    it.each<[Record<string, unknown>, boolean]>([
      [{ save_payment_method: true }, true],
      [{ save_payment_method: false }, false],
      [{ setup_future_usage: "off_session" }, true],
      [{ setup_future_usage: "on_session" }, false],
      [{ setup_future_usage: "on_session", save_payment_method: true }, true],
      [{ setup_future_usage: "off_session", save_payment_method: false }, true],
    ])("%j → save %s", (data, save) => {
      expect(parseStorefrontInput(data).save_payment_method).toBe(save)
    })

    it("never makes the payment merchant-initiated: setup_future_usage is not passed on as it is", () => {
      expect(Object.keys(parseStorefrontInput({ setup_future_usage: "off_session" })).sort()).toEqual([
        "custom_reference",
        "off_session_grant",
        "payment_method",
        "save_payment_method",
      ])
    })

    it.each<[string, Record<string, unknown>, string]>([
      [
        "an unknown setup_future_usage",
        { setup_future_usage: "always" },
        'Payment session data: setup_future_usage must be "off_session" or "on_session".',
      ],
      [
        "a setup_future_usage that is not a string",
        { setup_future_usage: true },
        'Payment session data: setup_future_usage must be "off_session" or "on_session".',
      ],
      [
        "save_payment_method as a string",
        { save_payment_method: "true" },
        "Payment session data: save_payment_method must be true or false.",
      ],
      [
        "save_payment_method as a number",
        { save_payment_method: 1 },
        "Payment session data: save_payment_method must be true or false.",
      ],
      [
        "save_payment_method null",
        { save_payment_method: null },
        "Payment session data: save_payment_method must be true or false.",
      ],
    ])("refuses %s", (_, data, message) => {
      const e = refusal(data)
      expect(e.type).toBe(MedusaError.Types.INVALID_DATA)
      expect(e.message).toBe(message)
    })
  })

  describe("off_session_grant", () => {
    it("takes a grant id as the store's server creates them", () => {
      expect(parseStorefrontInput({ off_session_grant: "mit_0123456789abcdef" }).off_session_grant).toBe(
        "mit_0123456789abcdef"
      )
      expect(parseStorefrontInput({ off_session_grant: `mit_${"a".repeat(64)}` }).off_session_grant).toBe(
        `mit_${"a".repeat(64)}`
      )
    })

    it.each<[string, unknown]>([
      ["another prefix", "grant_0123456789abcdef"],
      ["too short", "mit_0123456789abcde"],
      ["too long", `mit_${"a".repeat(65)}`],
      ["a boolean", true],
    ])("refuses %s", (_, value) => {
      const e = refusal({ off_session_grant: value })
      expect(e.type).toBe(MedusaError.Types.INVALID_DATA)
      expect(e.message).toBe(
        "Payment session data: off_session_grant must be a grant created by the store's server (mit_…)."
      )
    })
  })

  it("lists the keys it reads", () => {
    expect([...STOREFRONT_KEYS].sort()).toEqual([
      "custom_reference",
      "off_session_grant",
      "payment_method",
      "save_payment_method",
      "setup_future_usage",
    ])
  })
})
