/**
 * A real `@paypal/paypal-server-sdk` `Client`, optionally retargeted at another base URL (the PSP sandbox, a proxy).
 *
 * The SDK has no base-URL option: its environments are fixed to `https://api-m(.sandbox).paypal.com`. This subclass
 * rewrites the URL of every request the SDK builds, including the OAuth token requests its
 * `ClientCredentialsAuthManager` makes, through the public `getRequestBuilderFactory` / `interceptRequest` API.
 * Caveat: `client.withConfiguration()` returns a plain `Client`, without the retargeting.
 */
import { Client, Environment, type Configuration } from "@paypal/paypal-server-sdk"

/** The base URLs the SDK uses for its environments. */
export const PAYPAL_SDK_BASE_URLS = ["https://api-m.sandbox.paypal.com", "https://api-m.paypal.com"] as const

type RequestBuilderFactory = ReturnType<Client["getRequestBuilderFactory"]>

export function createPayPalClient(config: Partial<Configuration>, baseUrl?: string): Client {
  if (!baseUrl) {
    return new Client(config)
  }
  let parsed: URL
  try {
    parsed = new URL(baseUrl)
  } catch {
    throw new Error(`createPayPalClient: baseUrl must be an absolute http(s) URL, got "${baseUrl}".`)
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`createPayPalClient: baseUrl must be an http(s) URL, got "${baseUrl}".`)
  }
  const base = baseUrl.replace(/\/+$/, "")

  // The override runs inside `super()` (the Client constructor builds its OAuth controller), so it may only use
  // values from this closure, never fields of the subclass.
  class RetargetedPayPalClient extends Client {
    override getRequestBuilderFactory(): RequestBuilderFactory {
      const inner = super.getRequestBuilderFactory()
      return (...args: Parameters<RequestBuilderFactory>) => {
        const builder = inner(...args)
        builder.interceptRequest((request) => {
          const from = PAYPAL_SDK_BASE_URLS.find((b) => request.url.startsWith(b))
          return from ? { ...request, url: base + request.url.slice(from.length) } : request
        })
        return builder
      }
    }
  }
  return new RetargetedPayPalClient({ environment: Environment.Sandbox, ...config })
}
