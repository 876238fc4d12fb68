import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import Stripe from "stripe"
import { SandboxControlClient } from "../core/control-client"
import { SandboxServer } from "../core/server"
import { resolveSandboxOptions, startSandbox } from "../index"
import { createStripeFake } from "../stripe"
import { StripeSandboxControl } from "../stripe/control-client"

jest.setTimeout(20_000)

let url: string
let close: () => Promise<void>
let control: SandboxControlClient
let sc: StripeSandboxControl
let stripe: Stripe
let port: number

function client(options: Partial<{ maxNetworkRetries: number; key: string }> = {}): Stripe {
  return new Stripe(options.key ?? "sk_test_sandbox", {
    host: "127.0.0.1",
    port,
    protocol: "http",
    maxNetworkRetries: options.maxNetworkRetries ?? 0,
    timeout: 5000,
    telemetry: false,
  })
}

beforeAll(async () => {
  try {
    const sandbox = await startSandbox()
    url = sandbox.url
    close = sandbox.close
  } catch {
    // The PayPal fake may not be there yet: run the Stripe fake alone.
    const server = new SandboxServer(resolveSandboxOptions(), [createStripeFake])
    url = await server.listen()
    close = () => server.close()
  }
  port = Number(new URL(url).port)
  control = new SandboxControlClient(url)
  sc = new StripeSandboxControl(control)
  stripe = client()
})

afterAll(async () => {
  await close()
})

beforeEach(async () => {
  await control.reset()
})

async function authorized(
  amount = 5000,
  currency = "usd",
  extra: Stripe.PaymentIntentCreateParams = { amount, currency },
  paymentMethod = "pm_card_visa"
) {
  return stripe.paymentIntents.create({
    ...extra,
    amount,
    currency,
    capture_method: "manual",
    confirm: true,
    payment_method: paymentMethod,
    automatic_payment_methods: { enabled: true, allow_redirects: "never" },
  })
}

async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise
  } catch (e) {
    return e as Stripe.errors.StripeError
  }
  throw new Error("expected the call to fail")
}

