import Stripe from "stripe"

export interface StripeClientOptions {
  apiKey: string
  apiBaseUrl?: string
  maxNetworkRetries: number
  timeoutMs: number
}

/**
 * A Stripe SDK client. `apiBaseUrl` (e.g. the sandbox's `http://127.0.0.1:12111`) becomes the SDK's host, port and
 * protocol. The API version is the one the SDK pins. The SDK retries network errors, 5xx and 409 with backoff,
 * reusing the request's idempotency key, and never retries other 4xx.
 */
export function createStripeClient(options: StripeClientOptions): Stripe {
  const target = options.apiBaseUrl ? new URL(options.apiBaseUrl) : undefined
  return new Stripe(options.apiKey, {
    maxNetworkRetries: options.maxNetworkRetries,
    timeout: options.timeoutMs,
    telemetry: false,
    appInfo: { name: "medusa-payment-orchestrator" },
    ...(target
      ? {
          host: target.hostname,
          port: target.port || (target.protocol === "http:" ? "80" : "443"),
          protocol: target.protocol === "http:" ? "http" : "https",
        }
      : {}),
  })
}
