import { signStripePayload } from "../../sandbox/stripe/signature"
import { PayPalProviderService } from "../paypal/service"
import { resolveSyncProvider } from "../provider-registry"
import { StripeProviderService } from "../stripe/service"
import { WebhookVerificationError } from "../webhook-sync-types"

const SECRET = "whsec_unit"

function provider(): StripeProviderService {
  return new StripeProviderService(
    {},
    { apiKey: "sk_test_unit", webhookSecret: SECRET, apiBaseUrl: "http://127.0.0.1:9" }
  )
}

function delivery(event: Record<string, unknown>, options: { secret?: string; at?: number; redis?: boolean } = {}) {
  const body = JSON.stringify(event)
  const at = options.at ?? Math.floor(Date.now() / 1000)
  const raw = Buffer.from(body)
  return {
    data: event,
    // Through the Redis event bus a Buffer arrives as its JSON form.
    rawData: (options.redis ? JSON.parse(JSON.stringify(raw)) : raw) as Buffer,
    headers: { "stripe-signature": signStripePayload(body, options.secret ?? SECRET, at) },
  }
}

const refundCreated = {
  id: "evt_1",
  object: "event",
  type: "refund.created",
  data: { object: { id: "re_1", object: "refund", charge: "ch_1", payment_intent: "pi_1", amount: 500 } },
}

describe("Stripe webhook verification for the sync", () => {
  it("reads the event kind from the unverified body only to skip what it does not sync", () => {
    const p = provider()
    expect(p.syncedEventKind(delivery(refundCreated))).toBe("refund")
    expect(p.syncedEventKind(delivery({ ...refundCreated, type: "charge.dispute.closed" }))).toBe("dispute")
    expect(p.syncedEventKind(delivery({ ...refundCreated, type: "payment_intent.succeeded" }))).toBeNull()
    expect(p.syncedEventKind({ data: undefined, rawData: Buffer.from(""), headers: {} } as never)).toBeNull()
  })

  it.each([false, true])(
    "verifies the HMAC over the raw body (Redis-serialised body: %s) and names the ids",
    async (redis) => {
      await expect(provider().verifyWebhookEvent(delivery(refundCreated, { redis }))).resolves.toEqual({
        gateway: "stripe",
        event_id: "evt_1",
        type: "refund.created",
        kind: "refund",
        object_id: "re_1",
        payment_reference: "pi_1",
        session_id: null,
        capture_id: "ch_1",
        dispute_id: null,
      })
      const dispute = {
        ...refundCreated,
        id: "evt_2",
        type: "charge.dispute.created",
        data: { object: { id: "du_1", object: "dispute", charge: { id: "ch_1" }, payment_intent: "pi_1" } },
      }
      await expect(provider().verifyWebhookEvent(delivery(dispute, { redis }))).resolves.toMatchObject({
        kind: "dispute",
        dispute_id: "du_1",
        capture_id: "ch_1",
      })
    }
  )

  it("rejects forged, stale, unsigned and tampered deliveries, without echoing the body", async () => {
    const p = provider()
    const cases = [
      delivery(refundCreated, { secret: "whsec_other" }),
      delivery(refundCreated, { at: Math.floor(Date.now() / 1000) - 3600 }),
      { ...delivery(refundCreated), headers: {} },
      { ...delivery(refundCreated), rawData: Buffer.from(JSON.stringify({ ...refundCreated, id: "evt_forged" })) },
    ]
    for (const payload of cases) {
      const error = await p.verifyWebhookEvent(payload).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(WebhookVerificationError)
      expect((error as Error).message).not.toContain("re_1")
    }
  })

  it("a genuine event the sync does not act on verifies to null", async () => {
    await expect(
      provider().verifyWebhookEvent(delivery({ ...refundCreated, type: "payment_intent.succeeded" }))
    ).resolves.toBeNull()
  })

  it("the registry finds the plugin's instance for a provider id or URL segment, and nothing of other providers", () => {
    const p = provider()
    const lookups: string[] = []
    const paymentModule = {
      paymentProviderService_: {
        retrieveProvider(id: string): unknown {
          lookups.push(id)
          if (id === "pp_stripe_eu") {
            return p
          }
          if (id === "pp_stripe_official") {
            // Another Stripe provider (the official one): not one of the plugin's instances.
            return { identifier: "stripe" }
          }
          throw new Error(`Could not resolve '${id}'`)
        },
      },
    }
    const container = { resolve: () => paymentModule } as never
    // The payment module's instance, by URL segment or provider id; remembered after the first lookup.
    expect(resolveSyncProvider(container, "stripe_eu")).toBe(p)
    expect(resolveSyncProvider(container, "pp_stripe_eu")).toBe(p)
    expect(lookups).toEqual(["pp_stripe_eu"])
    expect(p.pspName).toBe("stripe")
    // Providers that are not the plugin's: none (and a provider id of no plugin identifier is not even looked up).
    expect(resolveSyncProvider(container, "system_default")).toBeNull()
    expect(resolveSyncProvider(container, "pp_stripe_official")).toBeNull()
    expect(lookups).toEqual(["pp_stripe_eu", "pp_stripe_official"])

    // No payment module to ask: several Stripe instances in this process are ambiguous (none); the only PayPal
    // instance is the one.
    const bare = { resolve: () => ({}) } as never
    provider()
    expect(resolveSyncProvider(bare, "stripe_us")).toBeNull()
    const paypal = new PayPalProviderService(
      {},
      { clientId: "id", clientSecret: "s", webhookId: "WH-1", apiBaseUrl: "http://127.0.0.1:9/paypal" }
    )
    expect(resolveSyncProvider(bare, "paypal_paypal")).toBe(paypal)
    expect(resolveSyncProvider(bare, "paypal_other")).toBe(paypal)
  })
})

