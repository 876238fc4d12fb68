/**
 * The sandbox's browser stand-ins over HTTP: the scripts it serves install `Stripe` and `paypal` as the real SDKs do,
 * the SDK URL is checked as PayPal checks it, and Stripe.js's card confirm (publishable key, client secret, card
 * number) is only as open as Stripe's. The browser test (integration-tests/browser/storefront-checkout.spec.ts)
 * drives them through a storefront.
 */
import vm from "node:vm"
import Stripe from "stripe"
import { startSandbox, type RunningSandbox } from "../index"

jest.setTimeout(20_000)

let sandbox: RunningSandbox
let stripe: Stripe

beforeAll(async () => {
  sandbox = await startSandbox()
  stripe = new Stripe(sandbox.stripe.apiKey, {
    host: "127.0.0.1",
    port: Number(new URL(sandbox.url).port),
    protocol: "http",
    maxNetworkRetries: 0,
    telemetry: false,
  })
})
afterAll(async () => sandbox.close())
beforeEach(async () => sandbox.control.reset())

/** Runs a served script against a bare window; returns what it installed. */
function install(source: string): Record<string, unknown> {
  const window: Record<string, unknown> = { document: {}, location: {} }
  vm.runInNewContext(source, { window, URL })
  return window
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Stripe error and intent JSON, read field by field
type StripeJson = Record<string, any>

async function confirmFromBrowser(
  clientSecret: string,
  card: Record<string, string>,
  key = sandbox.stripe.publishableKey
): Promise<{ status: number; body: StripeJson }> {
  const id = clientSecret.split("_secret_")[0]
  const body = new URLSearchParams({ client_secret: clientSecret, "payment_method_data[type]": "card" })
  for (const [k, v] of Object.entries(card)) body.append(`payment_method_data[card][${k}]`, v)
  const res = await fetch(`${sandbox.url}/v1/payment_intents/${id}/confirm`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/x-www-form-urlencoded",
      origin: "http://shop",
    },
    body,
  })
  return { status: res.status, body: await res.json() }
}

const VALID = { number: "4242 4242 4242 4242", exp_month: "12", exp_year: "40", cvc: "123" }

describe("Stripe.js stand-in", () => {
  it("is served at Stripe.js's paths and installs window.Stripe with the release @stripe/stripe-js expects", async () => {
    for (const path of ["/endive/stripe.js", "/v3"]) {
      const res = await fetch(`${sandbox.url}${path}`)
      expect(res.status).toBe(200)
      expect(res.headers.get("content-type")).toMatch(/javascript/)
      const window = install(await res.text())
      expect(typeof window.Stripe).toBe("function")
    }
    const window = install(await (await fetch(`${sandbox.url}/endive/stripe.js`)).text())
    expect((window.Stripe as { version: string }).version).toBe("endive")
    const StripeJs = window.Stripe as (key: string) => Record<string, unknown>
    expect(() => StripeJs("sk_test_sandbox")).toThrow(/secret key/)
    expect(typeof StripeJs("pk_test_sandbox").confirmCardPayment).toBe("function")
  })

  it("confirms with a typed card only with the publishable key and the intent's client secret", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 7000, currency: "usd", capture_method: "manual" })
    const wrongSecret = await confirmFromBrowser(`${pi.id}_secret_wrong`, VALID)
    expect(wrongSecret.status).toBe(401)
    const secretKey = await confirmFromBrowser(pi.client_secret!, VALID, sandbox.stripe.apiKey)
    expect(secretKey).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/unsafe/) } } })

    const ok = await confirmFromBrowser(pi.client_secret!, VALID)
    expect(ok).toMatchObject({ status: 200, body: { id: pi.id, status: "requires_capture" } })
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("requires_capture")
  })

  it("follows a redirect method's redirect_to_url on confirmPayment, even with redirect: if_required", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 7000,
      currency: "eur",
      allowed_payment_method_types: ["card", "ideal"],
      payment_method_options: { card: { capture_method: "manual" } },
    })
    const pm = await stripe.paymentMethods.create({ type: "ideal" })
    let redirectTo: (url: string) => void = () => undefined
    const redirected = new Promise<string>((resolve) => (redirectTo = resolve))
    const window: Record<string, unknown> = {
      document: {},
      location: { assign: (url: string) => redirectTo(url) },
      fetch: (url: string, init: RequestInit) =>
        fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), origin: "http://shop" } }),
    }
    vm.runInNewContext(await (await fetch(`${sandbox.url}/endive/stripe.js`)).text(), { window, URL, URLSearchParams })
    const stripeJs = (window.Stripe as (key: string) => Record<string, (o: unknown) => Promise<unknown>>)(
      sandbox.stripe.publishableKey
    )
    // Stripe.js never resolves a confirm that redirects; anything it resolves with here is the failure.
    const outcome = await Promise.race([
      redirected,
      stripeJs.confirmPayment({
        clientSecret: pi.client_secret,
        confirmParams: { payment_method: pm.id, return_url: "https://shop.example/api/payment-return" },
        redirect: "if_required",
      }),
    ])
    expect(outcome).toEqual(`${sandbox.url}/_sandbox/stripe/payment_intents/${pi.id}/redirect`)
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("requires_action")
  })

  it("answers test card numbers as Stripe does: declines, unknown numbers, past expiry, 3-D Secure", async () => {
    const create = () => stripe.paymentIntents.create({ amount: 7000, currency: "usd", capture_method: "manual" })
    const declined = await confirmFromBrowser((await create()).client_secret!, { ...VALID, number: "4000000000000002" })
    expect(declined).toMatchObject({
      status: 402,
      body: { error: { type: "card_error", code: "card_declined", decline_code: "generic_decline" } },
    })
    const unknown = await confirmFromBrowser((await create()).client_secret!, { ...VALID, number: "4111111111111112" })
    expect(unknown).toMatchObject({ status: 402, body: { error: { code: "incorrect_number" } } })
    const expired = await confirmFromBrowser((await create()).client_secret!, { ...VALID, exp_year: "20" })
    expect(expired).toMatchObject({ status: 402, body: { error: { code: "invalid_expiry_year" } } })

    const pi = await create()
    const challenged = await confirmFromBrowser(pi.client_secret!, { ...VALID, number: "4000002760003184" })
    expect(challenged.body.status).toBe("requires_action")
    const challengeUrl = challenged.body.next_action.use_stripe_sdk.stripe_js as string
    const pageRes = await fetch(challengeUrl)
    expect(pageRes.headers.get("content-type")).toMatch(/text\/html/)
    expect(await pageRes.text()).toMatch(/Complete authentication[\s\S]*Fail authentication/)
  })

  it("answers a browser's preflight, and its API answers carry CORS", async () => {
    const preflight = await fetch(`${sandbox.url}/v1/payment_intents/pi_x/confirm`, {
      method: "OPTIONS",
      headers: { origin: "http://shop", "access-control-request-method": "POST" },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/authorization/)
    const pi = await stripe.paymentIntents.create({ amount: 100, currency: "usd" })
    const res = await confirmFromBrowser(pi.client_secret!, VALID)
    expect(res.status).toBe(200)
  })
})

