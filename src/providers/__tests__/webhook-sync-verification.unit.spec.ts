import { signStripePayload } from "../../sandbox/stripe/signature"
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

  it("the registry knows the instances by identifier, and nothing of other providers", () => {
    const p = provider()
    const container = { resolve: () => ({}) } as never
    expect(resolveSyncProvider(container, "system_default")).toBeNull()
    // Several Stripe instances in this process and no payment module to ask: ambiguous, so none.
    provider()
    expect(resolveSyncProvider(container, "stripe_other")).toBeNull()
    expect(p.pspName).toBe("stripe")
  })
})
