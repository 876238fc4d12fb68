import { z } from "@medusajs/framework/zod"
import {
  CUSTOM_REFERENCE_MAX_LENGTH,
  REFUND_NOTE_MAX_LENGTH,
  STATEMENT_DESCRIPTOR_MAX_LENGTH,
} from "../../../../../utils/psp-limits"

/**
 * Bodies of the transaction routes. Elastic Path wraps them in `data`; unknown fields are refused so a typo never
 * silently captures the wrong amount. Amounts are integers in the currency's minor unit; whether the transaction's PSP
 * can carry one (KWD in steps of 10 at Stripe, HUF in whole units at PayPal…) is checked before anything moves, by
 * `validMinorAmount` in `utils/money.ts`, once the transaction's gateway is known. Free text is held to the stricter
 * PSP's limit (`utils/psp-limits.ts`), so it is refused here rather than cut at the gateway.
 */
const minorAmount = (field: string) =>
  z
    .number({ error: `${field} must be an integer amount in the currency's minor unit (e.g. 1050 for 10.50).` })
    .int({ error: `${field} must be an integer amount in the currency's minor unit (e.g. 1050 for 10.50).` })
    .positive({ error: `${field} must be greater than zero.` })
    .max(Number.MAX_SAFE_INTEGER, { error: `${field} is too large.` })

export const CaptureTransactionBody = z
  .object({
    data: z
      .object({
        custom_reference: z.string({ error: "custom_reference must be a string." }).max(CUSTOM_REFERENCE_MAX_LENGTH, {
          error: `custom_reference must be at most ${CUSTOM_REFERENCE_MAX_LENGTH} characters: PayPal's invoice_id holds 127 and later captures add a -2, -3… suffix.`,
        }),
        capture_mechanism: z.literal("manual", { error: 'capture_mechanism must be "manual" when given.' }),
        capture_amount: minorAmount("capture_amount"),
        capture_type: z.enum(["final", "non-final"], { error: 'capture_type must be "final" or "non-final".' }),
        capture_statement_descriptor: z
          .string({ error: "capture_statement_descriptor must be a string." })
          .min(1, { error: "capture_statement_descriptor must not be empty." })
          .max(STATEMENT_DESCRIPTOR_MAX_LENGTH, {
            error: `capture_statement_descriptor must be at most ${STATEMENT_DESCRIPTOR_MAX_LENGTH} characters: the card networks' limit, which Stripe's statement descriptor and PayPal's soft_descriptor share.`,
          })
          .regex(/^[^<>\\'"*]*$/, {
            error: "capture_statement_descriptor must not contain < > \\ ' \" or * (card networks refuse them).",
          }),
        invoice_detail_ids: z
          .array(z.string({ error: "invoice_detail_ids must list order line item ids." }).min(1), {
            error: "invoice_detail_ids must be an array of order line item ids.",
          })
          .min(1, { error: "invoice_detail_ids must name at least one line item." }),
      })
      .partial()
      .strict()
      .default({}),
  })
  .strict()

export const RefundTransactionBody = z
  .object({
    data: z
      .object({
        amount: minorAmount("amount"),
        note: z.string({ error: "note must be a string." }).max(REFUND_NOTE_MAX_LENGTH, {
          error: `note must be at most ${REFUND_NOTE_MAX_LENGTH} characters: PayPal's limit for a refund's note_to_payer (Stripe keeps up to 500 characters in refund metadata); one limit for both gateways, so a note is never cut.`,
        }),
      })
      .partial()
      .strict()
      .default({}),
  })
  .strict()

export const CancelTransactionBody = z
  .object({ data: z.object({}).strict().default({}) })
  .partial()
  .strict()

/**
 * Reauthorize takes no options: the PSP renews the authorization for the amount Medusa's payment authorized. PayPal
 * would allow up to 115% (at most USD 75 more), but Medusa captures at most its payment's amount, so more would only
 * hold the buyer's funds for nothing, and less would leave Medusa's payment larger than what can be captured.
 */
export const ReauthorizeTransactionBody = z
  .object({ data: z.object({}).strict().default({}) })
  .partial()
  .strict()

export type CaptureTransactionBodyType = z.infer<typeof CaptureTransactionBody>
export type RefundTransactionBodyType = z.infer<typeof RefundTransactionBody>
