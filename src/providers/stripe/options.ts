import { z } from "@medusajs/framework/zod"

export const stripeOptionsSchema = z
  .object({
    /** Secret (`sk_…`) or restricted (`rk_…`) API key. */
    apiKey: z
      .string({ error: "apiKey is required (your Stripe secret key, sk_…)" })
      .regex(/^(sk|rk)_/, "apiKey must be a Stripe secret or restricted key (sk_… or rk_…)"),
    /** Signing secret of the webhook endpoint (`whsec_…`). Webhooks are rejected without it. */
    webhookSecret: z.string().startsWith("whsec_", "webhookSecret must start with whsec_").optional(),
    /** Capture at authorization (true) or authorize only and capture later (false, the default). */
    capture: z.boolean().default(false),
    /** Full URL of another Stripe API host, such as the sandbox (`http://127.0.0.1:12111`). */
    apiBaseUrl: z.string().url("apiBaseUrl must be a full URL such as http://127.0.0.1:12111").optional(),
    /** Default statement descriptor suffix for captures (at most 22 characters). */
    statementDescriptor: z.string().min(1).max(22).optional(),
    /** Retries of network errors, 5xx and 409 answers, with the same idempotency key. */
    maxNetworkRetries: z.number().int().min(0).max(10).default(2),
    /** Timeout of one request to Stripe, in milliseconds. */
    timeoutMs: z.number().int().positive().default(20_000),
    /**
     * The Payment Element offers the methods enabled in the Stripe Dashboard (`true`, or `{ allowRedirects }` to keep
     * out methods that redirect the buyer). Exclusive with `paymentMethodTypes`.
     */
    automaticPaymentMethods: z
      .union([z.boolean(), z.object({ allowRedirects: z.enum(["always", "never"]) }).strict()], {
        error: 'automaticPaymentMethods must be true, false or { allowRedirects: "always" | "never" }',
      })
      .optional(),
    /**
     * Exactly these payment method types (`card`, `ideal`, `klarna`, …). With manual capture, the ones Stripe cannot
     * capture later (iDEAL, Bancontact, SEPA Debit, …) are captured when the buyer pays.
     */
    paymentMethodTypes: z
      .array(z.string().regex(/^[a-z][a-z0-9_]*$/, "paymentMethodTypes holds Stripe type names such as card or ideal"))
      .min(1, "paymentMethodTypes needs at least one type (card, ideal, …), or leave it out")
      .optional(),
    /** The PaymentIntent's description (Stripe Dashboard, some receipts), at most 1000 characters. */
    paymentDescription: z.string().min(1).max(1000).optional(),
  })
  .strict()
  .refine((o) => !(o.paymentMethodTypes && o.automaticPaymentMethods), {
    message:
      "automaticPaymentMethods and paymentMethodTypes exclude each other: keep automaticPaymentMethods to offer the methods enabled in the Stripe Dashboard, or paymentMethodTypes to offer exactly that list",
    path: ["paymentMethodTypes"],
  })

export type StripeOptionsInput = z.input<typeof stripeOptionsSchema>
export type StripeOptions = z.output<typeof stripeOptionsSchema>
