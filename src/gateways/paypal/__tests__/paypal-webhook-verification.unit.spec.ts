/**
 * PayPal webhook verification in certificate mode (offline: CRC-32 of the raw body, SHA256withRSA against the
 * certificate at `paypal-cert-url`). Deliveries are signed exactly as the PSP sandbox signs them, with its key and
 * certificate; the certificate is served by an injected fetch, so no server and no network are involved.
 */
import { generateKeyPairSync } from "node:crypto"
import { paypalSigningIdentity } from "../../../sandbox/paypal/certificate"
import { signTransmission } from "../../../sandbox/paypal/signature"
import { createPayPalClient } from "../paypal-client"
import {
  CERTIFICATE_CACHE_SIZE,
  PayPalWebhookVerifier,
  type PayPalWebhookVerifierOptions,
} from "../paypal-webhook-verification"

jest.setTimeout(30_000)

const WEBHOOK_ID = "WH-SANDBOX"
const SANDBOX_API = "http://127.0.0.1:12111/paypal"
const CERT_URL = `${SANDBOX_API}/v1/notifications/certs/${paypalSigningIdentity.certId()}`
const PAYPAL_HOSTS = ["api.paypal.com", "api.sandbox.paypal.com"]

const event = {
  id: "WH-1AB23456CD789012E-3FG45678HI901234J",
  event_version: "1.0",
  create_time: "2026-06-15T12:00:00.000Z",
  resource_type: "authorization",
  event_type: "PAYMENT.AUTHORIZATION.CREATED",
  resource: { id: "0VF52814937998046", status: "CREATED", amount: { currency_code: "USD", value: "70.00" } },
}
const RAW = Buffer.from(JSON.stringify(event))

let certificatePem: string

beforeAll(async () => {
  certificatePem = (await paypalSigningIdentity.certificates()).cert
})

const sign = (body: Buffer | string, overrides: { certUrl?: string; webhookId?: string; now?: number } = {}) =>
  signTransmission({
    body: body.toString(),
    webhookId: overrides.webhookId ?? WEBHOOK_ID,
    privateKey: paypalSigningIdentity.privateKey(),
    certUrl: overrides.certUrl ?? CERT_URL,
    now: overrides.now ?? Date.now(),
  })

/** A fetch that serves the sandbox certificate (as text, or JSON-encoded as some servers send it) and counts calls. */
function certificateFetch(encoding: "pem" | "json" = "pem") {
  const urls: string[] = []
  const fetchFn = (async (input: string | URL | Request) => {
    urls.push(String(input))
    return new Response(encoding === "json" ? JSON.stringify(certificatePem) : certificatePem, { status: 200 })
  }) as typeof fetch
  return { fetchFn, urls }
}

function verifier(options: Partial<PayPalWebhookVerifierOptions> = {}) {
  const { fetchFn, urls } = certificateFetch()
  const v = new PayPalWebhookVerifier({
    mode: "certificate",
    webhookId: WEBHOOK_ID,
    apiBaseUrl: SANDBOX_API,
    customApiBaseUrl: SANDBOX_API,
    certificateHosts: PAYPAL_HOSTS,
    client: createPayPalClient({ clientId: "id", clientSecret: "secret", environment: "sandbox", timeoutMs: 1000 }),
    timeoutMs: 1000,
    fetch: fetchFn,
    ...options,
  })
  return { v, urls }
}

