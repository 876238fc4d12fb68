/**
 * PayPal webhook signature verification, in one of two modes:
 *
 * - `api`: POST `/v1/notifications/verify-webhook-signature` on the same base URL the SDK client uses, with a bearer
 *   token from the client's `clientCredentialsAuthManager`. The SDK has no method for it, so it is a `fetch`. The raw
 *   delivery body is spliced in verbatim as `webhook_event`, so PayPal checks the exact bytes it signed.
 * - `certificate`: offline. The signed message is `transmission_id|transmission_time|webhook_id|crc32(raw body)`,
 *   checked with SHA256withRSA against the certificate at `paypal-cert-url`, which is only fetched from an allowed
 *   host (`certificateHosts`, plus the `apiBaseUrl` host when one is set) and must be within its validity dates. The
 *   transmission must be fresh (`paypal-transmission-time` within `TRANSMISSION_TOLERANCE_SECONDS` of now, as
 *   Stripe's signature tolerance): a captured delivery cannot be replayed later. Certificates are cached by host and
 *   path (at most `CERTIFICATE_CACHE_SIZE`, least recently used out first).
 *
 * Either throws an Error saying why the delivery cannot be trusted.
 */
import { createHash, X509Certificate, verify as verifySignature } from "node:crypto"
import type { Client, OAuthToken } from "@paypal/paypal-server-sdk"
import { crc32 } from "../../utils/crc32"

export interface PayPalWebhookVerifierOptions {
  mode: "api" | "certificate"
  /** Id of the webhook registered in the PayPal app; without it nothing verifies. */
  webhookId: string | undefined
  /** The API base URL the client talks to (`payPalApiBaseUrl(options)`). */
  apiBaseUrl: string
  /** Set when the provider's `apiBaseUrl` option is set: its host may serve certificates too. */
  customApiBaseUrl?: string
  certificateHosts: string[]
  client: Client
  timeoutMs: number
  fetch?: typeof fetch
  now?: () => number
}

/** How far `paypal-transmission-time` may be from now in certificate mode (Stripe's default tolerance is 300 s). */
export const TRANSMISSION_TOLERANCE_SECONDS = 300

/** Signing certificates kept in memory, by host and path. PayPal rotates a few; anything else is a bound. */
export const CERTIFICATE_CACHE_SIZE = 16

/**
 * One delivery is verified once: Medusa's webhook handler and the plugin's sync both verify the same delivery (same
 * bytes, same transmission headers) on the same provider, and the second asks PayPal nothing. Only successes are
 * remembered, for as long as a transmission stays fresh, and a bounded number of them.
 */
const VERIFIED_TTL_MS = TRANSMISSION_TOLERANCE_SECONDS * 1000
const VERIFIED_CACHE_SIZE = 1000

const HEADERS = {
  id: "paypal-transmission-id",
  time: "paypal-transmission-time",
  sig: "paypal-transmission-sig",
  certUrl: "paypal-cert-url",
  algo: "paypal-auth-algo",
} as const

type Transmission = Record<keyof typeof HEADERS, string>

function header(headers: Record<string, unknown>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name)
  const value = key === undefined ? undefined : headers[key]
  const text = Array.isArray(value) ? value[0] : value
  return typeof text === "string" && text.length > 0 ? text : undefined
}

export class PayPalWebhookVerifier {
  private token: OAuthToken | undefined
  private readonly certificates = new Map<string, X509Certificate>()
  private readonly verified = new Map<string, number>()

  constructor(private readonly options: PayPalWebhookVerifierOptions) {}

  async verify(raw: Buffer, headers: Record<string, unknown>): Promise<void> {
    if (!this.options.webhookId) {
      throw new Error("the provider has no webhookId option, so PayPal webhook signatures cannot be verified")
    }
    const t = {} as Transmission
    for (const [field, name] of Object.entries(HEADERS) as [keyof Transmission, string][]) {
      const value = header(headers, name)
      if (!value) {
        throw new Error(`the ${name} header is missing: not a signed PayPal webhook`)
      }
      t[field] = value
    }
    const now = (this.options.now ?? Date.now)()
    const key = createHash("sha256")
      .update(JSON.stringify([this.options.webhookId, t.id, t.time, t.sig, t.certUrl, t.algo]))
      .update(raw)
      .digest("hex")
    const at = this.verified.get(key)
    if (at !== undefined && now - at <= VERIFIED_TTL_MS) {
      if (this.options.mode === "certificate") {
        this.assertFresh(t, now)
      }
      return
    }
    if (this.options.mode === "api") {
      await this.verifyOnline(raw, t, this.options.webhookId)
    } else {
      await this.verifyOffline(raw, t, this.options.webhookId)
    }
    this.verified.delete(key)
    this.verified.set(key, now)
    while (this.verified.size > VERIFIED_CACHE_SIZE) {
      this.verified.delete(this.verified.keys().next().value!)
    }
  }

