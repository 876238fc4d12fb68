import {
  CUSTOM_REFERENCE_MAX_LENGTH,
  REFUND_NOTE_MAX_LENGTH,
  STATEMENT_DESCRIPTOR_MAX_LENGTH,
} from "../../../../../../utils/psp-limits"
import { CaptureTransactionBody, RefundTransactionBody } from "../validators"

/** The zod messages of a body that is refused (none when it is accepted). */
function errors(schema: typeof CaptureTransactionBody | typeof RefundTransactionBody, body: unknown): string[] {
  const result = schema.safeParse(body)
  return result.success ? [] : result.error.issues.map((i) => i.message)
}

describe("transaction bodies: free text is held to the PSPs' limits", () => {
  it("uses the stricter PSP's limit for each field", () => {
    expect(REFUND_NOTE_MAX_LENGTH).toBe(255) // PayPal note_to_payer 255; Stripe metadata value 500
    expect(CUSTOM_REFERENCE_MAX_LENGTH).toBeLessThanOrEqual(127 - "-99".length) // PayPal invoice_id 127 + suffix
    expect(STATEMENT_DESCRIPTOR_MAX_LENGTH).toBe(22) // Stripe and PayPal soft_descriptor
  })

  it("accepts a refund note up to PayPal's 255 characters and says why a longer one is refused", () => {
    expect(errors(RefundTransactionBody, { data: { amount: 100, note: "n".repeat(255) } })).toEqual([])
    expect(errors(RefundTransactionBody, { data: { note: "" } })).toEqual([])
    expect(errors(RefundTransactionBody, { data: { amount: 100, note: "n".repeat(256) } })).toEqual([
      "note must be at most 255 characters: PayPal's limit for a refund's note_to_payer (Stripe keeps up to 500 characters in refund metadata); one limit for both gateways, so a note is never cut.",
    ])
    expect(errors(RefundTransactionBody, { data: { note: "n".repeat(501) } })[0]).toMatch(/Stripe .* 500/)
  })

  it("counts UTF-16 code units, never fewer than the characters a PSP counts", () => {
    expect(errors(RefundTransactionBody, { data: { note: "😀".repeat(127) } })).toEqual([])
    expect(errors(RefundTransactionBody, { data: { note: "😀".repeat(128) } })).toHaveLength(1)
  })

  it("bounds custom_reference so PayPal's invoice_id keeps room for the capture suffix", () => {
    const max = CUSTOM_REFERENCE_MAX_LENGTH
    expect(errors(CaptureTransactionBody, { data: { custom_reference: "r".repeat(max) } })).toEqual([])
    expect(errors(CaptureTransactionBody, { data: { custom_reference: "" } })).toEqual([])
    expect(errors(CaptureTransactionBody, { data: { custom_reference: "r".repeat(max + 1) } })).toEqual([
      `custom_reference must be at most ${max} characters: PayPal's invoice_id holds 127 and later captures add a -2, -3… suffix.`,
    ])
  })

  it("bounds capture_statement_descriptor to the card networks' 22 characters", () => {
    expect(errors(CaptureTransactionBody, { data: { capture_statement_descriptor: "A".repeat(22) } })).toEqual([])
    expect(errors(CaptureTransactionBody, { data: { capture_statement_descriptor: "A".repeat(23) } })).toEqual([
      "capture_statement_descriptor must be at most 22 characters: the card networks' limit, which Stripe's statement descriptor and PayPal's soft_descriptor share.",
    ])
    expect(errors(CaptureTransactionBody, { data: { capture_statement_descriptor: "" } })).toEqual([
      "capture_statement_descriptor must not be empty.",
    ])
    expect(errors(CaptureTransactionBody, { data: { capture_statement_descriptor: 'SHOP"42' } })[0]).toMatch(
      /must not contain/
    )
  })

  it("keeps amounts integers in minor units (the PSP's step is checked once the gateway is known)", () => {
    expect(errors(CaptureTransactionBody, { data: { capture_amount: 12345 } })).toEqual([])
    expect(errors(RefundTransactionBody, { data: { amount: 10.5 } })[0]).toMatch(
      /integer amount in the currency's minor/
    )
    expect(errors(RefundTransactionBody, { data: { amount: 0 } })).toEqual(["amount must be greater than zero."])
    expect(errors(RefundTransactionBody, { data: { amount: 2 ** 53 } })).toContain("amount is too large.")
  })
})
