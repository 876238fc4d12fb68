/**
 * PayPal reauthorization through the plugin's PayPalGateway and the real `@paypal/paypal-server-sdk`, over HTTP against
 * the PSP sandbox (no mocks). The sandbox clock is moved with the control API to reach day 4 (after the 3-day honor
 * period) and day 30 (past the 29-day validity).
 */
import { GatewayError } from "../../gateways/errors"
import { PayPalGateway } from "../../gateways/paypal/paypal-gateway"
import type { GatewayPayment } from "../../gateways/types"
import { startSandbox, type RunningSandbox } from "../index"

jest.setTimeout(30_000)

const DAY = 24 * 60 * 60

let sandbox: RunningSandbox
let gateway: PayPalGateway
let sequence = 0

beforeAll(async () => {
  sandbox = await startSandbox()
  gateway = new PayPalGateway({
    clientId: sandbox.paypal.clientId,
    clientSecret: sandbox.paypal.clientSecret,
    environment: "sandbox",
    apiBaseUrl: sandbox.paypal.apiBaseUrl,
    timeoutMs: 5_000,
    maxNetworkRetries: 2,
  })
})

afterAll(async () => {
  await sandbox.close()
})

beforeEach(async () => {
  await sandbox.control.reset()
})

/** An order the buyer approved and the merchant authorized: 70.00 USD, nothing captured. */
async function authorized(): Promise<GatewayPayment> {
  const n = ++sequence
  const created = await gateway.createPayment({
    amount: 7000,
    currency: "usd",
    idempotency_key: `init-payses_${n}`,
    session_id: `payses_${n}`,
    capture: "manual",
  })
  await sandbox.control.paypal.approveOrder(created.reference)
  const payment = await gateway.authorizePayment(created.reference, `authorize-payses_${n}`)
  expect(payment).toMatchObject({ status: "authorized", amount_capturable: 7000 })
  expect(payment.authorization_id).toBeTruthy()
  return payment
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(GatewayError)
  return error as GatewayError
}

const reauthorizeCalls = () => sandbox.control.requests({ psp: "paypal", method: "POST", path: "/reauthorize" })

