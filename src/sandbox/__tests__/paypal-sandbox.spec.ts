import { X509Certificate, verify as cryptoVerify } from "node:crypto"
import { createServer, type IncomingHttpHeaders, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import {
  ApiError,
  CheckoutPaymentIntent,
  OrdersController,
  PaymentsController,
  type Client,
} from "@paypal/paypal-server-sdk"
import { SandboxControlClient } from "../core/control-client"
import { SandboxServer } from "../core/server"
import { resolveSandboxOptions } from "../index"
import { createPayPalFake } from "../paypal"
import { createPayPalClient } from "../../gateways/paypal/paypal-client"
import { PayPalSandboxControl } from "../paypal/control-client"
import { crc32 } from "../../utils/crc32"

interface Received {
  headers: IncomingHttpHeaders
  raw: Buffer
  event: { id: string; event_type: string; resource: Record<string, unknown> & { id: string }; [k: string]: unknown }
}

let server: SandboxServer
let control: SandboxControlClient
let paypal: PayPalSandboxControl
let client: Client
let orders: OrdersController
let payments: PaymentsController
let receiver: Server
let received: Received[] = []
let receiverUrl: string
let tokenUpdates = 0
const opts = resolveSandboxOptions()

async function issueOf(p: Promise<unknown>): Promise<{ status: number; issue: string | undefined; name: string }> {
  try {
    await p
  } catch (e) {
    if (!(e instanceof ApiError)) throw e
    const r = (e.result ?? JSON.parse(e.body as string)) as { name: string; details?: { issue: string }[] }
    return { status: e.statusCode, issue: r.details?.[0]?.issue, name: r.name }
  }
  throw new Error("expected the PayPal call to fail")
}

async function approvedAuthorizeOrder(value = "50.00", currency = "USD"): Promise<string> {
  const created = await orders.createOrder({
    paypalRequestId: `create-${Math.random()}`,
    body: {
      intent: CheckoutPaymentIntent.Authorize,
      purchaseUnits: [
        {
          referenceId: "default",
          customId: "payses_123",
          invoiceId: "order_42",
          softDescriptor: "MYSHOP",
          amount: { currencyCode: currency, value, breakdown: { itemTotal: { currencyCode: currency, value } } },
        },
      ],
    },
  })
  await paypal.approveOrder(created.result.id!)
  return created.result.id!
}

async function authorized(value = "50.00", currency = "USD"): Promise<string> {
  const id = await approvedAuthorizeOrder(value, currency)
  const res = await orders.authorizeOrder({ id, paypalRequestId: `auth-${id}`, prefer: "return=representation" })
  return res.result.purchaseUnits![0].payments!.authorizations![0].id!
}

async function captured(value = "50.00"): Promise<string> {
  const authId = await authorized(value)
  const cap = await payments.captureAuthorizedPayment({
    authorizationId: authId,
    paypalRequestId: `cap-${authId}`,
    prefer: "return=representation",
  })
  return cap.result.id!
}

async function waitFor<T>(fn: () => T | undefined, ms = 3000): Promise<T> {
  const start = Date.now()
  for (;;) {
    const v = fn()
    if (v !== undefined) return v
    if (Date.now() - start > ms) throw new Error("timed out waiting")
    await new Promise((r) => setTimeout(r, 20))
  }
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const raw = Buffer.concat(chunks)
      received.push({ headers: req.headers, raw, event: JSON.parse(raw.toString("utf8")) })
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/paypal`

  server = new SandboxServer({ ...opts, paypal: { ...opts.paypal, webhookUrl: receiverUrl } }, [createPayPalFake])
  const url = await server.listen()
  control = new SandboxControlClient(url)
  paypal = new PayPalSandboxControl(control)
  client = createPayPalClient(
    {
      timeout: 5000,
      clientCredentialsAuthCredentials: {
        oAuthClientId: opts.paypal.clientId,
        oAuthClientSecret: opts.paypal.clientSecret,
        oAuthOnTokenUpdate: () => tokenUpdates++,
      },
    },
    `${url}/paypal`
  )
  orders = new OrdersController(client)
  payments = new PaymentsController(client)
})

afterAll(async () => {
  await server.close()
  await new Promise<void>((r) => receiver.close(() => r()))
})

beforeEach(async () => {
  await control.webhooksIdle()
  await control.reset()
  received = []
})

describe("PayPal sandbox through the real SDK", () => {
  it("runs the authorize → partial captures → refunds flow, with one OAuth token", async () => {
    const created = await orders.createOrder({
      paypalRequestId: "create-1",
      prefer: "return=representation",
      body: {
        intent: CheckoutPaymentIntent.Authorize,
        purchaseUnits: [
          {
            referenceId: "default",
            customId: "payses_123",
            invoiceId: "order_42",
            amount: {
              currencyCode: "USD",
              value: "50.00",
              breakdown: { itemTotal: { currencyCode: "USD", value: "50.00" } },
            },
          },
        ],
      },
    })
    expect(created.statusCode).toBe(201)
    const orderId = created.result.id!
    expect(created.result.status).toBe("CREATED")
    expect(created.result.links!.find((l) => l.rel === "approve")!.href).toBe(
      `https://www.sandbox.paypal.com/checkoutnow?token=${orderId}`
    )

    expect(await issueOf(orders.authorizeOrder({ id: orderId, paypalRequestId: "auth-early" }))).toEqual({
      status: 422,
      issue: "ORDER_NOT_APPROVED",
      name: "UNPROCESSABLE_ENTITY",
    })

    await paypal.approveOrder(orderId, { email_address: "buyer@example.com", payer_id: "BUYER1" })
    const authd = await orders.authorizeOrder({
      id: orderId,
      paypalRequestId: "auth-1",
      prefer: "return=representation",
    })
    expect(authd.statusCode).toBe(201)
    expect(authd.result.status).toBe("COMPLETED")
    const auth = authd.result.purchaseUnits![0].payments!.authorizations![0]
    expect(auth.status).toBe("CREATED")
    expect(auth.amount).toEqual({ currencyCode: "USD", value: "50.00" })
    expect(auth.customId).toBe("payses_123")
    const days = (Date.parse(auth.expirationTime!) - Date.parse(auth.createTime!)) / 86400000
    expect(days).toBe(29)

    const cap1 = await payments.captureAuthorizedPayment({
      authorizationId: auth.id!,
      paypalRequestId: "cap-1",
      prefer: "return=representation",
      body: { amount: { currencyCode: "USD", value: "30.00" }, finalCapture: false, invoiceId: "order_42-cap1" },
    })
    expect(cap1.statusCode).toBe(201)
    expect(cap1.result.status).toBe("COMPLETED")
    expect(cap1.result.finalCapture).toBe(false)
    expect((await payments.getAuthorizedPayment({ authorizationId: auth.id! })).result.status).toBe(
      "PARTIALLY_CAPTURED"
    )

    const cap2 = await payments.captureAuthorizedPayment({
      authorizationId: auth.id!,
      paypalRequestId: "cap-2",
      body: { amount: { currencyCode: "USD", value: "20.00" }, finalCapture: true },
    })
    expect(Object.keys(cap2.result).sort()).toEqual(["id", "links", "status"]) // return=minimal by default
    expect((await payments.getAuthorizedPayment({ authorizationId: auth.id! })).result.status).toBe("CAPTURED")
    expect(
      await issueOf(payments.captureAuthorizedPayment({ authorizationId: auth.id!, paypalRequestId: "cap-3" }))
    ).toMatchObject({
      issue: "AUTHORIZATION_ALREADY_CAPTURED",
    })

    const capId = cap1.result.id!
    const r1 = await payments.refundCapturedPayment({
      captureId: capId,
      paypalRequestId: "ref-1",
      prefer: "return=representation",
      body: { amount: { currencyCode: "USD", value: "10.00" }, noteToPayer: "sorry" },
    })
    expect(r1.result.status).toBe("COMPLETED")
    expect(r1.result.links!.find((l) => l.rel === "up")!.href).toMatch(new RegExp(`/v2/payments/captures/${capId}$`))
    expect((await payments.getCapturedPayment({ captureId: capId })).result.status).toBe("PARTIALLY_REFUNDED")
    expect(
      await issueOf(
        payments.refundCapturedPayment({
          captureId: capId,
          paypalRequestId: "ref-over",
          body: { amount: { currencyCode: "USD", value: "25.00" } },
        })
      )
    ).toMatchObject({ status: 422, issue: "REFUND_AMOUNT_EXCEEDED" })
    const r2 = await payments.refundCapturedPayment({
      captureId: capId,
      paypalRequestId: "ref-2",
      prefer: "return=representation",
    })
    expect(r2.result.amount).toEqual({ currencyCode: "USD", value: "20.00" })
    expect((await payments.getRefund({ refundId: r2.result.id! })).result.id).toBe(r2.result.id)
    expect((await payments.getCapturedPayment({ captureId: capId })).result.status).toBe("REFUNDED")
    expect(await issueOf(payments.refundCapturedPayment({ captureId: capId, paypalRequestId: "ref-3" }))).toMatchObject(
      {
        issue: "CAPTURE_FULLY_REFUNDED",
      }
    )

    const order = await orders.getOrder({ id: orderId })
    expect(order.result.status).toBe("COMPLETED")
    expect(order.result.purchaseUnits![0].payments!.captures).toHaveLength(2)

    expect(tokenUpdates).toBe(1) // one OAuth token for all the calls above
    const tokenCalls = await control.requests({ psp: "paypal", path: "/v1/oauth2/token" })
    expect(tokenCalls).toHaveLength(1)
    const authHeaders = (await control.requests({ psp: "paypal" })).filter((r) => r.status === 401)
    expect(authHeaders).toHaveLength(0)
  })

  it("rejects bad credentials and missing tokens in PayPal's shapes", async () => {
    const bad = createPayPalClient(
      { timeout: 5000, clientCredentialsAuthCredentials: { oAuthClientId: "x", oAuthClientSecret: "y" } },
      `${control.baseUrl}/paypal`
    )
    await expect(new OrdersController(bad).getOrder({ id: "X" })).rejects.toThrow()
    const res = await fetch(`${control.baseUrl}/paypal/v2/checkout/orders/X`)
    expect(res.status).toBe(401)
    expect(((await res.json()) as { name: string }).name).toBe("AUTHENTICATION_FAILURE")
    const tok = await fetch(`${control.baseUrl}/paypal/v1/oauth2/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from("a:b").toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    })
    expect(tok.status).toBe(401)
    expect(await tok.json()).toEqual({ error: "invalid_client", error_description: "Client Authentication failed" })
  })

  it("refuses strings longer than PayPal's spec allows (INVALID_STRING_MAX_LENGTH) and creates nothing", async () => {
    const before = (await paypal.state()).orders.length
    const amount = { currencyCode: "USD", value: "10.00" }
    const tooLong: [string, Record<string, string>][] = [
      ["soft_descriptor", { softDescriptor: "D".repeat(23) }],
      ["custom_id", { customId: "c".repeat(128) }],
      ["invoice_id", { invoiceId: "i".repeat(128) }],
      ["description", { description: "d".repeat(128) }],
    ]
    for (const [field, extra] of tooLong) {
      const refused = await issueOf(
        orders.createOrder({
          paypalRequestId: `long-${field}`,
          body: { intent: CheckoutPaymentIntent.Authorize, purchaseUnits: [{ amount, ...extra }] },
        })
      )
      expect({ field, ...refused }).toEqual({
        field,
        status: 400,
        issue: "INVALID_STRING_MAX_LENGTH",
        name: "INVALID_REQUEST",
      })
    }
    expect((await paypal.state()).orders.length).toBe(before)
    // At the limit it is accepted.
    const ok = await orders.createOrder({
      paypalRequestId: "long-ok",
      body: { intent: CheckoutPaymentIntent.Authorize, purchaseUnits: [{ amount, softDescriptor: "D".repeat(22) }] },
    })
    expect(ok.statusCode).toBe(201)

    const authId = await authorized()
    const capture = await issueOf(
      payments.captureAuthorizedPayment({
        authorizationId: authId,
        paypalRequestId: "cap-long",
        body: { softDescriptor: "D".repeat(23) },
      })
    )
    expect(capture).toMatchObject({ status: 400, issue: "INVALID_STRING_MAX_LENGTH" })
  })

  it("voids, refuses to void twice, and expires authorizations", async () => {
    const a1 = await authorized()
    const v = await payments.voidPayment({ authorizationId: a1, paypalRequestId: "void-1" })
    expect(v.statusCode).toBe(204)
    expect((await payments.getAuthorizedPayment({ authorizationId: a1 })).result.status).toBe("VOIDED")
    expect(await issueOf(payments.voidPayment({ authorizationId: a1, paypalRequestId: "void-2" }))).toMatchObject({
      issue: "PREVIOUSLY_VOIDED",
    })
    expect(
      await issueOf(payments.captureAuthorizedPayment({ authorizationId: a1, paypalRequestId: "c-v" }))
    ).toMatchObject({ issue: "AUTHORIZATION_VOIDED" })

    const a2 = await authorized()
    const expired = await paypal.expireAuthorization(a2)
    expect(expired.status).toBe("EXPIRED")
    expect(Date.parse(expired.expiration_time)).toBeLessThan(Date.now() + 1000)
    expect((await payments.getAuthorizedPayment({ authorizationId: a2 })).result.status).toBe("EXPIRED")
    const err = await issueOf(payments.captureAuthorizedPayment({ authorizationId: a2, paypalRequestId: "c-exp" }))
    expect(err).toEqual({ status: 422, issue: "AUTHORIZATION_EXPIRED", name: "UNPROCESSABLE_ENTITY" })

    // Natural expiry with the sandbox clock: day 30.
    const a3 = await authorized()
    await control.advanceClock(30 * 86400)
    expect(
      await issueOf(payments.captureAuthorizedPayment({ authorizationId: a3, paypalRequestId: "c-exp3" }))
    ).toMatchObject({
      issue: "AUTHORIZATION_EXPIRED",
    })
    const events = await control.events("paypal")
    const voided = events
      .filter((e) => e.type === "PAYMENT.AUTHORIZATION.VOIDED")
      .map((e) => JSON.parse(e.payload).resource.id)
    expect(voided).toEqual([a1, a2, a3])
  })

  it("reauthorizes only from day 4 and allows captures up to 115%", async () => {
    const a = await authorized("100.00")
    expect(
      await issueOf(payments.reauthorizePayment({ authorizationId: a, paypalRequestId: "re-early" }))
    ).toMatchObject({ status: 422 })
    await control.advanceClock(4 * 86400)
    const re = await payments.reauthorizePayment({
      authorizationId: a,
      paypalRequestId: "re-1",
      prefer: "return=representation",
    })
    expect(re.result.id).not.toBe(a)
    expect(re.result.status).toBe("CREATED")
    expect(
      await issueOf(
        payments.captureAuthorizedPayment({
          authorizationId: re.result.id!,
          paypalRequestId: "over",
          body: { amount: { currencyCode: "USD", value: "115.01" } },
        })
      )
    ).toMatchObject({
      issue: "MAX_CAPTURE_AMOUNT_EXCEEDED",
    })
    const cap = await payments.captureAuthorizedPayment({
      authorizationId: re.result.id!,
      paypalRequestId: "115",
      prefer: "return=representation",
      body: { amount: { currencyCode: "USD", value: "115.00" } },
    })
    expect(cap.result.amount!.value).toBe("115.00")
  })

  it("caps captures and reauthorizations at 115% and at most USD 75 more than authorized", async () => {
    const a = await authorized("1000.00")
    const over = (value: string, id: string) =>
      issueOf(
        payments.captureAuthorizedPayment({
          authorizationId: a,
          paypalRequestId: id,
          body: { amount: { currencyCode: "USD", value } },
        })
      )
    // 115% would be 1150.00; the USD 75 cap stops captures at 1075.00.
    expect(await over("1075.01", "over-75")).toMatchObject({ issue: "MAX_CAPTURE_AMOUNT_EXCEEDED" })
    await control.advanceClock(4 * 86400)
    expect(
      await issueOf(
        payments.reauthorizePayment({
          authorizationId: a,
          paypalRequestId: "re-over-75",
          body: { amount: { currencyCode: "USD", value: "1075.01" } },
        })
      )
    ).toMatchObject({ issue: "REAUTHORIZATION_AMOUNT_EXCEEDED" })
    const cap = await payments.captureAuthorizedPayment({
      authorizationId: a,
      paypalRequestId: "at-75",
      prefer: "return=representation",
      body: { amount: { currencyCode: "USD", value: "1075.00" } },
    })
    expect(cap.result.amount!.value).toBe("1075.00")
  })

  it("replays a capture for a reused PayPal-Request-Id, also after an injected 500", async () => {
    const a = await authorized()
    const body = { amount: { currencyCode: "USD", value: "10.00" }, finalCapture: false }
    const c1 = await payments.captureAuthorizedPayment({
      authorizationId: a,
      paypalRequestId: "same",
      prefer: "return=representation",
      body,
    })
    const c2 = await payments.captureAuthorizedPayment({
      authorizationId: a,
      paypalRequestId: "same",
      prefer: "return=representation",
      body,
    })
    expect(c2.result.id).toBe(c1.result.id)
    expect((await paypal.getAuthorization(a)).captures).toHaveLength(1)

    await control.addFault({ psp: "paypal", path: "/capture", kind: "status", status: 500, phase: "after" })
    const failed = await issueOf(
      payments.captureAuthorizedPayment({
        authorizationId: a,
        paypalRequestId: "retry-me",
        prefer: "return=representation",
        body,
      })
    )
    expect(failed.status).toBe(500)
    expect(failed.name).toBe("INTERNAL_SERVER_ERROR")
    const retried = await payments.captureAuthorizedPayment({
      authorizationId: a,
      paypalRequestId: "retry-me",
      prefer: "return=representation",
      body,
    })
    expect(retried.statusCode).toBe(201)
    const view = await paypal.getAuthorization(a)
    expect(view.captures.map((c) => c.id)).toEqual([c1.result.id, retried.result.id])
    expect(view.status).toBe("PARTIALLY_CAPTURED")
  })

  it("captures an intent CAPTURE order, and formats JPY without decimals", async () => {
    const created = await orders.createOrder({
      paypalRequestId: "jpy",
      body: {
        intent: CheckoutPaymentIntent.Capture,
        purchaseUnits: [{ amount: { currencyCode: "JPY", value: "5000" } }],
      },
    })
    await paypal.approveOrder(created.result.id!)
    expect(await issueOf(orders.authorizeOrder({ id: created.result.id!, paypalRequestId: "x" }))).toMatchObject({
      issue: "ACTION_DOES_NOT_MATCH_INTENT",
    })
    const cap = await orders.captureOrder({
      id: created.result.id!,
      paypalRequestId: "jpy-cap",
      prefer: "return=representation",
    })
    expect(cap.result.status).toBe("COMPLETED")
    const capture = cap.result.purchaseUnits![0].payments!.captures![0]
    expect(capture.amount).toEqual({ currencyCode: "JPY", value: "5000" })
    expect(capture.sellerReceivableBreakdown!.netAmount!.value).toMatch(/^\d+$/)
    const r = await payments.refundCapturedPayment({
      captureId: capture.id!,
      paypalRequestId: "jpy-r",
      prefer: "return=representation",
      body: { amount: { currencyCode: "JPY", value: "1200" } },
    })
    expect(r.result.amount!.value).toBe("1200")
    expect(
      await issueOf(
        orders.createOrder({
          paypalRequestId: "jpy-bad",
          body: {
            intent: CheckoutPaymentIntent.Capture,
            purchaseUnits: [{ amount: { currencyCode: "JPY", value: "50.50" } }],
          },
        })
      )
    ).toMatchObject({ status: 422, issue: "DECIMALS_NOT_SUPPORTED" })
  })

  it("signs webhooks PayPal's way: offline CRC32 + RSA and the verify endpoint", async () => {
    await authorized("12.34")
    const got = await waitFor(() => received.find((r) => r.event.event_type === "PAYMENT.AUTHORIZATION.CREATED"))
    expect(received.map((r) => r.event.event_type)).toEqual([
      "CHECKOUT.ORDER.APPROVED",
      "PAYMENT.AUTHORIZATION.CREATED",
    ])
    const h = got.headers as Record<string, string>
    expect(h["paypal-auth-algo"]).toBe("SHA256withRSA")
    expect(got.event).toMatchObject({ event_version: "1.0", resource_type: "authorization", resource_version: "2.0" })
    expect(got.event.id).toMatch(/^WH-/)

    // Offline: fetch the cert from the cert URL, check the chain against the sandbox CA, verify the signature.
    const certRes = await fetch(h["paypal-cert-url"])
    expect(certRes.status).toBe(200)
    const pem = await certRes.text()
    const cert = new X509Certificate(pem)
    expect(cert.subject).toContain("CN=messageverificationcerts.sandbox.paypal.com")
    const { ca_certificate } = await paypal.certificates()
    expect(cert.verify(new X509Certificate(ca_certificate).publicKey)).toBe(true)
    const msg = `${h["paypal-transmission-id"]}|${h["paypal-transmission-time"]}|${opts.paypal.webhookId}|${crc32(got.raw)}`
    expect(
      cryptoVerify("sha256", Buffer.from(msg), cert.publicKey, Buffer.from(h["paypal-transmission-sig"], "base64"))
    ).toBe(true)
    const tampered = Buffer.from(got.raw.toString().replace("12.34", "99.99"))
    const msg2 = `${h["paypal-transmission-id"]}|${h["paypal-transmission-time"]}|${opts.paypal.webhookId}|${crc32(tampered)}`
    expect(
      cryptoVerify("sha256", Buffer.from(msg2), cert.publicKey, Buffer.from(h["paypal-transmission-sig"], "base64"))
    ).toBe(false)

    // Online: /v1/notifications/verify-webhook-signature with an SDK token.
    const token = await client.clientCredentialsAuthManager.fetchToken()
    const verifyCall = (webhookEventRaw: string) =>
      fetch(`${control.baseUrl}/paypal/v1/notifications/verify-webhook-signature`, {
        method: "POST",
        headers: { authorization: `Bearer ${token.accessToken}`, "content-type": "application/json" },
        body: `{"auth_algo":${JSON.stringify(h["paypal-auth-algo"])},"cert_url":${JSON.stringify(h["paypal-cert-url"])},"transmission_id":${JSON.stringify(h["paypal-transmission-id"])},"transmission_sig":${JSON.stringify(h["paypal-transmission-sig"])},"transmission_time":${JSON.stringify(h["paypal-transmission-time"])},"webhook_id":${JSON.stringify(opts.paypal.webhookId)},"webhook_event":${webhookEventRaw}}`,
      }).then(async (r) => ((await r.json()) as { verification_status: string }).verification_status)
    expect(await verifyCall(got.raw.toString())).toBe("SUCCESS") // raw bytes spliced in
    expect(await verifyCall(JSON.stringify(JSON.parse(got.raw.toString()), null, 2))).toBe("SUCCESS") // re-serialized
    expect(await verifyCall(tampered.toString())).toBe("FAILURE")

    // timestamp offset
    const [event] = await control.events("paypal")
    received = []
    await control.redeliver([event.id], { timestamp_offset_seconds: -3600 })
    const late = await waitFor(() => received[0])
    expect(Date.now() - Date.parse(late.headers["paypal-transmission-time"] as string)).toBeGreaterThan(3500 * 1000)
  })

  it("holds and releases events with duplicates, shuffled", async () => {
    await control.configureWebhooks("paypal", { hold: true })
    const capId = await captured("40.00")
    await paypal.refundCapture(capId, "15.00")
    await paypal.reverseCapture(capId)
    expect(received).toHaveLength(0)
    const deliveries = await control.releaseWebhooks({ psp: "paypal", duplicates: 1, order: "shuffle" })
    expect(deliveries).toHaveLength(10)
    expect(deliveries.every((d) => d.status === 200)).toBe(true)
    const types = new Set(received.map((r) => r.event.event_type))
    expect(types).toEqual(
      new Set([
        "CHECKOUT.ORDER.APPROVED",
        "PAYMENT.AUTHORIZATION.CREATED",
        "PAYMENT.CAPTURE.COMPLETED",
        "PAYMENT.CAPTURE.REFUNDED",
        "PAYMENT.CAPTURE.REVERSED",
      ])
    )
    expect(new Set(received.map((r) => r.event.id)).size).toBe(5)
    const refunded = received.find((r) => r.event.event_type === "PAYMENT.CAPTURE.REFUNDED")!
    expect(refunded.event.resource.amount).toEqual({ currency_code: "USD", value: "15.00" })
    const links = refunded.event.resource.links as { rel: string; href: string }[]
    expect(links.find((l) => l.rel === "up")?.href).toContain(capId)
    expect((await payments.getCapturedPayment({ captureId: capId })).result.status).toBe("REFUNDED")
  })

  it("opens, updates and resolves disputes; a lost dispute reverses the capture", async () => {
    const capId = await captured("60.00")
    const dispute = await paypal.openDispute({ capture_id: capId, reason: "MERCHANDISE_OR_SERVICE_NOT_RECEIVED" })
    expect(dispute.dispute_id).toMatch(/^PP-D-/)
    expect(dispute.disputed_transactions[0].seller_transaction_id).toBe(capId)
    expect(
      await issueOf(payments.refundCapturedPayment({ captureId: capId, paypalRequestId: "during-dispute" }))
    ).toMatchObject({
      issue: "REFUND_NOT_ALLOWED",
    })
    await paypal.updateDispute(dispute.dispute_id, "UNDER_REVIEW")
    const resolved = await paypal.resolveDispute(dispute.dispute_id, "lost")
    expect(resolved.dispute_outcome!.outcome_code).toBe("RESOLVED_BUYER_FAVOUR")
    expect((await payments.getCapturedPayment({ captureId: capId })).result.status).toBe("REFUNDED")

    const token = await client.clientCredentialsAuthManager.fetchToken()
    const res = await fetch(`${control.baseUrl}/paypal/v1/customer/disputes/${dispute.dispute_id}`, {
      headers: { authorization: `Bearer ${token.accessToken}` },
    })
    expect(((await res.json()) as { status: string }).status).toBe("RESOLVED")

    const cap2 = await captured("10.00")
    const d2 = await paypal.openDispute({ capture_id: cap2, amount: "5.00" })
    await paypal.resolveDispute(d2.dispute_id, "won")
    expect((await payments.getCapturedPayment({ captureId: cap2 })).result.status).toBe("COMPLETED")

    await control.webhooksIdle()
    const types = (await control.events("paypal"))
      .map((e) => e.type)
      .filter((t) => t.startsWith("CUSTOMER.DISPUTE") || t === "PAYMENT.CAPTURE.REVERSED")
    expect(types).toEqual([
      "CUSTOMER.DISPUTE.CREATED",
      "CUSTOMER.DISPUTE.UPDATED",
      "PAYMENT.CAPTURE.REVERSED",
      "CUSTOMER.DISPUTE.RESOLVED",
      "CUSTOMER.DISPUTE.CREATED",
      "CUSTOMER.DISPUTE.RESOLVED",
    ])
    const created = JSON.parse(
      (await control.events("paypal")).find((e) => e.type === "CUSTOMER.DISPUTE.CREATED")!.payload
    )
    expect(created.resource).toMatchObject({
      status: "WAITING_FOR_SELLER_RESPONSE",
      dispute_amount: { currency_code: "USD", value: "60.00" },
    })
    await expect(paypal.resolveDispute(d2.dispute_id, "won")).rejects.toThrow(/already resolved/)
  })
})
