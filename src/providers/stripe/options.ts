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
  })
  .strict()

export type StripeOptionsInput = z.input<typeof stripeOptionsSchema>
export type StripeOptions = z.output<typeof stripeOptionsSchema>