  /** Certificate mode: the transmission must be within `TRANSMISSION_TOLERANCE_SECONDS` of now. */
  private assertFresh(t: Transmission, now: number): void {
    const sentAt = Date.parse(t.time)
    if (Number.isNaN(sentAt)) {
      throw new Error("paypal-transmission-time is not a date")
    }
    if (Math.abs(now - sentAt) > TRANSMISSION_TOLERANCE_SECONDS * 1000) {
      throw new Error(
        `the transmission is stale or from the future (paypal-transmission-time ${t.time}, more than ${TRANSMISSION_TOLERANCE_SECONDS} s from now): a replayed delivery is not accepted`
      )
    }
  }

  private async verifyOnline(raw: Buffer, t: Transmission, webhookId: string): Promise<void> {
    const fields = JSON.stringify({
      auth_algo: t.algo,
      cert_url: t.certUrl,
      transmission_id: t.id,
      transmission_sig: t.sig,
      transmission_time: t.time,
      webhook_id: webhookId,
    })
    // Splice the exact delivered bytes in as webhook_event (never a re-serialisation).
    const body = `${fields.slice(0, -1)},"webhook_event":${raw.toString("utf8")}}`
    const fetchFn = this.options.fetch ?? fetch
    let response = await this.postVerification(fetchFn, body)
    if (response.status === 401) {
      this.token = undefined
      response = await this.postVerification(fetchFn, body)
    }
    const text = await response.text()
    if (!response.ok) {
      throw new Error(`PayPal's verify-webhook-signature answered HTTP ${response.status}: ${text.slice(0, 300)}`)
    }
    const status = (JSON.parse(text) as { verification_status?: string }).verification_status
    if (status !== "SUCCESS") {
      throw new Error(
        `PayPal's verify-webhook-signature answered ${status ?? "no status"}: the signature does not match`
      )
    }
  }

  private async postVerification(fetchFn: typeof fetch, body: string): Promise<Response> {
    this.token = await this.options.client.clientCredentialsAuthManager.updateToken(this.token)
    return fetchFn(`${this.options.apiBaseUrl}/v1/notifications/verify-webhook-signature`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${this.token.accessToken}` },
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs),
    })
  }

  private allowedCertificateUrl(url: URL): boolean {
    const custom = this.options.customApiBaseUrl ? new URL(this.options.customApiBaseUrl) : undefined
    if (custom && url.protocol === custom.protocol && url.host === custom.host) {
      return true
    }
    return (
      url.protocol === "https:" &&
      this.options.certificateHosts.some((h) => h.toLowerCase() === url.hostname.toLowerCase())
    )
  }

  private async verifyOffline(raw: Buffer, t: Transmission, webhookId: string): Promise<void> {
    if (t.algo !== "SHA256withRSA") {
      throw new Error(`unsupported paypal-auth-algo ${t.algo}: only SHA256withRSA is accepted`)
    }
    let url: URL
    try {
      url = new URL(t.certUrl)
    } catch {
      throw new Error("paypal-cert-url is not a URL")
    }
    if (!this.allowedCertificateUrl(url)) {
      throw new Error(`paypal-cert-url host ${url.host} is not an allowed certificate host (certificateHosts option)`)
    }
    const now = (this.options.now ?? Date.now)()
    this.assertFresh(t, now)
    const cert = await this.certificate(url)
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) {
      throw new Error(`the signing certificate is not valid now (valid ${cert.validFrom} to ${cert.validTo})`)
    }
    const message = `${t.id}|${t.time}|${webhookId}|${crc32(raw)}`
    let ok = false
    try {
      ok = verifySignature("sha256", Buffer.from(message), cert.publicKey, Buffer.from(t.sig, "base64"))
    } catch {
      ok = false
    }
    if (!ok) {
      throw new Error("the SHA256withRSA signature does not match the body, the transmission and the webhook id")
    }
  }

  private async certificate(url: URL): Promise<X509Certificate> {
    // By host and path: a query string or fragment neither changes the certificate nor grows the cache.
    const key = `${url.protocol}//${url.host}${url.pathname}`
    const cached = this.certificates.get(key)
    if (cached) {
      this.certificates.delete(key)
      this.certificates.set(key, cached)
      return cached
    }
    const response = await (this.options.fetch ?? fetch)(url.href, {
      signal: AbortSignal.timeout(this.options.timeoutMs),
    })
    if (!response.ok) {
      throw new Error(`fetching the signing certificate answered HTTP ${response.status}`)
    }
    let pem = (await response.text()).trim()
    if (pem.startsWith('"')) {
      // Some servers JSON-encode the PEM text.
      pem = JSON.parse(pem) as string
    }
    const cert = new X509Certificate(pem)
    this.certificates.set(key, cert)
    while (this.certificates.size > CERTIFICATE_CACHE_SIZE) {
      this.certificates.delete(this.certificates.keys().next().value!)
    }
    return cert
  }
}