describe("PayPalGateway.reauthorizePayment against the sandbox", () => {
  it("from day 4: a new authorization with a new id, sent with the PayPal-Request-Id, that later captures use", async () => {
    const payment = await authorized()
    const original = payment.authorization_id!
    await sandbox.control.advanceClock(4 * DAY)

    const renewed = await gateway.reauthorizePayment(payment.reference, original, 7000, "usd", "reauth-pay_1")
    expect(renewed.authorization_id).toBeTruthy()
    expect(renewed.authorization_id).not.toBe(original)
    expect(renewed).toMatchObject({
      gateway: "paypal",
      reference: payment.reference,
      status: "authorized",
      psp_status: "CREATED",
      amount: 7000,
      amount_capturable: 7000,
      amount_captured: 0,
    })
    // The renewed authorization lasts to the end of the original's window, not 29 days from now.
    expect(renewed.expires_at).toBe(payment.expires_at)
    // Honor periods: the original's ended on day 3; the reauthorization has a new one of 3 days, from now (PayPal's
    // create_time, on the sandbox's clock). The payment says it was reauthorized (the plugin offers no second one).
    expect(payment.reauthorized).toBe(false)
    const day = DAY * 1000
    const sandboxNow = Date.parse((await sandbox.control.advanceClock(0)).now)
    expect(Date.parse(payment.honor_until!)).toBeLessThan(sandboxNow - day + 60_000)
    expect(renewed.reauthorized).toBe(true)
    expect(Date.parse(renewed.honor_until!)).toBeGreaterThan(sandboxNow + 3 * day - 60_000)
    expect(Date.parse(renewed.honor_until!)).toBeLessThanOrEqual(sandboxNow + 3 * day)

    const calls = await reauthorizeCalls()
    expect(calls.map((c) => [c.path, c.idempotency_key, c.status])).toEqual([
      [`/v2/payments/authorizations/${original}/reauthorize`, "reauth-pay_1", 201],
    ])
    expect((await sandbox.control.paypal.getAuthorization(original)).status).toBe("VOIDED")
    expect(await sandbox.control.paypal.getAuthorization(renewed.authorization_id!)).toMatchObject({
      status: "CREATED",
      amount: { currency_code: "USD", value: "70.00" },
      custom_id: "payses_" + sequence,
    })

    // Reading the payment again finds the new authorization; a capture goes to it.
    expect((await gateway.retrievePayment(payment.reference)).authorization_id).toBe(renewed.authorization_id)
    const { capture, payment: after } = await gateway.capturePayment({
      reference: payment.reference,
      authorization_id: renewed.authorization_id,
      amount: 3000,
      currency: "usd",
      final: false,
      idempotency_key: "capture-capt_1",
    })
    expect(capture).toMatchObject({ amount: 3000, status: "succeeded" })
    expect(after).toMatchObject({ status: "partially_captured", amount_captured: 3000, amount_capturable: 4000 })
    const view = await sandbox.control.paypal.getAuthorization(renewed.authorization_id!)
    expect(view.captures.map((c) => [c.id, c.amount.value])).toEqual([[capture.id, "30.00"]])
  })

  it("reauthorizes another amount (up to 115%), and names the latest authorization when none is given", async () => {
    const payment = await authorized()
    await sandbox.control.advanceClock(5 * DAY)
    const renewed = await gateway.reauthorizePayment(payment.reference, null, 8000, "usd", "reauth-pay_2")
    expect(renewed).toMatchObject({ amount_capturable: 8000, status: "authorized" })
    expect((await sandbox.control.paypal.getAuthorization(renewed.authorization_id!)).amount.value).toBe("80.00")

    const over = await failure(gateway.reauthorizePayment(payment.reference, null, 9000, "usd", "reauth-pay_2b"))
    expect(over).toMatchObject({ kind: "invalid_state" })
    expect(over.psp.code).toBe("MAX_NUMBER_OF_REAUTHORIZATIONS_EXCEEDED")
  })

  it("retries a lost answer with the same PayPal-Request-Id: one new authorization at PayPal", async () => {
    const payment = await authorized()
    await sandbox.control.advanceClock(4 * DAY)
    await sandbox.control.addFault({ psp: "paypal", path: "/reauthorize", kind: "status", status: 500, phase: "after" })

    const renewed = await gateway.reauthorizePayment(
      payment.reference,
      payment.authorization_id,
      7000,
      "usd",
      "reauth-pay_3"
    )
    const calls = await reauthorizeCalls()
    expect(calls.map((c) => [c.idempotency_key, c.status, c.replayed])).toEqual([
      ["reauth-pay_3", 500, false],
      ["reauth-pay_3", 201, true],
    ])
    const state = await sandbox.control.paypal.state()
    const ofOrder = state.authorizations.filter((a) => a.supplementary_data?.related_ids.order_id === payment.reference)
    expect(ofOrder.map((a) => [a.id, a.status])).toEqual([
      [payment.authorization_id, "VOIDED"],
      [renewed.authorization_id, "CREATED"],
    ])
  })

  describe("PayPal's refusals → invalid_state with what to do instead", () => {
    it("inside the 3-day honor period", async () => {
      const payment = await authorized()
      await sandbox.control.advanceClock(2 * DAY)
      const error = await failure(
        gateway.reauthorizePayment(payment.reference, payment.authorization_id, 7000, "usd", "reauth-early")
      )
      expect(error).toMatchObject({ kind: "invalid_state", psp: { status: 422, code: "REAUTHORIZE_TOO_EARLY" } })
      expect(error.message).toMatch(/still in its 3-day honor period/)
      expect(error.message).toMatch(/PayPal reauthorizes only from day 4 to day 29/)
      // Nothing changed at PayPal.
      expect((await sandbox.control.paypal.getAuthorization(payment.authorization_id!)).status).toBe("CREATED")
      expect((await gateway.retrievePayment(payment.reference)).authorization_id).toBe(payment.authorization_id)
    })

    it("a second reauthorization: of the new one (already reauthorized) and of the voided original", async () => {
      const payment = await authorized()
      await sandbox.control.advanceClock(4 * DAY)
      const renewed = await gateway.reauthorizePayment(
        payment.reference,
        payment.authorization_id,
        7000,
        "usd",
        "reauth-once"
      )

      const again = await failure(
        gateway.reauthorizePayment(payment.reference, renewed.authorization_id, 7000, "usd", "reauth-twice")
      )
      expect(again).toMatchObject({ kind: "invalid_state", psp: { code: "MAX_NUMBER_OF_REAUTHORIZATIONS_EXCEEDED" } })
      expect(again.message).toMatch(
        /already reauthorized and PayPal allows no further reauthorization of it\. Capture the newest authorization/
      )

      const original = await failure(
        gateway.reauthorizePayment(payment.reference, payment.authorization_id, 7000, "usd", "reauth-original")
      )
      expect(original).toMatchObject({ kind: "invalid_state", psp: { code: "AUTHORIZATION_VOIDED" } })
    })

    it("a partially captured authorization", async () => {
      const payment = await authorized()
      await gateway.capturePayment({
        reference: payment.reference,
        authorization_id: payment.authorization_id,
        amount: 1000,
        currency: "usd",
        final: false,
        idempotency_key: "capture-partial",
      })
      await sandbox.control.advanceClock(4 * DAY)
      const error = await failure(
        gateway.reauthorizePayment(payment.reference, payment.authorization_id, 6000, "usd", "reauth-partial")
      )
      expect(error).toMatchObject({ kind: "invalid_state", psp: { code: "REAUTHORIZATION_NOT_ALLOWED" } })
      expect(error.message).toMatch(/only reauthorizes an authorization that is not captured yet/)
    })
  })

  it("past day 29 the authorization has expired: authorization_expired", async () => {
    const payment = await authorized()
    await sandbox.control.advanceClock(30 * DAY)
    const error = await failure(
      gateway.reauthorizePayment(payment.reference, payment.authorization_id, 7000, "usd", "reauth-late")
    )
    expect(error).toMatchObject({ kind: "authorization_expired", psp: { code: "AUTHORIZATION_EXPIRED" } })
    expect(error.message).toMatch(/cancel the payment in Medusa and ask the customer to pay again/)
  })

  it("PayPal refuses more than 115%; the gateway refuses fractional minor units and a foreign authorization itself", async () => {
    const payment = await authorized()
    await sandbox.control.advanceClock(4 * DAY)

    const tooMuch = await failure(
      gateway.reauthorizePayment(payment.reference, payment.authorization_id, 8100, "usd", "reauth-115")
    )
    expect(tooMuch).toMatchObject({ kind: "invalid_amount", psp: { code: "REAUTHORIZATION_AMOUNT_EXCEEDED" } })

    const before = (await reauthorizeCalls()).length
    const fractional = await failure(
      gateway.reauthorizePayment(payment.reference, payment.authorization_id, 70.5, "usd", "reauth-float")
    )
    expect(fractional.kind).toBe("invalid_amount")
    expect(fractional.message).toMatch(/whole number of minor units.*Nothing was sent to PayPal/)
    const foreign = await failure(
      gateway.reauthorizePayment(payment.reference, "0VF52814937998046", 7000, "usd", "reauth-foreign")
    )
    expect(foreign.kind).toBe("invalid_request")
    expect(foreign.message).toMatch(/has no authorization 0VF52814937998046/)
    expect((await reauthorizeCalls()).length).toBe(before)
    expect((await sandbox.control.paypal.getAuthorization(payment.authorization_id!)).status).toBe("CREATED")
  })
})
