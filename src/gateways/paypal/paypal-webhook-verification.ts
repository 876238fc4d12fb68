/**
 * PayPal webhook signature verification, in one of two modes:
 *
 * - `api`: POST `/v1/notifications/verify-webhook-signature` on the same base URL the SDK client uses, with a bearer
 *   token from the client's `clientCredentialsAuthManager`. The SDK has no method for it, so it is a `fetch`. The raw
 *   delivery body is spliced in verbatim as `webhook_event`, so PayPal checks the exact bytes it signed.
 * - `certificate`: offline. The signed message is `transmission_id|transmission_time|webhook_id|crc32(raw body)`,
 *   checked with SHA256withRSA against the certificate at `paypal-cert-url`, which is only fetched from an allowed
 *   host (`certificateHosts`, plus the `apiBaseUrl` host when one is set) and must be within its validity dates.
 *
 * Either throws an Error saying why the delivery cannot be trusted.
 */
import { X509Certificate, verify as verifySignature } from "node:crypto"
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
    if (this.options.mode === "api") {
      await this.verifyOnline(raw, t, this.options.webhookId)
    } else {
      await this.verifyOffline(raw, t, this.options.webhookId)
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
    const cert = await this.certificate(url)
    const now = (this.options.now ?? Date.now)()
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
    const cached = this.certificates.get(url.href)
    if (cached) {
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
    this.certificates.set(url.href, cert)
    return cert
  }
}
