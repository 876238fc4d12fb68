/**
 * The providers' `capture` option, through the plugin's providers, the real Stripe and PayPal SDKs and the PSP sandbox
 * (no mocks): `capture: true` creates payments that the PSP captures when the buyer pays (Stripe
 * `capture_method: automatic`, PayPal order intent `CAPTURE`); the default creates authorizations to capture later.
 */
import { PayPalProviderService } from "../../providers/paypal/service"
import { StripeProviderService } from "../../providers/stripe/service"
import { startSandbox, type RunningSandbox } from "../index"

jest.setTimeout(30_000)

let sandbox: RunningSandbox

beforeAll(async () => {
  sandbox = await startSandbox()
})

afterAll(async () => {
  await sandbox.close()
})

const stripe = (capture?: boolean) =>
  new StripeProviderService(
    {},
    {
      apiKey: sandbox.stripe.apiKey,
      apiBaseUrl: sandbox.stripe.apiBaseUrl,
      timeoutMs: 5_000,
      ...(capture === undefined ? {} : { capture }),
    }
  )

const paypal = (capture?: boolean) =>
  new PayPalProviderService(
    {},
    {
      clientId: sandbox.paypal.clientId,
      clientSecret: sandbox.paypal.clientSecret,
      webhookId: sandbox.paypal.webhookId,
      apiBaseUrl: sandbox.paypal.apiBaseUrl,
      timeoutMs: 5_000,
      ...(capture === undefined ? {} : { capture }),
    }
  )

describe("the capture option", () => {
  it.each([
    [true, "automatic"],
    [false, "manual"],
    [undefined, "manual"],
  ])("Stripe, capture: %s → a PaymentIntent with capture_method %s", async (capture, method) => {
    const session = await stripe(capture).initiatePayment({ amount: 70, currency_code: "usd", data: {} } as never)
    const { payment_intent: intent } = await sandbox.control.stripe.inspectPaymentIntent(session.id)
    expect(intent).toMatchObject({ amount: 7000, currency: "usd", capture_method: method })
  })

  it.each([
    [true, "CAPTURE"],
    [false, "AUTHORIZE"],
    [undefined, "AUTHORIZE"],
  ])("PayPal, capture: %s → an order with intent %s", async (capture, intent) => {
    const session = await paypal(capture).initiatePayment({ amount: 70, currency_code: "usd", data: {} } as never)
    const order = await sandbox.control.paypal.getOrder(session.id)
    expect(order).toMatchObject({ intent, purchase_units: [expect.objectContaining({ amount: expect.anything() })] })
    expect(order.purchase_units?.[0].amount).toMatchObject({ currency_code: "USD", value: "70.00" })
  })
})
