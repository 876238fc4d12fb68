import Stripe from "stripe"
import { StripeGateway } from "../../gateways/stripe/stripe-gateway"
import { SandboxControlClient } from "../core/control-client"
import { SandboxServer } from "../core/server"
import { resolveSandboxOptions } from "../index"
import { createStripeFake } from "../stripe"
import { StripeSandboxControl } from "../stripe/control-client"

jest.setTimeout(20_000)

let close: () => Promise<void>
let control: SandboxControlClient
let stripe: Stripe
let sandboxUrl: string

beforeAll(async () => {
  const server = new SandboxServer(resolveSandboxOptions(), [createStripeFake])
  const url = await server.listen()
  sandboxUrl = url
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

describe("Stripe redirect methods (iDEAL): return_url, the bank's page and the way back", () => {
  const RETURN_URL = "https://shop.example/api/payment-return?cart=cart_1"

  /** An intent offering card and iDEAL as the plugin creates it for manual capture (iDEAL keeps automatic capture). */
  async function idealIntent(key: string, currency = "eur") {
    const gateway = new StripeGateway(stripe, { payment_methods: { automatic: false, types: ["card", "ideal"] } })
    const created = await gateway.createPayment({ ...payment("manual", key), currency })
    return { gateway, id: created.reference }
  }

  it("sends the buyer to the bank and back to the return_url: authorized is succeeded, captured at once, an ideal charge, the card events", async () => {
    const { gateway, id } = await idealIntent("ideal-ok")
    const confirmed = await stripe.paymentIntents.confirm(id, {
      payment_method_data: { type: "ideal", ideal: { bank: "ing" } },
      return_url: RETURN_URL,
    })
    expect(confirmed.status).toEqual("requires_action")
    expect(confirmed.next_action).toEqual({
      type: "redirect_to_url",
      redirect_to_url: { url: `${sandboxUrl}/_sandbox/stripe/payment_intents/${id}/redirect`, return_url: RETURN_URL },
    })
    expect((await gateway.authorizePayment(id)).status).toEqual("requires_action")

    // The bank's page, then its form: a 302 back to the return_url with Stripe's three query parameters.
    const bankPage = await fetch(confirmed.next_action!.redirect_to_url!.url!)
    expect(bankPage.status).toEqual(200)
    expect(await bankPage.text()).toContain("Authorize test payment")
    const back = await fetch(confirmed.next_action!.redirect_to_url!.url!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "result=succeeded",
      redirect: "manual",
    })
    expect(back.status).toEqual(302)
    const location = new URL(back.headers.get("location")!)
    expect(location.origin + location.pathname).toEqual("https://shop.example/api/payment-return")
    expect(Object.fromEntries(location.searchParams)).toEqual({
      cart: "cart_1",
      payment_intent: id,
      payment_intent_client_secret: confirmed.client_secret,
      redirect_status: "succeeded",
    })

    const pi = await stripe.paymentIntents.retrieve(id, { expand: ["latest_charge", "payment_method"] })
    expect(pi).toMatchObject({ status: "succeeded", amount_received: 5000, amount_capturable: 0, next_action: null })
    expect(pi.payment_method).toMatchObject({ type: "ideal", ideal: { bank: "ing", bic: "INGBNL2A" } })
    expect(pi.latest_charge).toMatchObject({
      captured: true,
      amount_captured: 5000,
      payment_method_details: { type: "ideal", ideal: { bank: "ing", bic: "INGBNL2A" } },
    })
    expect((pi.latest_charge as Stripe.Charge).payment_method_details?.card).toBeUndefined()
    // Medusa sees a payment captured when the buyer paid: recorded at_payment, never captured again.
    expect((await gateway.authorizePayment(id)).status).toEqual("captured")
    expect(await gateway.wasCapturedAtPayment(id)).toBe(true)
    const { capture } = await gateway.capturePayment({
      reference: id,
      authorization_id: null,
      amount: 5000,
      currency: "eur",
      final: true,
      idempotency_key: "capt_ideal",
    })
    expect(capture).toMatchObject({ amount: 5000, at_payment: true })
    expect((await control.requests({ psp: "stripe", path: "/capture" })).map((r) => r.status)).toEqual([400])

    const types = (await stripe.events.list({ limit: 100 })).data.map((e) => e.type).reverse()
    expect(types).toEqual([
      "payment_intent.created",
      "payment_intent.requires_action",
      "charge.succeeded",
      "payment_intent.succeeded",
    ])
  })

  it("pays with an iDEAL PaymentMethod made before; a failed redirect leaves requires_payment_method with last_payment_error", async () => {
    const { id } = await idealIntent("ideal-failed")
    const pm = await stripe.paymentMethods.create({ type: "ideal", ideal: { bank: "rabobank" } })
    expect(pm).toMatchObject({ type: "ideal", ideal: { bank: "rabobank", bic: "RABONL2U" }, customer: null })
    const confirmed = await stripe.paymentIntents.confirm(id, { payment_method: pm.id, return_url: RETURN_URL })
    expect(confirmed.status).toEqual("requires_action")

    const sc = new StripeSandboxControl(control)
    const { payment_intent, return_url } = await sc.completeRedirect(id, "failed")
    expect(new URL(return_url).searchParams.get("redirect_status")).toEqual("failed")
    expect(payment_intent).toMatchObject({
      status: "requires_payment_method",
      payment_method: null,
      next_action: null,
      latest_charge: null,
      last_payment_error: { code: "payment_intent_authentication_failure", payment_method: { id: pm.id } },
    })
    // The redirect is over: it cannot be completed twice.
    await expect(sc.completeRedirect(id, "succeeded")).rejects.toMatchObject({ status: 400 })
    const types = (await stripe.events.list({ limit: 100 })).data.map((e) => e.type)
    expect(types).toContain("payment_intent.payment_failed")
    expect(types).not.toContain("payment_intent.succeeded")
  })

  it("refuses (400), as Stripe, an iDEAL confirm without return_url, of an intent not offering iDEAL, in USD, or captured manually; nothing changes", async () => {
    const expectRefused = async (id: string, params: Stripe.PaymentIntentConfirmParams, param: string) => {
      await expect(stripe.paymentIntents.confirm(id, params)).rejects.toMatchObject({ statusCode: 400, param })
      const pi = await stripe.paymentIntents.retrieve(id)
      expect(pi).toMatchObject({ status: "requires_payment_method", payment_method: null, latest_charge: null })
    }
    const ideal = { payment_method_data: { type: "ideal" as const } }
    const { id } = await idealIntent("ideal-refused")
    await expectRefused(id, ideal, "return_url")

    const cardsOnly = await stripe.paymentIntents.create({ amount: 5000, currency: "eur", capture_method: "manual" })
    await expectRefused(cardsOnly.id, { ...ideal, return_url: RETURN_URL }, "payment_method")
    const automatic = await stripe.paymentIntents.create({
      amount: 5000,
      currency: "eur",
      automatic_payment_methods: { enabled: true, allow_redirects: "never" },
    })
    await expectRefused(automatic.id, { ...ideal, return_url: RETURN_URL }, "payment_method")

    await expect(
      stripe.paymentIntents.create({ amount: 5000, currency: "usd", allowed_payment_method_types: ["card", "ideal"] })
    ).rejects.toMatchObject({ statusCode: 400, param: "payment_method_types" })

    // capture_method switched to manual at confirm: refused for iDEAL, which is captured when the buyer pays.
    await expectRefused(id, { ...ideal, return_url: RETURN_URL, capture_method: "manual" }, "capture_method")
    await expect(
      stripe.paymentIntents.confirm(id, { ...ideal, return_url: "not a url" } as Stripe.PaymentIntentConfirmParams)
    ).rejects.toMatchObject({ statusCode: 400, param: "return_url" })
    await expect(
      stripe.paymentMethods.create({ type: "ideal", ideal: { bank: "nobank" as never } })
    ).rejects.toMatchObject({
      statusCode: 400,
      param: "ideal[bank]",
    })
  })
})
