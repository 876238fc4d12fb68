import { z } from "@medusajs/framework/zod"

export const paypalOptionsSchema = z
  .object({
    clientId: z.string({ error: "clientId is required (your PayPal REST app's client id)" }).min(1),
    clientSecret: z.string({ error: "clientSecret is required (your PayPal REST app's secret)" }).min(1),
    /** Id of the webhook registered in the PayPal app; needed to verify webhook signatures. */
    webhookId: z.string().min(1).optional(),
    environment: z.enum(["sandbox", "live"]).default("sandbox"),
    /** Full URL of another PayPal API host, such as the sandbox (`http://127.0.0.1:12111/paypal`). */
    apiBaseUrl: z.string().url("apiBaseUrl must be a full URL such as http://127.0.0.1:12111/paypal").optional(),
    /** Capture at approval (intent CAPTURE) rather than authorize and capture later (false, the default). */
    capture: z.boolean().default(false),
    /** Default soft descriptor for captures (at most 22 characters). */
    softDescriptor: z.string().min(1).max(22).optional(),
    /** Timeout of one request to PayPal, in milliseconds (the SDK has none by default). */
    timeoutMs: z.number().int().positive().default(20_000),
    /** Retries of network errors, 5xx and 409 answers, with the same PayPal-Request-Id. */
    maxNetworkRetries: z.number().int().min(0).max(10).default(2),
    /**
     * How webhook signatures are verified: `api` calls PayPal's verify-webhook-signature endpoint (default);
     * `certificate` checks the RSA signature and CRC32 offline against the certificate from an allowed host.
     */
    webhookVerification: z.enum(["api", "certificate"]).default("api"),
    /** Hosts the signing certificate may come from, in `certificate` mode. */
    certificateHosts: z.array(z.string().min(1)).default(["api.paypal.com", "api.sandbox.paypal.com"]),
  })
  .strict()

export type PayPalOptionsInput = z.input<typeof paypalOptionsSchema>
export type PayPalOptions = z.output<typeof paypalOptionsSchema>
