import Stripe from "stripe"
import { StripeGateway } from "../../gateways/stripe/stripe-gateway"
import { SandboxControlClient } from "../core/control-client"
import { SandboxServer } from "../core/server"
import { resolveSandboxOptions } from "../index"
import { createStripeFake } from "../stripe"

jest.setTimeout(20_000)

let close: () => Promise<void>
let control: SandboxControlClient
let stripe: Stripe

beforeAll(async () => {
  const server = new SandboxServer(resolveSandboxOptions(), [createStripeFake])
  const url = await server.listen()
  close = () => server.close()
  control = new SandboxControlClient(url)
  stripe = new Stripe("sk_test_sandbox", {
    host: "127.0.0.1",
    port: Number(new URL(url).port),
    protocol: "http",
    maxNetworkRetries: 0,
    timeout: 5000,
    telemetry: false,
  })
})

afterAll(async () => close())
beforeEach(async () => control.reset())

const payment = (capture: "manual" | "automatic", key: string) => ({
  amount: 5000,
  currency: "eur",
  idempotency_key: key,
  session_id: `payses_${key}`,
  capture,
})

describe("Stripe payment methods offered, and what the sandbox accepts of them", () => {
  it("passes the methods and the description: an explicit list with iDEAL authorizes cards only, iDEAL keeps the automatic capture", async () => {
    const gateway = new StripeGateway(stripe, {
      payment_methods: { automatic: false, types: ["card", "ideal"] },
      description: "Order at Example Shop",
    })
    const created = await gateway.createPayment(payment("manual", "mixed"))
    expect(created.status).toEqual("pending")
    const pi = await stripe.paymentIntents.retrieve(created.reference)
    expect(pi).toMatchObject({
      capture_method: "automatic",
      payment_method_types: ["card", "ideal"],
      description: "Order at Example Shop",
      payment_method_options: { card: { capture_method: "manual", request_multicapture: "if_available" } },
    })
    expect(pi.payment_method_options?.ideal).toEqual({})

    // A card is only authorized (per-method manual capture); Medusa captures it later.
    const confirmed = await stripe.paymentIntents.confirm(pi.id, { payment_method: "pm_card_visa" })
    expect(confirmed.status).toEqual("requires_capture")
    expect((await gateway.authorizePayment(pi.id)).status).toEqual("authorized")
    expect(await gateway.wasCapturedAtPayment(pi.id)).toBe(false)
  })

  it("keeps the manual capture method when every method listed can be captured later", async () => {
    const gateway = new StripeGateway(stripe, { payment_methods: { automatic: false, types: ["card"] } })
    const created = await gateway.createPayment(payment("manual", "cards"))
    const pi = await stripe.paymentIntents.retrieve(created.reference)
    expect(pi).toMatchObject({ capture_method: "manual", payment_method_types: ["card"] })
  })

  it("sends automatic payment methods with the redirect choice", async () => {
    const gateway = new StripeGateway(stripe, { payment_methods: { automatic: true, allow_redirects: "never" } })
    const created = await gateway.createPayment(payment("manual", "apm"))
    const pi = await stripe.paymentIntents.retrieve(created.reference)
    expect(pi).toMatchObject({
      capture_method: "manual",
      automatic_payment_methods: { enabled: true, allow_redirects: "never" },
    })
  })

  it("refuses, as Stripe, manual capture of a method that cannot be captured later", async () => {
    await expect(
      stripe.paymentIntents.create({
        amount: 5000,
        currency: "eur",
        capture_method: "manual",
        allowed_payment_method_types: ["card", "ideal"],
      })
    ).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining("ideal cannot be used") })
    await expect(
      stripe.paymentIntents.create({
        amount: 5000,
        currency: "eur",
        allowed_payment_method_types: ["ideal"],
        payment_method_options: { ideal: { capture_method: "manual" } as never },
      })
    ).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining("ideal does not support manual") })
  })

  it("records a payment captured when the buyer paid instead of capturing it again", async () => {
    const gateway = new StripeGateway(stripe)
    const created = await gateway.createPayment(payment("automatic", "at-once"))
    await stripe.paymentIntents.confirm(created.reference, { payment_method: "pm_card_visa" })
    expect((await gateway.authorizePayment(created.reference)).status).toEqual("captured")
    expect(await gateway.wasCapturedAtPayment(created.reference)).toBe(true)

    const { capture, payment: after } = await gateway.capturePayment({
      reference: created.reference,
      authorization_id: null,
      amount: 5000,
      currency: "eur",
      final: true,
      idempotency_key: "capt_1",
    })
    expect(capture).toMatchObject({
      amount: 5000,
      status: "succeeded",
      id: expect.stringMatching(/^ch_.+:at_payment$/),
      at_payment: true,
    })
    expect(after.amount_captured).toEqual(5000)
    // Any other amount is still Stripe's refusal: nothing is invented.
    await expect(
      gateway.capturePayment({
        reference: created.reference,
        authorization_id: null,
        amount: 4000,
        currency: "eur",
        final: true,
        idempotency_key: "capt_2",
      })
    ).rejects.toMatchObject({ kind: "invalid_state" })
  })
})