describe("Stripe sandbox: PaymentIntents", () => {
  it("authorizes, partially captures (multicapture) and finally captures without creating refunds", async () => {
    const pi = await authorized(
      5000,
      "usd",
      {
        amount: 5000,
        currency: "usd",
        metadata: { order: "42" },
        payment_method_options: { card: { request_multicapture: "if_available" } },
      },
      "pm_card_visa_multicapture"
    )
    expect(pi.status).toBe("requires_capture")
    expect(pi.amount_capturable).toBe(5000)
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`))
    expect(pi.payment_method).toMatch(/^pm_/)
    expect(typeof pi.latest_charge).toBe("string")

    const first = await stripe.paymentIntents.capture(pi.id, {
      amount_to_capture: 2000,
      final_capture: false,
      statement_descriptor_suffix: "ORDER42",
      metadata: { capture_no: "1" },
    })
    expect(first.status).toBe("requires_capture")
    expect(first.amount_received).toBe(2000)
    expect(first.amount_capturable).toBe(3000)
    expect(first.statement_descriptor_suffix).toBe("ORDER42")
    expect(first.metadata).toEqual({ order: "42", capture_no: "1" })

    const tooMuch = await rejection(stripe.paymentIntents.capture(pi.id, { amount_to_capture: 4000 }))
    expect(tooMuch.code).toBe("amount_too_large")

    const last = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1000 })
    expect(last.status).toBe("succeeded")
    expect(last.amount_received).toBe(3000)
    expect(last.amount_capturable).toBe(0)

    const refunds = await stripe.refunds.list({ payment_intent: pi.id })
    expect(refunds.data).toHaveLength(0)
    const expanded = await stripe.paymentIntents.retrieve(pi.id, { expand: ["latest_charge"] })
    const charge = expanded.latest_charge as Stripe.Charge
    expect(charge.object).toBe("charge")
    expect(charge.amount_captured).toBe(3000)
    expect(charge.captured).toBe(true)
    expect(charge.calculated_statement_descriptor).toBe("SANDBOX* ORDER42")
    const inspection = await sc.inspectPaymentIntent(pi.id)
    expect(inspection.captures.map((c) => [c.amount, c.final])).toEqual([
      [2000, false],
      [1000, true],
    ])
  })

  it("refuses to capture a canceled intent and expires authorizations", async () => {
    const pi = await authorized()
    const canceled = await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: "abandoned" })
    expect(canceled.status).toBe("canceled")
    const err = await rejection(stripe.paymentIntents.capture(pi.id))
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError)
    expect(err.code).toBe("payment_intent_unexpected_state")
    expect(err.statusCode).toBe(400)
    expect((err.raw as { payment_intent?: { status: string } }).payment_intent?.status).toBe("canceled")
    expect(err.requestId).toMatch(/^req_/)

    const other = await authorized()
    const expired = await sc.expirePaymentIntent(other.id)
    expect(expired.status).toBe("canceled")
    expect(expired.cancellation_reason).toBe("expired")
    const events = await stripe.events.list({ type: "payment_intent.canceled" })
    expect(events.data.map((e) => (e.data.object as Stripe.PaymentIntent).id)).toContain(other.id)

    // Advancing the sandbox clock past capture_before lets the authorization lapse by itself.
    const third = await authorized()
    await control.advanceClock(8 * 86400)
    const lapsed = await stripe.paymentIntents.retrieve(third.id)
    expect(lapsed.status).toBe("canceled")
    expect(lapsed.cancellation_reason).toBe("expired")

    const succeeded = await stripe.paymentIntents.create({
      amount: 100,
      currency: "usd",
      confirm: true,
      payment_method: "pm_card_visa",
    })
    expect(succeeded.status).toBe("succeeded")
    expect((await rejection(stripe.paymentIntents.cancel(succeeded.id))).code).toBe("payment_intent_unexpected_state")
  })

  it("declines test cards with Stripe's card errors", async () => {
    const err = await rejection(
      stripe.paymentIntents.create({
        amount: 5000,
        currency: "usd",
        confirm: true,
        payment_method: "pm_card_chargeDeclined",
      })
    )
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError)
    expect(err.statusCode).toBe(402)
    expect(err.code).toBe("card_declined")
    expect(err.decline_code).toBe("generic_decline")
    const pi = (err.raw as { payment_intent: Stripe.PaymentIntent }).payment_intent
    expect(pi.status).toBe("requires_payment_method")
    expect(pi.last_payment_error?.code).toBe("card_declined")

    const created = await stripe.paymentIntents.create({ amount: 700, currency: "eur", capture_method: "manual" })
    expect(created.status).toBe("requires_payment_method")
    const funds = await rejection(
      stripe.paymentIntents.confirm(created.id, { payment_method: "pm_card_insufficientFunds" })
    )
    expect(funds.decline_code).toBe("insufficient_funds")
    // A new card on the same intent works.
    const retried = await stripe.paymentIntents.confirm(created.id, { payment_method: "pm_card_mastercard" })
    expect(retried.status).toBe("requires_capture")
  })

  it("runs 3-D Secure through requires_action and the control route; off-session 3DS fails", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 2500,
      currency: "eur",
      capture_method: "manual",
      confirm: true,
      payment_method: "pm_card_threeDSecure2Required",
      return_url: "https://shop.example/return",
    })
    expect(pi.status).toBe("requires_action")
    expect(pi.next_action?.type).toBe("use_stripe_sdk")
    const passed = await sc.completeThreeDSecure(pi.id, "pass")
    expect(passed.status).toBe("requires_capture")

    const failing = await stripe.paymentIntents.create({
      amount: 2500,
      currency: "eur",
      confirm: true,
      payment_method: "pm_card_authenticationRequired",
    })
    const failed = await sc.completeThreeDSecure(failing.id, "fail")
    expect(failed.status).toBe("requires_payment_method")
    expect(failed.last_payment_error?.code).toBe("payment_intent_authentication_failure")

    const customer = await stripe.customers.create({ email: "buyer@example.com" })
    const pm = await stripe.paymentMethods.attach("pm_card_threeDSecure2Required", { customer: customer.id })
    const offSession = await rejection(
      stripe.paymentIntents.create({
        amount: 900,
        currency: "eur",
        customer: customer.id,
        payment_method: pm.id,
        off_session: true,
        confirm: true,
      })
    )
    expect(offSession.code).toBe("authentication_required")
  })

  it("lets Stripe.js confirm with the publishable key and the client secret only", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1200, currency: "usd", capture_method: "manual" })
    const browser = client({ key: "pk_test_sandbox" })
    const confirmed = await browser.paymentIntents.confirm(pi.id, {
      payment_method: "pm_card_visa",
      client_secret: pi.client_secret ?? "",
    } as Stripe.PaymentIntentConfirmParams)
    expect(confirmed.status).toBe("requires_capture")
    const denied = await rejection(browser.paymentIntents.capture(pi.id))
    expect(denied.statusCode).toBe(401)
    const wrong = await rejection(client({ key: "sk_test_wrongkey1234" }).paymentIntents.list())
    expect(wrong).toBeInstanceOf(Stripe.errors.StripeAuthenticationError)
    expect(wrong.message).toBe("Invalid API Key provided: sk_test_****1234")
  })
})

describe("Stripe sandbox: idempotency and faults", () => {
  it("replays the same key and body, refuses the same key with another body", async () => {
    const pi = await authorized()
    const first = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1000 }, { idempotencyKey: "cap-1" })
    const again = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1000 }, { idempotencyKey: "cap-1" })
    expect(again).toEqual(first)
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true")
    expect((await sc.inspectPaymentIntent(pi.id)).captures).toHaveLength(1)

    const other = await rejection(
      stripe.paymentIntents.capture(pi.id, { amount_to_capture: 500 }, { idempotencyKey: "cap-1" })
    )
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError)
    expect(other.message).toContain("'cap-1'")
  })

  it("captures once when the answer is lost and the SDK retries with the same key", async () => {
    const pi = await authorized()
    await control.addFault({ psp: "stripe", path: "/capture", kind: "status", status: 500, phase: "after" })
    const captured = await client({ maxNetworkRetries: 1 }).paymentIntents.capture(
      pi.id,
      {},
      { idempotencyKey: "cap-lost" }
    )
    expect(captured.status).toBe("succeeded")
    expect(captured.amount_received).toBe(5000)
    const inspection = await sc.inspectPaymentIntent(pi.id)
    expect(inspection.captures).toHaveLength(1)
    const calls = await control.requests({ psp: "stripe", path: "/capture" })
    expect(calls.map((c) => [c.status, c.replayed])).toEqual([
      [500, false],
      [200, true],
    ])
  })
})

describe("Stripe sandbox: refunds", () => {
  it("refunds partially, fully, and refuses over-refunds", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 3000,
      currency: "usd",
      confirm: true,
      payment_method: "pm_card_visa",
    })
    const partial = await stripe.refunds.create({
      payment_intent: pi.id,
      amount: 1000,
      reason: "requested_by_customer",
      metadata: { n: "1" },
    })
    expect(partial.status).toBe("succeeded")
    expect(partial.amount).toBe(1000)
    const over = await rejection(stripe.refunds.create({ payment_intent: pi.id, amount: 2500 }))
    expect(over.code).toBe("amount_too_large")
    const rest = await stripe.refunds.create({ payment_intent: pi.id })
    expect(rest.amount).toBe(2000)
    const done = await rejection(stripe.refunds.create({ payment_intent: pi.id, amount: 1 }))
    expect(done.code).toBe("charge_already_refunded")
    const charge = await stripe.paymentIntents
      .retrieve(pi.id, { expand: ["latest_charge"] })
      .then((p) => p.latest_charge as Stripe.Charge)
    expect(charge.amount_refunded).toBe(3000)
    expect(charge.refunded).toBe(true)
    expect((await stripe.refunds.list({ charge: charge.id })).data.map((r) => r.id)).toEqual([rest.id, partial.id])
    const updated = await stripe.refunds.update(partial.id, { metadata: { note: "x" } })
    expect(updated.metadata).toEqual({ n: "1", note: "x" })

    const uncaptured = await authorized()
    expect((await rejection(stripe.refunds.create({ payment_intent: uncaptured.id }))).statusCode).toBe(400)
  })

  it("handles zero-decimal JPY, three-decimal KWD and whole-króna ISK amounts", async () => {
    const yen = await stripe.paymentIntents.create({
      amount: 1500,
      currency: "jpy",
      confirm: true,
      payment_method: "pm_card_visa",
    })
    expect(yen.amount_received).toBe(1500)
    const r = await stripe.refunds.create({ payment_intent: yen.id, amount: 499 })
    expect(r.amount).toBe(499)
    expect(r.currency).toBe("jpy")

    const kwdBad = await rejection(stripe.paymentIntents.create({ amount: 12345, currency: "kwd" }))
    expect(kwdBad).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError)
    expect(kwdBad.param).toBe("amount")
    const kwd = await stripe.paymentIntents.create({
      amount: 12340,
      currency: "kwd",
      confirm: true,
      payment_method: "pm_card_visa",
    })
    expect((await rejection(stripe.refunds.create({ payment_intent: kwd.id, amount: 1005 }))).param).toBe("amount")
    expect((await stripe.refunds.create({ payment_intent: kwd.id, amount: 1000 })).amount).toBe(1000)

    // ISK: two-decimal in the API, whole króna only.
    const iskBad = await rejection(stripe.paymentIntents.create({ amount: 150050, currency: "isk" }))
    expect(iskBad).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError)
    expect(iskBad.param).toBe("amount")
    const isk = await stripe.paymentIntents.create({
      amount: 150000,
      currency: "isk",
      confirm: true,
      payment_method: "pm_card_visa",
    })
    expect(isk.amount_received).toBe(150000)
    expect((await rejection(stripe.refunds.create({ payment_intent: isk.id, amount: 1050 }))).param).toBe("amount")
  })

  it("records dashboard refunds and refunds that fail later", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 4000,
      currency: "usd",
      confirm: true,
      payment_method: "pm_card_visa",
    })
    const refund = await sc.dashboardRefund({ payment_intent: pi.id, amount: 1500 })
    expect(refund.status).toBe("succeeded")
    const failed = await sc.failRefund(refund.id, "expired_or_canceled_card")
    expect(failed.status).toBe("failed")
    expect(failed.failure_reason).toBe("expired_or_canceled_card")
    expect((await stripe.refunds.retrieve(refund.id)).status).toBe("failed")
    const charge = (await sc.inspectPaymentIntent(pi.id)).charges[0]
    expect(charge.amount_refunded).toBe(0)
    const types = (await stripe.events.list({ limit: 100 })).data.map((e) => e.type)
    expect(types).toEqual(
      expect.arrayContaining(["refund.created", "charge.refunded", "refund.failed", "refund.updated"])
    )
  })
})

describe("Stripe sandbox: customers, saved cards, disputes", () => {
  it("saves a card with a SetupIntent and charges it off-session", async () => {
    const customer = await stripe.customers.create({ email: "a@example.com", metadata: { medusa: "cus_1" } })
    expect(customer.id).toMatch(/^cus_/)
    const si = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: "pm_card_visa",
      confirm: true,
      usage: "off_session",
    })
    expect(si.status).toBe("succeeded")
    const pms = await stripe.paymentMethods.list({ customer: customer.id, type: "card" })
    expect(pms.data).toHaveLength(1)
    expect(pms.data[0].card?.last4).toBe("4242")
    expect(pms.data[0].id).toBe(si.payment_method)
    const viaCustomer = await stripe.customers.listPaymentMethods(customer.id)
    expect(viaCustomer.data.map((p) => p.id)).toEqual([si.payment_method])

    const mit = await stripe.paymentIntents.create({
      amount: 2000,
      currency: "usd",
      customer: customer.id,
      payment_method: si.payment_method as string,
      off_session: true,
      confirm: true,
    })
    expect(mit.status).toBe("succeeded")
    expect((await stripe.paymentIntents.list({ customer: customer.id })).data.map((p) => p.id)).toEqual([mit.id])

    const detached = await stripe.paymentMethods.detach(si.payment_method as string)
    expect(detached.customer).toBeNull()
    const updated = await stripe.customers.update(customer.id, { name: "Ada" })
    expect(updated.name).toBe("Ada")
    const deleted = await stripe.customers.del(customer.id)
    expect(deleted.deleted).toBe(true)
  })

  it("opens disputes, refuses refunds while open, closes them won or lost", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 6000,
      currency: "usd",
      confirm: true,
      payment_method: "pm_card_visa",
    })
    const dispute = await sc.openDispute({ payment_intent: pi.id, reason: "product_not_received" })
    expect(dispute.status).toBe("needs_response")
    expect(dispute.evidence_details.due_by).toBeGreaterThan(0)
    const refused = await rejection(stripe.refunds.create({ payment_intent: pi.id }))
    expect(refused.code).toBe("charge_disputed")
    const updated = await stripe.disputes.update(dispute.id, {
      evidence: { uncategorized_text: "shipped" },
      metadata: { a: "1" },
    })
    expect(updated.status).toBe("under_review")
    const won = await sc.closeDispute(dispute.id, "won")
    expect(won.status).toBe("won")
    expect((await stripe.disputes.list({ payment_intent: pi.id })).data[0].status).toBe("won")
    expect((await stripe.refunds.create({ payment_intent: pi.id, amount: 100 })).status).toBe("succeeded")

    const other = await stripe.paymentIntents.create({
      amount: 800,
      currency: "usd",
      confirm: true,
      payment_method: "pm_card_visa",
    })
    const d2 = await sc.openDispute({ payment_intent: other.id })
    expect((await sc.updateDisputeStatus(d2.id, "under_review")).status).toBe("under_review")
    const lost = await stripe.disputes.close(d2.id)
    expect(lost.status).toBe("lost")
    const types = (await stripe.events.list({ limit: 100 })).data.map((e) => e.type)
    expect(types.filter((t) => t.startsWith("charge.dispute."))).toEqual(
      expect.arrayContaining([
        "charge.dispute.created",
        "charge.dispute.funds_withdrawn",
        "charge.dispute.updated",
        "charge.dispute.closed",
        "charge.dispute.funds_reinstated",
      ])
    )
    expect(await sc.state()).toMatchObject({ disputes: 2 })
  })
})

describe("Stripe sandbox: webhooks", () => {
  let receiver: Server
  let received: Array<{ body: string; signature: string }>
  let hookUrl: string

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        received.push({
          body: Buffer.concat(chunks).toString("utf8"),
          signature: String(req.headers["stripe-signature"]),
        })
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve))
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/stripe`
  })

  afterAll(async () => {
    await control.configureWebhooks("stripe", { url: null })
    await new Promise<void>((resolve) => receiver.close(() => resolve()))
  })

  beforeEach(() => {
    received = []
  })

  it("delivers signed events that constructEvent verifies", async () => {
    await control.configureWebhooks("stripe", { url: hookUrl })
    const pi = await authorized()
    await stripe.paymentIntents.capture(pi.id, {}, { idempotencyKey: "hook-cap" })
    await control.webhooksIdle()
    const events = received.map((r) => stripe.webhooks.constructEvent(r.body, r.signature, "whsec_sandbox"))
    expect(events.map((e) => e.type)).toEqual([
      "payment_intent.created",
      "charge.succeeded",
      "payment_intent.amount_capturable_updated",
      "charge.captured",
      "payment_intent.succeeded",
    ])
    const succeeded = events[4]
    expect(succeeded.api_version).toBe("2026-10-28.endive")
    expect(succeeded.request?.idempotency_key).toBe("hook-cap")
    expect((succeeded.data.object as Stripe.PaymentIntent).amount_received).toBe(5000)
    expect((await stripe.events.retrieve(succeeded.id)).id).toBe(succeeded.id)
  })

  it("holds events and releases them with duplicates, shuffled; stale signatures fail verification", async () => {
    await control.configureWebhooks("stripe", { url: hookUrl, hold: true })
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      confirm: true,
      payment_method: "pm_card_visa",
    })
    await stripe.refunds.create({ payment_intent: pi.id, amount: 400 })
    expect(received).toHaveLength(0)
    const emitted = await control.events("stripe")
    const deliveries = await control.releaseWebhooks({ psp: "stripe", duplicates: 1, order: "shuffle" })
    expect(deliveries).toHaveLength(emitted.length * 2)
    expect(deliveries.every((d) => d.status === 200)).toBe(true)
    const ids = received.map((r) => stripe.webhooks.constructEvent(r.body, r.signature, "whsec_sandbox").id)
    expect(new Set(ids)).toEqual(new Set(emitted.map((e) => e.id)))

    received = []
    await control.redeliver([emitted[0].id], { timestamp_offset_seconds: -600 })
    expect(received).toHaveLength(1)
    expect(() => stripe.webhooks.constructEvent(received[0].body, received[0].signature, "whsec_sandbox")).toThrow(
      Stripe.errors.StripeSignatureVerificationError
    )
    expect(stripe.webhooks.constructEvent(received[0].body, received[0].signature, "whsec_sandbox", 900).id).toBe(
      emitted[0].id
    )
  })
})
