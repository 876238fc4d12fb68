/**
 * A real `@paypal/paypal-server-sdk` `Client`, optionally retargeted at another base URL (the PSP sandbox, a proxy).
 *
 * The SDK has no base-URL option: its environments are fixed to `https://api-m(.sandbox).paypal.com`. This subclass
 * rewrites the URL of every request the SDK builds, including the OAuth token requests its
 * `ClientCredentialsAuthManager` makes, through the public `getRequestBuilderFactory` / `interceptRequest` API.
 * Caveat: `client.withConfiguration()` returns a plain `Client`, without the retargeting.
 *
 * The SDK's own retries stay off: with retries on, its retry loop treats `throwOn` errors (4xx included) as timeouts
 * and retries them. The gateway retries instead (`../retry.ts`), reusing the same PayPal-Request-Id.
 */
import { Client, Environment, type Configuration } from "@paypal/paypal-server-sdk"

/** The base URLs the SDK uses for its environments. */
export const PAYPAL_SDK_BASE_URLS = ["https://api-m.sandbox.paypal.com", "https://api-m.paypal.com"] as const

/** The provider options the client needs. */
export interface PayPalClientOptions {
  clientId: string
  clientSecret: string
  environment: "sandbox" | "live"
  /** Full URL of another PayPal API host (the sandbox: `http://127.0.0.1:12111/paypal`). */
  apiBaseUrl?: string
  timeoutMs: number
}

type RequestBuilderFactory = ReturnType<Client["getRequestBuilderFactory"]>

/** SDK retries off (see the file comment). */
const NO_SDK_RETRIES = { maxNumberOfRetries: 0, maximumRetryWaitTime: 0, retryOnTimeout: false }

/** The base URL the client talks to: `apiBaseUrl` when set, else PayPal's live or sandbox API host. */
export function payPalApiBaseUrl(options: Pick<PayPalClientOptions, "environment" | "apiBaseUrl">): string {
  if (options.apiBaseUrl) {
    return options.apiBaseUrl.replace(/\/+$/, "")
  }
  return options.environment === "live" ? PAYPAL_SDK_BASE_URLS[1] : PAYPAL_SDK_BASE_URLS[0]
}

/** A client from the provider options: timeout, environment, credentials, SDK retries off, optional retargeting. */
export function createPayPalClient(options: PayPalClientOptions): Client
/** A client from an SDK configuration, retargeted at `baseUrl` when given (the sandbox's tests use this form). */
export function createPayPalClient(config: Partial<Configuration>, baseUrl?: string): Client
export function createPayPalClient(arg: PayPalClientOptions | Partial<Configuration>, baseUrl?: string): Client {
  if (isProviderOptions(arg)) {
    return createPayPalClient(
      {
        timeout: arg.timeoutMs,
        environment: arg.environment === "live" ? Environment.Production : Environment.Sandbox,
        clientCredentialsAuthCredentials: { oAuthClientId: arg.clientId, oAuthClientSecret: arg.clientSecret },
        httpClientOptions: { retryConfig: NO_SDK_RETRIES },
      },
      arg.apiBaseUrl
    )
  }
  const config = arg
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

function isProviderOptions(arg: PayPalClientOptions | Partial<Configuration>): arg is PayPalClientOptions {
  return typeof (arg as PayPalClientOptions).clientId === "string"
}