describe("PayPal verify endpoint that does not give a verdict", () => {
  // A stand-in for PayPal's API: OAuth answers a token, verify-webhook-signature answers what the test says.
  async function paypalApi(verifyStatus: number, verdict = "SUCCESS") {
    const { createServer } = await import("node:http")
    const verifyCalls: string[] = []
    const server = createServer((req, res) => {
      if (req.url?.includes("verify-webhook-signature")) {
        verifyCalls.push(req.url)
      }
      req.resume()
      req.on("end", () => {
        res.setHeader("content-type", "application/json")
        if (req.url?.includes("/v1/oauth2/token")) {
          res.end(JSON.stringify({ access_token: "A21", token_type: "Bearer", expires_in: 3600 }))
          return
        }
        res.statusCode = verifyStatus
        res.end(
          JSON.stringify(verifyStatus === 200 ? { verification_status: verdict } : { name: "RATE_LIMIT_REACHED" })
        )
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const { port } = server.address() as { port: number }
    return { url: `http://127.0.0.1:${port}`, verifyCalls, close: () => new Promise((r) => server.close(r)) }
  }

  /** The PayPal provider in `api` verification mode against the local stand-in for PayPal's API at `url`. */
  const providerAgainst = (url: string, options: { maxNetworkRetries?: number } = {}) =>
    new PayPalProviderService(
      {},
      { clientId: "id", clientSecret: "secret", webhookId: "WH-ID", apiBaseUrl: url, timeoutMs: 2000, ...options }
    )

  const event = { id: "WH-1", event_type: "PAYMENT.CAPTURE.REFUNDED", resource_type: "refund", resource: { id: "R1" } }
  const payload = () => ({
    data: event,
    rawData: Buffer.from(JSON.stringify(event)),
    headers: {
      "paypal-transmission-id": "t-1",
      "paypal-transmission-time": new Date().toISOString(),
      "paypal-transmission-sig": "c2ln",
      "paypal-cert-url": "https://api.paypal.com/v1/notifications/certs/CERT-1",
      "paypal-auth-algo": "SHA256withRSA",
    },
  })

  it.each([429, 500, 503])(
    "HTTP %s from verify-webhook-signature means try again later (not a forgery: the event is retried)",
    async (status) => {
      const api = await paypalApi(status)
      try {
        const p = providerAgainst(api.url, { maxNetworkRetries: 0 })
        const error = await p.verifyWebhookEvent(payload() as never).catch((e: Error) => e)
        expect(error).toBeInstanceOf(Error)
        expect(error).not.toBeInstanceOf(WebhookVerificationError)
        expect((error as Error).message).toMatch(/could not verify the webhook now.*nothing was changed/)
      } finally {
        await api.close()
      }
    }
  )

  it("one delivery is verified once: Medusa's handler and the sync share the verdict; another delivery asks again", async () => {
    const api = await paypalApi(200, "SUCCESS")
    try {
      const p = providerAgainst(api.url)
      const delivery = payload()
      await expect(p.getWebhookActionAndData(delivery as never)).resolves.toMatchObject({ action: "not_supported" })
      await expect(p.verifyWebhookEvent(delivery as never)).resolves.toMatchObject({ event_id: "WH-1" })
      expect(api.verifyCalls).toHaveLength(1)
      const other = payload()
      other.headers["paypal-transmission-id"] = "t-2"
      await p.verifyWebhookEvent(other as never)
      expect(api.verifyCalls).toHaveLength(2)
    } finally {
      await api.close()
    }
  })

  it("a FAILURE verdict is a forgery", async () => {
    const api = await paypalApi(200, "FAILURE")
    try {
      const p = providerAgainst(api.url)
      await expect(p.verifyWebhookEvent(payload() as never)).rejects.toBeInstanceOf(WebhookVerificationError)
    } finally {
      await api.close()
    }
  })
})
