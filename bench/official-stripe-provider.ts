/**
 * The official `@medusajs/payment-stripe` provider, for the benchmark only, pointed at the PSP sandbox.
 *
 * The official provider builds `new Stripe(options.apiKey)` (stripe v15, its own dependency) with no host option, so
 * it can only reach api.stripe.com. This subclass changes nothing of its logic: it swaps the Stripe client for one
 * built by the same `stripe` package the official provider depends on, with the same defaults, plus the sandbox's
 * host, port and protocol. Registered as `pp_stripe_<id>` (its identifier stays `stripe`).
 */
import { createRequire } from "node:module"
import type { IPaymentProvider } from "@medusajs/framework/types"
import { ModuleProvider, Modules } from "@medusajs/framework/utils"

// Loaded at run time rather than imported: the official package's typings pull in stripe v15's, whose ambient
// `declare module "stripe"` would merge with the plugin's stripe v23 typings and break type-checking of src/.
const officialRequire = createRequire(require.resolve("@medusajs/payment-stripe/package.json"))
/** The official provider class (`pp_stripe_<id>`, identifier `stripe`). */
const OfficialStripeProviderService = (
  officialRequire("./dist/services/stripe-provider") as {
    default: new (cradle: Record<string, unknown>, options: BenchOfficialStripeOptions) => IPaymentProvider
  }
).default
/** The `stripe` package of @medusajs/payment-stripe (v15), not the plugin's (v23). */
const OfficialStripe = officialRequire("stripe") as new (key: string, config?: Record<string, unknown>) => unknown

export interface BenchOfficialStripeOptions {
  apiKey: string
  webhookSecret: string
  /** The sandbox, e.g. `http://127.0.0.1:12111`. */
  apiBaseUrl: string
  capture?: boolean
}

export class BenchOfficialStripeProviderService extends OfficialStripeProviderService {
  constructor(cradle: Record<string, unknown>, options: BenchOfficialStripeOptions) {
    super(cradle, options)
    const target = new URL(options.apiBaseUrl)
    // Only the host changes: same package, same key, same defaults (retries, timeout, telemetry) as the official one.
    ;(this as unknown as { stripe_: unknown }).stripe_ = new OfficialStripe(options.apiKey, {
      host: target.hostname,
      port: target.port || (target.protocol === "http:" ? "80" : "443"),
      protocol: target.protocol === "http:" ? "http" : "https",
    })
  }
}

export default ModuleProvider(Modules.PAYMENT, { services: [BenchOfficialStripeProviderService] })