describe("PayPal JS SDK stand-in", () => {
  it("loads only for the sandbox's client id, and installs paypal.Buttons", async () => {
    const bad = await fetch(`${sandbox.url}/paypal/sdk/js?client-id=someone-else`)
    expect(bad.status).toBe(400)
    expect(await bad.text()).toMatch(/Invalid query value for client-id/)
    expect((await fetch(`${sandbox.url}/paypal/sdk/js`)).status).toBe(400)

    const res = await fetch(
      `${sandbox.url}/paypal/sdk/js?client-id=${sandbox.paypal.clientId}&currency=USD&intent=authorize`
    )
    expect(res.status).toBe(200)
    const window = install(await res.text())
    const paypal = window.paypal as { Buttons: (o: object) => { isEligible(): boolean } }
    expect(paypal.Buttons({}).isEligible()).toBe(true)
  })

  it("shows the approval window for a CREATED order, and refuses an SDK intent or currency that does not match the order's", async () => {
    const base = `${sandbox.url}/paypal`
    const basic = Buffer.from(`${sandbox.paypal.clientId}:${sandbox.paypal.clientSecret}`).toString("base64")
    const token = await fetch(`${base}/v1/oauth2/token`, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    }).then((r) => r.json())
    const order = await fetch(`${base}/v2/checkout/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
      body: JSON.stringify({
        intent: "AUTHORIZE",
        purchase_units: [{ amount: { currency_code: "USD", value: "70.00" } }],
      }),
    }).then((r) => r.json())
    const approval = (query: string) => fetch(`${base}/checkoutnow?token=${order.id}&${query}`).then((r) => r.text())

    expect(await approval("intent=authorize&currency=USD")).toMatch(/70\.00 USD[\s\S]*Approve and continue/)
    expect(await approval("intent=capture&currency=USD")).toMatch(/Unexpected intent: AUTHORIZE[^<]*intent=authorize/)
    expect(await approval("intent=authorize&currency=EUR")).toMatch(/Unexpected currency: USD/)

    await sandbox.control.paypal.approveOrder(order.id)
    expect(await approval("intent=authorize&currency=USD")).toMatch(/is APPROVED/)
  })
})
