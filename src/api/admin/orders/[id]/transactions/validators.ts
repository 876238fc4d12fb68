import { z } from "@medusajs/framework/zod"

/**
 * Bodies of the transaction routes. Elastic Path wraps them in `data`; unknown fields are refused so a typo never
 * silently captures the wrong amount. Amounts are integers in the currency's minor unit.
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
        custom_reference: z.string({ error: "custom_reference must be a string." }).max(255, {
          error: "custom_reference must be at most 255 characters.",
        }),
        capture_mechanism: z.literal("manual", { error: 'capture_mechanism must be "manual" when given.' }),
        capture_amount: minorAmount("capture_amount"),
        capture_type: z.enum(["final", "non-final"], { error: 'capture_type must be "final" or "non-final".' }),
        capture_statement_descriptor: z
          .string({ error: "capture_statement_descriptor must be a string." })
          .min(1, { error: "capture_statement_descriptor must not be empty." })
          .max(22, { error: "capture_statement_descriptor must be at most 22 characters (card networks' limit)." })
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
        note: z
          .string({ error: "note must be a string." })
          .max(1000, { error: "note must be at most 1000 characters." }),
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

export type CaptureTransactionBodyType = z.infer<typeof CaptureTransactionBody>
export type RefundTransactionBodyType = z.infer<typeof RefundTransactionBody>