describe("PayPal webhook verification, certificate mode", () => {
  it("accepts a delivery signed with the sandbox's certificate, and fetches the certificate once", async () => {
    const { v, urls } = verifier()
    await expect(v.verify(RAW, sign(RAW))).resolves.toBeUndefined()
    await expect(v.verify(RAW, sign(RAW))).resolves.toBeUndefined()
    expect(urls).toEqual([CERT_URL])
  })

  it("accepts the headers in any case and a JSON-encoded certificate", async () => {
    const { fetchFn } = certificateFetch("json")
    const { v } = verifier({ fetch: fetchFn })
    const upper = Object.fromEntries(Object.entries(sign(RAW)).map(([k, val]) => [k.toUpperCase(), val]))
    await expect(v.verify(RAW, upper)).resolves.toBeUndefined()
  })

  it("refuses a tampered body, another webhook id, and a signature made with another key", async () => {
    const headers = sign(RAW)
    const tampered = Buffer.from(RAW.toString().replace('"70.00"', '"0.01"'))
    const { v } = verifier()
    await expect(v.verify(tampered, headers)).rejects.toThrow(
      "the SHA256withRSA signature does not match the body, the transmission and the webhook id"
    )
    await expect(v.verify(RAW, sign(RAW, { webhookId: "WH-OTHER" }))).rejects.toThrow(/signature does not match/)
    const forged = signTransmission({
      body: RAW.toString(),
      webhookId: WEBHOOK_ID,
      privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
      certUrl: CERT_URL,
      now: Date.now(),
    })
    await expect(v.verify(RAW, forged)).rejects.toThrow(/signature does not match/)
  })

  it("refuses a certificate URL outside the allow-list without fetching it", async () => {
    // The sandbox's cert URL is only allowed because the provider's apiBaseUrl names its host.
    const { v: strict, urls: strictUrls } = verifier({ customApiBaseUrl: undefined })
    await expect(strict.verify(RAW, sign(RAW))).rejects.toThrow(
      "paypal-cert-url host 127.0.0.1:12111 is not an allowed certificate host (certificateHosts option)"
    )
    const { v, urls } = verifier()
    for (const certUrl of [
      "https://attacker.example.com/v1/notifications/certs/CERT-1",
      "https://api.paypal.com.attacker.example/certs/CERT-1",
      "http://api.paypal.com/v1/notifications/certs/CERT-1", // an allowed host, but not over https
      "https://127.0.0.1:12111/paypal/v1/notifications/certs/CERT-1", // the custom host, but another protocol
    ]) {
      await expect(v.verify(RAW, sign(RAW, { certUrl }))).rejects.toThrow(/is not an allowed certificate host/)
    }
    await expect(v.verify(RAW, sign(RAW, { certUrl: "not a url" }))).rejects.toThrow("paypal-cert-url is not a URL")
    expect([...strictUrls, ...urls]).toEqual([])
  })

  it("refuses another algorithm, a missing header, and a verifier without webhookId", async () => {
    const { v } = verifier()
    await expect(v.verify(RAW, { ...sign(RAW), "paypal-auth-algo": "SHA1withRSA" })).rejects.toThrow(
      "unsupported paypal-auth-algo SHA1withRSA: only SHA256withRSA is accepted"
    )
    const { "paypal-transmission-sig": _sig, ...unsigned } = sign(RAW)
    await expect(v.verify(RAW, unsigned)).rejects.toThrow(
      "the paypal-transmission-sig header is missing: not a signed PayPal webhook"
    )
    await expect(v.verify(RAW, {})).rejects.toThrow(/header is missing/)
    const { v: noId } = verifier({ webhookId: undefined })
    await expect(noId.verify(RAW, sign(RAW))).rejects.toThrow(/no webhookId option/)
  })

  it("refuses when the signing certificate is not valid at the time of verification", async () => {
    const at = Date.parse("2099-01-01T00:00:00Z")
    const { v } = verifier({ now: () => at })
    await expect(v.verify(RAW, sign(RAW, { now: at }))).rejects.toThrow(/the signing certificate is not valid now/)
  })

  it("refuses a transmission outside the freshness window (a replay), before fetching any certificate", async () => {
    const { v, urls } = verifier()
    const minutes = (n: number) => Date.now() + n * 60_000
    await expect(v.verify(RAW, sign(RAW, { now: minutes(-6) }))).rejects.toThrow(/stale or from the future/)
    await expect(v.verify(RAW, sign(RAW, { now: minutes(6) }))).rejects.toThrow(/stale or from the future/)
    await expect(v.verify(RAW, { ...sign(RAW), "paypal-transmission-time": "yesterday" })).rejects.toThrow(
      "paypal-transmission-time is not a date"
    )
    expect(urls).toEqual([])
    await expect(v.verify(RAW, sign(RAW, { now: minutes(-4) }))).resolves.toBeUndefined()
  })

  it("caches certificates by host and path (not query or fragment), with a bound", async () => {
    const { v, urls } = verifier()
    for (const suffix of ["", "?a=1", "?b=2#x"]) {
      await expect(v.verify(RAW, sign(RAW, { certUrl: `${CERT_URL}${suffix}` }))).resolves.toBeUndefined()
    }
    expect(urls).toHaveLength(1)
    // Many certificate paths (each one served): the cache keeps at most CERTIFICATE_CACHE_SIZE, so the first is
    // fetched again after the others pushed it out.
    for (let i = 0; i < CERTIFICATE_CACHE_SIZE + 1; i++) {
      await v.verify(RAW, sign(RAW, { certUrl: `${CERT_URL}-${i}` }))
    }
    const before = urls.length
    await v.verify(RAW, sign(RAW, { certUrl: CERT_URL }))
    expect(urls.length).toBe(before + 1)
    expect((v as unknown as { certificates: Map<string, unknown> }).certificates.size).toBe(CERTIFICATE_CACHE_SIZE)
  })
})
