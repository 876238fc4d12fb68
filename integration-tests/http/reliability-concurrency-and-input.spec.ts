/**
 * Reliability under concurrency and hostile input, on a real Medusa app against the sandbox:
 * - ten concurrent captures of one authorization (double clicks, two admins, both capture routes) and concurrent
 *   refunds over the captured amount, for Stripe and PayPal;
 * - the order lock holds for the whole action: a client that disconnects mid-capture does not release it, and a PSP
 *   call slower than the old 15 s lease keeps it;
 * - property-based fuzzing (fast-check) of the transaction routes and of Medusa's webhook URLs with thousands of
 *   malformed bodies and headers: never a 5xx, always a 4xx in the routes' error shape, and nothing changes in Medusa
 *   or at the PSP;
 * - forged, replayed (outside the tolerance) and cross-provider webhooks are rejected;
 * - every admin route answers 401 without a session and 401/403 with a publishable key only;
 * - nothing the app logged during the whole file, nor any admin response, holds an API key or a secret.
 */
import type { ILockingModule, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { AxiosResponse } from "axios"
import fc from "fast-check"
import { randomBytes, randomUUID } from "node:crypto"
import Stripe from "stripe"
import type { TransactionView } from "../../src/ledger/transaction-view"
import { paypalSigningIdentity } from "../../src/sandbox/paypal/certificate"
import { signTransmission } from "../../src/sandbox/paypal/signature"
import { orderLockKey } from "../../src/workflows/transactions/order-lock"
import { adminHeaders } from "../utils/admin"
import { startCheckout } from "../utils/checkout"
import {
  orderPayment,
  PAYPAL,
  placeAuthorizedOrder,
  STRIPE,
  type AuthorizedOrder,
  STRIPE_MULTICAPTURE_CARD,
} from "../utils/orders"
import { useSandbox } from "../utils/sandbox"
import { trackWebhookHandlers as trackHandlers } from "../utils/webhooks"
import { eventually, sleep } from "../utils/wait"

jest.setTimeout(600_000)

/** Everything the process writes (Medusa's logger, console), from before the app boots to the last test. */
const logged: string[] = []
const originalWrite = {
  stdout: process.stdout.write.bind(process.stdout),
  stderr: process.stderr.write.bind(process.stderr),
}
for (const stream of ["stdout", "stderr"] as const) {
  process[stream].write = ((chunk: unknown, ...rest: unknown[]) => {
    logged.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"))
    return (originalWrite[stream] as (...args: unknown[]) => boolean)(chunk, ...rest)
  }) as typeof process.stdout.write
}
for (const level of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[level].bind(console)
  console[level] = (...args: unknown[]) => {
    logged.push(args.map((a) => (typeof a === "string" ? a : safeJson(a))).join(" "))
    original(...args)
  }
}

/** Admin response bodies of the whole file, scanned for secrets at the end. */
const responses: string[] = []

const SECRETS: [string, RegExp][] = [
  ["the Stripe secret key", /sk_test_sandbox/],
  ["the PayPal client secret", /sandbox-client-secret/],
  ["PayPal's Basic credentials", new RegExp(Buffer.from("sandbox-client-id:sandbox-client-secret").toString("base64"))],
  ["the Stripe webhook secret", /whsec_sandbox/],
  ["a PaymentIntent client secret", /_secret_/],
]

const sandbox = useSandbox()
const control = () => sandbox.current.control

async function pspState(order: AuthorizedOrder) {
  if (order.authorizationId) {
    const auth = await control().paypal.getAuthorization(order.authorizationId)
    const minor = (value: string) => Math.round(Number(value) * 100)
    return {
      status: auth.status,
      captures: auth.captures.map((c) => minor(c.amount.value)),
      refunds: auth.captures.flatMap((c) => c.refunds).map((r) => minor(r.amount.value)),
    }
  }
  const pi = await control().stripe.inspectPaymentIntent(order.reference)
  return {
    status: pi.payment_intent.status,
    captures: pi.captures.map((c) => c.amount),
    refunds: pi.refunds.filter((r) => r.status !== "failed").map((r) => r.amount),
  }
}

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let headers: Record<string, string>
    const container = (): MedusaContainer => getContainer()
    const baseUrl = () => api.defaults.baseURL as string

    beforeEach(async () => {
      await control().reset()
      headers = await adminHeaders(container(), api)
    })

    const call = async (
      method: "get" | "post",
      url: string,
      body?: unknown,
      extraHeaders: Record<string, string> | null = {}
    ): Promise<AxiosResponse> => {
      const h = extraHeaders === null ? {} : { ...headers, ...extraHeaders }
      const res = await (method === "get" ? api.get(url, { headers: h }) : api.post(url, body, { headers: h })).catch(
        (e: { response?: AxiosResponse }) => {
          if (!e.response) {
            throw e
          }
          return e.response
        }
      )
      responses.push(safeJson(res.data))
      return res
    }

    const txBase = (orderId: string) => `/admin/orders/${orderId}/transactions`

    async function ledger(orderId: string): Promise<TransactionView[]> {
      const res = await call("get", txBase(orderId))
      expect(res.status).toBe(200)
      return res.data.data
    }

    /** Medusa's rows, the provider's records and the ledger, in minor units. */
    async function medusaState(order: AuthorizedOrder) {
      const payment = await orderPayment(container(), order.orderId)
      const lines = await ledger(order.orderId)
      const live = (type: string) =>
        lines.filter((t) => t.transaction_type === type && t.status !== "failed").map((t) => t.amount)
      return {
        captures: payment.captures.map((c) => Math.round(c.amount * 100)),
        refunds: payment.refunds.map((r) => Math.round(r.amount * 100)),
        canceled: payment.canceled_at !== null,
        recorded_captures: payment.data.captures.map((c) => c.amount),
        recorded_refunds: payment.data.refunds.map((r) => r.amount),
        ledger_captures: live("capture"),
        ledger_refunds: live("refund"),
        ledger: lines.map((t) => [t.id, t.transaction_type, t.amount, t.status, t.refunded_amount]),
      }
    }

    const ok = (res: AxiosResponse) => res.status >= 200 && res.status < 300
    const expectNo5xx = (results: AxiosResponse[]) =>
      expect(results.filter((r) => r.status >= 500).map((r) => [r.status, r.data])).toEqual([])

    describe.each([
      ["Stripe", STRIPE],
      ["PayPal", PAYPAL],
    ])("%s concurrency", (_name, provider) => {
      const place = () => placeAuthorizedOrder(api, container(), sandbox.current, provider)

      it("ten concurrent captures of one authorization (both routes): one capture at the PSP, one in Medusa", async () => {
        const order = await place()
        const auth = (await ledger(order.orderId)).find((t) => t.transaction_type === "authorize")!
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            i % 2 === 0
              ? call("post", `${txBase(order.orderId)}/${auth.id}/capture`, {})
              : call("post", `/admin/payments/${order.payment.id}/capture`, {})
          )
        )
        expectNo5xx(results)
        expect(results.filter(ok).length).toBeGreaterThanOrEqual(1)
        for (const refused of results.filter((r) => !ok(r))) {
          expect([400, 409]).toContain(refused.status)
        }

        expect(await pspState(order)).toMatchObject({ captures: [7000] })
        expect(await medusaState(order)).toMatchObject({
          captures: [7000],
          recorded_captures: [7000],
          ledger_captures: [7000],
        })
        const calls = (await control().requests({ method: "POST" })).filter((r) => /\/capture$/.test(r.path))
        expect(calls.filter((r) => !r.replayed)).toHaveLength(1)
      })

      it("ten concurrent refunds of 15.00 on a 70.00 capture (both routes): exactly four, six over-refund refusals", async () => {
        const order = await place()
        expect((await call("post", `/admin/payments/${order.payment.id}/capture`, {})).status).toBe(200)
        const capture = (await ledger(order.orderId)).find((t) => t.transaction_type === "capture")!
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            i % 2 === 0
              ? call("post", `${txBase(order.orderId)}/${capture.id}/refund`, { data: { amount: 1500 } })
              : call("post", `/admin/payments/${order.payment.id}/refund`, { amount: 15 })
          )
        )
        expectNo5xx(results)
        const detail = (r: AxiosResponse) => (r.data?.message ?? r.data?.errors?.[0]?.detail ?? null) as string | null
        // The order lock runs them one at a time. One that waited longer than the lock's timeout, or that Medusa found
        // in conflict with another request, is told to retry (409, nothing done): an admin's retry, sent once the
        // others are done, gets the answer it would have got.
        const first = results.map((r) => [r.status, detail(r)])
        const final: AxiosResponse[] = []
        for (const [i, r] of results.entries()) {
          let answer = r
          for (let retry = 0; answer.status === 409 && retry < 3; retry++) {
            answer =
              i % 2 === 0
                ? await call("post", `${txBase(order.orderId)}/${capture.id}/refund`, { data: { amount: 1500 } })
                : await call("post", `/admin/payments/${order.payment.id}/refund`, { amount: 15 })
          }
          final.push(answer)
        }
        expect(first.filter(([status]) => status === 409).map(([, message]) => message)).toEqual(
          first
            .filter(([status]) => status === 409)
            .map(() => expect.stringMatching(/Another payment action on this order|conflicted with another request/))
        )
        const answers = final.map((r) => [r.status, detail(r)])
        // Exactly four refunds of 15.00 fit in 70.00; each of the six others is the over-refund refusal, in its route's
        // words (the transaction API's, Medusa's).
        const overRefund =
          /only \$10\.00 of this capture is left to refund|not allowed to refund more than the captured amount|cannot refund more than what is captured/
        expect({
          succeeded: final.filter(ok).length,
          refusals: final.filter((r) => !ok(r)).map((r) => r.status === 400 && overRefund.test(detail(r) ?? "")),
          answers,
          first,
        }).toEqual({ succeeded: 4, refusals: Array(6).fill(true), answers, first })
        const succeeded = 4

        const psp = await pspState(order)
        const medusa = await medusaState(order)
        expect({ psp: psp.refunds, answers }).toEqual({ psp: Array(succeeded).fill(1500), answers })
        expect(medusa.refunds).toEqual(Array(succeeded).fill(1500))
        expect(medusa.ledger_refunds).toEqual(Array(succeeded).fill(1500))
        expect(medusa.recorded_refunds).toEqual(Array(succeeded).fill(1500))
      })
    })

    describe("the order lock holds for the whole action", () => {
      const lockKey = (order: AuthorizedOrder) => orderLockKey(order.orderId)

      /** Whether someone holds the order's lock right now: a probe with an owner of its own tries to take it. */
      async function lockHeld(order: AuthorizedOrder): Promise<boolean> {
        const locking = container().resolve<ILockingModule>(Modules.LOCKING)
        const owner = `probe:${Date.now()}:${Math.random()}`
        try {
          await locking.acquire(lockKey(order), { ownerId: owner, expire: 1 })
        } catch {
          return true
        }
        await locking.release(lockKey(order), { ownerId: owner })
        return false
      }

      /** A capture of the payment through Medusa's route, sent with fetch so that the client can walk away. */
      function captureThatCanDisconnect(order: AuthorizedOrder) {
        const abort = new AbortController()
        const sent = fetch(`${baseUrl()}/admin/payments/${order.payment.id}/capture`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: "{}",
          signal: abort.signal,
        }).then(
          (r) => r.status,
          (e: Error) => e.name
        )
        return { abort: () => abort.abort(), sent }
      }

      const pspCaptureCalls = async () =>
        (await control().requests({ psp: "stripe", method: "POST" })).filter((r) => /\/capture$/.test(r.path))

      it("a client that disconnects mid-capture does not release the lock: the next action waits, one capture", async () => {
        const order = await placeAuthorizedOrder(api, container(), sandbox.current, STRIPE)
        await control().addFault({ psp: "stripe", method: "POST", path: "/capture", kind: "latency", delay_ms: 4_000 })

        const first = captureThatCanDisconnect(order)
        await eventually(async () => expect(await pspCaptureCalls()).toHaveLength(1), { interval: 50 })
        first.abort()
        expect(await first.sent).toBe("AbortError")
        await sleep(100)

        // Medusa's workflow still runs (the PSP answers in ~4 s): the lock stays with it.
        expect(await lockHeld(order)).toBe(true)
        const sentAt = Date.now()
        const [second, refund] = await Promise.all([
          call("post", `/admin/payments/${order.payment.id}/capture`, {}),
          call("post", `/admin/payments/${order.payment.id}/refund`, { amount: 10 }),
        ])
        const waited = Date.now() - sentAt
        const captured = await orderPayment(container(), order.orderId)
        const answers = { second: [second.status, second.data?.message], refund: [refund.status, refund.data?.message] }

        // Neither ran beside the capture: each waited for it (then the capture found nothing left, the refund found
        // the capture), or was refused with a 409.
        expect({ waited: waited > 2_500 || [second.status, refund.status].includes(409), answers }).toEqual({
          waited: true,
          answers,
        })
        expectNo5xx([second, refund])
        expect([200, 400, 409]).toContain(second.status)
        expect([200, 409]).toContain(refund.status)
        expect(await lockHeld(order)).toBe(false)

        expect((await pspCaptureCalls()).filter((r) => !r.replayed)).toHaveLength(1)
        expect((await pspState(order)).captures).toEqual([7000])
        expect(captured.captures.map((c) => Math.round(c.amount * 100))).toEqual([7000])
        expect(captured.refunds.map((r) => Math.round(r.amount * 100))).toEqual(refund.status === 200 ? [1000] : [])
      })

      it("Medusa's routes that move money on an order take the same lock (capture, refund, cancel, returns…)", async () => {
        const order = await placeAuthorizedOrder(api, container(), sandbox.current, STRIPE)
        const begun = await call("post", "/admin/returns", { order_id: order.orderId })
        expect(begun.status).toBe(200)
        const returnId = begun.data.return.id as string
        const collection = (
          await container()
            .resolve(ContainerRegistrationKeys.QUERY)
            .graph({
              entity: "order_payment_collection",
              fields: ["payment_collection_id"],
              filters: { order_id: order.orderId },
            })
        ).data[0].payment_collection_id as string

        const locking = container().resolve<ILockingModule>(Modules.LOCKING)
        await locking.acquire(lockKey(order), { ownerId: "test-holder", expire: 30 })
        try {
          const results = await Promise.all([
            call("post", `/admin/payments/${order.payment.id}/capture`, {}),
            call("post", `/admin/payments/${order.payment.id}/refund`, { amount: 1 }),
            call("post", `/admin/orders/${order.orderId}/cancel`, {}),
            call("post", `/admin/payment-collections/${collection}/mark-as-paid`, { order_id: order.orderId }),
            call("post", `/admin/returns/${returnId}/request`, {}),
            call("post", `/admin/order-edits/${order.orderId}/confirm`, {}),
          ])
          expect(results.map((r) => r.status)).toEqual(Array(results.length).fill(409))
        } finally {
          await locking.release(lockKey(order), { ownerId: "test-holder" })
        }
        expect(await pspCaptureCalls()).toHaveLength(0)
        expect(await orderPayment(container(), order.orderId)).toMatchObject({ captures: [], canceled_at: null })
      })

      it("a PSP call slower than the old 15 s lease (a timeout, a retry, a slow answer) keeps the lock", async () => {
        const order = await placeAuthorizedOrder(api, container(), sandbox.current, STRIPE)
        const auth = (await ledger(order.orderId)).find((t) => t.transaction_type === "authorize")!
        // The store's Stripe client times out after 10 s and retries: the first attempt is held past that timeout
        // (and dropped, nothing done), the retry answers after 6 s more. One PSP call of ~16.5 s.
        await control().addFault({
          psp: "stripe",
          method: "POST",
          path: "/capture",
          kind: "timeout",
          delay_ms: 11_000,
        })
        await control().addFault({ psp: "stripe", method: "POST", path: "/capture", kind: "latency", delay_ms: 6_000 })

        const startedAt = Date.now()
        let firstDoneAt = 0
        const first = call("post", `/admin/payments/${order.payment.id}/capture`, {}).then((r) => {
          firstDoneAt = Date.now()
          return r
        })
        await sleep(15_500)
        expect(firstDoneAt).toBe(0)
        expect(await lockHeld(order)).toBe(true)

        // Past the old lease, a concurrent action on the order (through the transaction route's workflow lock) is
        // still not let through: it waits for the capture, then finds nothing left to capture, or is refused.
        const second = await call("post", `${txBase(order.orderId)}/${auth.id}/capture`, {})
        const secondDoneAt = Date.now()
        const firstAnswer = await first
        expect(firstAnswer.status).toBe(200)
        expect(firstDoneAt - startedAt).toBeGreaterThan(15_000)
        expectNo5xx([second])
        expect([400, 409, 422]).toContain(second.status)
        expect(secondDoneAt).toBeGreaterThanOrEqual(firstDoneAt)

        const calls = await pspCaptureCalls()
        expect(calls.map((c) => c.fault)).toEqual(["timeout:before", "latency:before"])
        expect((await pspState(order)).captures).toEqual([7000])
        expect(
          (await orderPayment(container(), order.orderId)).captures.map((c) => Math.round(c.amount * 100))
        ).toEqual([7000])
      })
    })

    describe("hostile input to the transaction routes (fast-check)", () => {
      it("thousands of malformed bodies and headers: never a 5xx, always a 4xx in the routes' shape, nothing changes", async () => {
        // A card with multicapture: the capture below stays non-final, so there is something left to capture.
        const order = await placeAuthorizedOrder(api, container(), sandbox.current, STRIPE, {
          payment_method: STRIPE_MULTICAPTURE_CARD,
        })
        const auth = (await ledger(order.orderId)).find((t) => t.transaction_type === "authorize")!
        const captured = await call("post", `${txBase(order.orderId)}/${auth.id}/capture`, {
          data: { capture_amount: 2000, capture_type: "non-final" },
        })
        expect(captured.status).toBe(200)
        const captureTx = captured.data.data as TransactionView
        const before = { medusa: await medusaState(order), psp: await pspState(order) }
        const pspPosts = (await control().requests({ method: "POST" })).length

        const targets = {
          capture: `${txBase(order.orderId)}/${auth.id}/capture`,
          refund: `${txBase(order.orderId)}/${captureTx.id}/refund`,
          cancel: `${txBase(order.orderId)}/${auth.id}/cancel`,
        }
        const request = fc.record({
          target: fc.oneof(
            fc.constantFrom(...(Object.keys(targets) as (keyof typeof targets)[])).map((k) => targets[k]),
            fc
              .tuple(pathSegment(), pathSegment(), fc.constantFrom("capture", "refund", "cancel"))
              .map(([o, t, a]) => `/admin/orders/${o}/transactions/${t}/${a}`)
          ),
          body: malformedBody(),
          headers: noiseHeaders(),
        })

        let sent = 0
        await fc.assert(
          fc.asyncProperty(fc.array(request, { minLength: 8, maxLength: 8 }), async (batch) => {
            const answers = await Promise.all(
              batch.map(async (r) => {
                const response = await fetch(`${baseUrl()}${r.target}`, {
                  method: "POST",
                  headers: { ...r.headers, ...headers, ...(r.body.type ? { "content-type": r.body.type } : {}) },
                  body: r.body.raw,
                })
                const text = await response.text()
                responses.push(text)
                return { r, status: response.status, text }
              })
            )
            sent += batch.length
            for (const { r, status, text } of answers) {
              const context = { target: r.target, type: r.body.type, body: r.body.raw.slice(0, 200), status, text }
              expect({ ...context, ok: status >= 400 && status < 500 }).toEqual({ ...context, ok: true })
              const parsed = JSON.parse(text) as { errors?: unknown[] }
              expect({ ...context, errors: parsed.errors }).toEqual({
                ...context,
                errors: [
                  expect.objectContaining({ status, title: expect.any(String), detail: expect.stringMatching(/\S/) }),
                ],
              })
            }
          }),
          { numRuns: 250, endOnFailure: true }
        )
        expect(sent).toBe(2000)

        expect({ medusa: await medusaState(order), psp: await pspState(order) }).toEqual(before)
        expect((await control().requests({ method: "POST" })).length).toBe(pspPosts)
      })

      it("wrong content types, non-JSON and oversized bodies answer 4xx in the routes' shape (examples)", async () => {
        const order = await placeAuthorizedOrder(api, container(), sandbox.current, PAYPAL)
        const auth = (await ledger(order.orderId)).find((t) => t.transaction_type === "authorize")!
        const url = `${baseUrl()}${txBase(order.orderId)}/${auth.id}/capture`
        const cases: [string, string, string, number][] = [
          [
            "a form body that Medusa would parse as {data: {...}}",
            "application/x-www-form-urlencoded",
            "data[custom_reference]=x",
            415,
          ],
          ["text that Medusa would read as no body", "text/plain", "capture everything", 415],
          ["an unknown type that Medusa would skip (body counted as {})", "application/xml", "<data/>", 415],
          ["broken JSON", "application/json", '{"data": {', 400],
          ["JSON in another charset", "application/json; charset=latin1", "{}", 415],
          ["a JSON string", "application/json", '"capture"', 400],
          ["JSON null", "application/json", "null", 400],
          [
            "more than 100 KB",
            "application/json",
            JSON.stringify({ data: { custom_reference: "x".repeat(200_000) } }),
            413,
          ],
        ]
        for (const [name, type, body, status] of cases) {
          const res = await fetch(url, { method: "POST", headers: { ...headers, "content-type": type }, body })
          const parsed = (await res.json()) as { errors: { status: number; detail: string }[] }
          expect({ name, status: res.status }).toEqual({ name, status })
          expect(parsed.errors).toEqual([expect.objectContaining({ status, detail: expect.any(String) })])
        }
        expect(await pspState(order)).toMatchObject({ captures: [] })
        expect((await medusaState(order)).captures).toEqual([])
      })
    })

    describe("webhooks", () => {
      const hookUrl = (provider: string) => `${baseUrl()}/hooks/payment/${provider.replace(/^pp_/, "")}`

      const trackWebhookHandlers = () => trackHandlers(container())

      it("random bodies and headers at both webhook URLs, and forged events about the real orders: never a 5xx, nothing changes", async () => {
        const order = await placeAuthorizedOrder(api, container(), sandbox.current, PAYPAL)
        const stripeOrder = await placeAuthorizedOrder(api, container(), sandbox.current, STRIPE)
        const before = [await medusaState(order), await medusaState(stripeOrder)]
        const psp = [await pspState(order), await pspState(stripeOrder)]
        const { cert_url: certUrl } = await control().paypal.certificates()
        // The events name the real orders (their PSP references and Medusa sessions): only the signature checks stand
        // between them and a capture, a cancel, a refund or a dispute recorded in Medusa.
        const targets: FuzzTargets = {
          stripeIntent: stripeOrder.reference,
          stripeSession: stripeOrder.checkout.session.id,
          paypalOrder: order.reference,
          paypalAuthorization: order.authorizationId!,
          paypalSession: order.checkout.session.id,
        }
        const hostile = fc.record({
          provider: fc.constantFrom(STRIPE, PAYPAL, "pp_stripe_nope"),
          body: fc.oneof(malformedBody(), plausibleEvent(targets), plausibleEvent(targets)),
          headers: fc.oneof(noiseHeaders(), signatureLookalikes()),
          // A signature of the right form for this very body, made now: with another secret (Stripe), or with a
          // signature PayPal never made under the sandbox's own certificate URL.
          forge: fc.constantFrom(null, "stripe", "paypal", "stripe", "paypal"),
        })
        const samples = fc.sample(fc.array(hostile, { minLength: 10, maxLength: 10 }), { numRuns: 40, seed: 4242 })
        const forgedHeaders = (forge: string | null, payload: string): Record<string, string> =>
          forge === "stripe"
            ? {
                "stripe-signature": new Stripe("sk_test_other").webhooks.generateTestHeaderString({
                  payload,
                  secret: "whsec_attacker",
                }),
              }
            : forge === "paypal"
              ? {
                  "paypal-transmission-id": randomUUID(),
                  "paypal-transmission-time": new Date().toISOString(),
                  "paypal-transmission-sig": randomBytes(256).toString("base64"),
                  "paypal-cert-url": certUrl,
                  "paypal-auth-algo": "SHA256withRSA",
                }
              : {}
        const handlers = trackWebhookHandlers()
        let accepted = 0
        let aboutRealOrders = 0
        const statuses: number[] = []
        try {
          for (const batch of samples) {
            const answers = await Promise.all(
              batch.map(async (h) => {
                if (Object.values(targets).some((id) => h.body.raw.includes(id))) {
                  aboutRealOrders++
                }
                const send = () =>
                  fetch(hookUrl(h.provider), {
                    method: "POST",
                    headers: {
                      ...h.headers,
                      ...forgedHeaders(h.forge, h.body.raw),
                      ...(h.body.type ? { "content-type": h.body.type } : {}),
                    },
                    body: h.body.raw,
                  })
                // A kept-alive connection the server closed just as the request went out (a reset before any
                // answer) is sent again once; a second reset fails the test.
                const response = await send()
                  .catch((e: Error & { cause?: { code?: string } }) => {
                    if (e.cause?.code !== "ECONNRESET") {
                      throw e
                    }
                    return send()
                  })
                  .catch((e: Error & { cause?: { code?: string } }) => {
                    const sent = { provider: h.provider, forge: h.forge, headers: h.headers, body: h.body }
                    throw new Error(`${e.message} (${e.cause?.code}) for ${JSON.stringify(sent).slice(0, 1500)}`)
                  })
                await response.arrayBuffer()
                return response.status
              })
            )
            statuses.push(...answers)
            accepted += answers.filter((status) => status === 200).length
          }
          expect(statuses.filter((s) => s >= 500)).toEqual([])
          expect(statuses).toHaveLength(400)
          expect(accepted).toBeGreaterThan(0)
          expect(aboutRealOrders).toBeGreaterThan(100)
          // Medusa queues each accepted delivery and handles it 5 s later: wait until every handler of every one ran.
          await handlers.done(accepted)
        } finally {
          handlers.restore()
        }
        expect([await medusaState(order), await medusaState(stripeOrder)]).toEqual(before)
        expect([await pspState(order), await pspState(stripeOrder)]).toEqual(psp)
      })

      it("forged, replayed (outside the tolerance) and cross-provider deliveries are rejected; the genuine one is not", async () => {
        const payments = container().resolve(Modules.PAYMENT)
        await control().configureWebhooks("stripe", { url: hookUrl(STRIPE), hold: true })
        await control().configureWebhooks("paypal", { url: hookUrl(PAYPAL), hold: true })
        // A buyer confirmed the card, but the storefront never completed the cart: the genuine
        // payment_intent.amount_capturable_updated would turn it into an order.
        const checkout = await startCheckout(api, container(), { provider_id: STRIPE })
        const intentId = checkout.session.data.id as string
        await control().stripe.confirmPaymentIntent(intentId)
        const event = (await control().events("stripe")).find(
          (e) => e.type === "payment_intent.amount_capturable_updated" && e.payload.includes(intentId)
        )!
        expect(event).toBeDefined()
        const forgedHeader = new Stripe("sk_test_other").webhooks.generateTestHeaderString({
          payload: event.payload,
          secret: "whsec_attacker",
        })

        // A PayPal order that was authorized: its PAYMENT.AUTHORIZATION.CREATED, signed by the sandbox.
        const paypalOrder = await placeAuthorizedOrder(api, container(), sandbox.current, PAYPAL)
        const paypalEvent = (await control().events("paypal")).find(
          (e) => e.type === "PAYMENT.AUTHORIZATION.CREATED" && e.payload.includes(paypalOrder.authorizationId!)
        )!
        expect(paypalEvent).toBeDefined()
        const { cert_url } = await control().paypal.certificates()
        const paypalSigned = signTransmission({
          body: paypalEvent.payload,
          webhookId: sandbox.current.paypal.webhookId,
          privateKey: paypalSigningIdentity.privateKey(),
          certUrl: cert_url,
          now: Date.now(),
        })
        const stripeSigned = {
          "stripe-signature": new Stripe("sk_test_other").webhooks.generateTestHeaderString({
            payload: event.payload,
            secret: sandbox.current.stripe.webhookSecret,
          }),
        }

        // What each provider makes of each delivery (the webhook route hands exactly this to them).
        const action = (provider: string, payload: string, h: Record<string, string>) =>
          payments.getWebhookActionAndData({
            provider: provider.replace(/^pp_/, ""),
            payload: { data: JSON.parse(payload), rawData: Buffer.from(payload), headers: h },
          })
        expect(await action(STRIPE, event.payload, { "stripe-signature": forgedHeader })).toEqual({
          action: "not_supported",
        })
        expect(await action(PAYPAL, event.payload, stripeSigned)).toEqual({ action: "not_supported" })
        expect(await action(STRIPE, paypalEvent.payload, paypalSigned)).toEqual({ action: "not_supported" })
        expect(
          await action(PAYPAL, paypalEvent.payload, { ...paypalSigned, "paypal-transmission-id": "replayed-elsewhere" })
        ).toEqual({
          action: "not_supported",
        })
        // The genuine ones are understood, so the refusals above are about trust, not about the events.
        expect(await action(STRIPE, event.payload, stripeSigned)).toMatchObject({ action: "authorized" })
        expect(await action(PAYPAL, paypalEvent.payload, paypalSigned)).toMatchObject({ action: "authorized" })

        // Through Medusa's webhook route: forged, replayed 10 minutes late, and cross-provider (the Stripe delivery at
        // PayPal's URL, the PayPal delivery at Stripe's): all answered 200 by design, none acted on.
        const handlers = trackWebhookHandlers()
        const post = (url: string, body: string, h: Record<string, string>) =>
          fetch(url, { method: "POST", headers: { "content-type": "application/json", ...h }, body })
        expect((await post(hookUrl(STRIPE), event.payload, { "stripe-signature": forgedHeader })).status).toBe(200)
        const replayed = await control().redeliver([event.id], { timestamp_offset_seconds: -600 })
        expect(replayed.map((d) => d.status)).toEqual([200])
        expect((await post(hookUrl(PAYPAL), event.payload, stripeSigned)).status).toBe(200)
        expect((await post(hookUrl(STRIPE), paypalEvent.payload, paypalSigned)).status).toBe(200)
        await handlers.done(4)
        expect(await completedOrders(checkout.cart.id)).toEqual([])
        expect(await payments.listPayments({ payment_session_id: checkout.session.id })).toHaveLength(0)

        try {
          expect((await control().redeliver([event.id])).map((d) => d.status)).toEqual([200])
          await handlers.done(5)
        } finally {
          handlers.restore()
        }
        await waitFor(async () => (await completedOrders(checkout.cart.id)).length === 1)
        expect(await payments.listPayments({ payment_session_id: checkout.session.id })).toHaveLength(1)
      })

      async function completedOrders(cartId: string): Promise<string[]> {
        const { data } = await container()
          .resolve("query")
          .graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
        return (data as { order_id: string }[]).map((o) => o.order_id)
      }
    })

    describe("auth", () => {
      it("every admin route answers 401 without a session and 401/403 with a publishable key only; nothing changes", async () => {
        const order = await placeAuthorizedOrder(api, container(), sandbox.current, STRIPE)
        const capture = await call("post", `/admin/payments/${order.payment.id}/capture`, { amount: 20 })
        expect(capture.status).toBe(200)
        const lines = await ledger(order.orderId)
        const auth = lines.find((t) => t.transaction_type === "authorize")!
        const captureTx = lines.find((t) => t.transaction_type === "capture")!
        const before = { medusa: await medusaState(order), psp: await pspState(order) }
        const publishable = order.checkout.store.publishable_key

        const routes: ["get" | "post", string, unknown][] = [
          ["get", txBase(order.orderId), undefined],
          ["get", `${txBase(order.orderId)}/${auth.id}`, undefined],
          ["post", `${txBase(order.orderId)}/${auth.id}/capture`, {}],
          ["post", `${txBase(order.orderId)}/${captureTx.id}/refund`, {}],
          ["post", `${txBase(order.orderId)}/${auth.id}/cancel`, {}],
          ["post", `/admin/payments/${order.payment.id}/capture`, {}],
          ["post", `/admin/payments/${order.payment.id}/refund`, { amount: 1 }],
          ["get", `/admin/payments/${order.payment.id}`, undefined],
          ["get", `/admin/orders/${order.orderId}`, undefined],
        ]
        const anonymous: [string, Record<string, string>, number[]][] = [
          ["no session", {}, [401]],
          ["a garbage bearer token", { authorization: "Bearer not-a-token" }, [401]],
          ["the publishable key header", { "x-publishable-api-key": publishable }, [401, 403]],
          [
            "the publishable key as an API key",
            { authorization: `Basic ${Buffer.from(`${publishable}:`).toString("base64")}` },
            [401, 403],
          ],
        ]
        for (const [method, url, body] of routes) {
          for (const [who, h, allowed] of anonymous) {
            const res = await call(method, url, body, null).then((r) => r)
            const withHeaders = await (
              method === "get" ? api.get(url, { headers: h }) : api.post(url, body, { headers: h })
            ).catch((e: { response: AxiosResponse }) => e.response)
            responses.push(safeJson(withHeaders.data))
            expect({ url, who: "no headers", status: res.status }).toEqual({ url, who: "no headers", status: 401 })
            expect({ url, who, ok: allowed.includes(withHeaders.status) }).toEqual({ url, who, ok: true })
          }
        }
        expect({ medusa: await medusaState(order), psp: await pspState(order) }).toEqual(before)
      })
    })

    describe("secrets", () => {
      it("no log line of the whole file and no admin response holds an API key, a client secret or a webhook secret", async () => {
        // PSP errors of its own, whatever ran before: an unknown outcome (the PSP answers 500 three times) and a PSP
        // refusal (the authorization expired). The scan must cover the lines they produced.
        const order = await placeAuthorizedOrder(api, container(), sandbox.current, STRIPE)
        // Medusa's logger may write through a console the test cannot see (jest's, a transport's own stream): its
        // calls are recorded here too, so the lines below are scanned whatever the logger writes to.
        const logger = container().resolve(ContainerRegistrationKeys.LOGGER) as unknown as Record<
          string,
          (...args: unknown[]) => unknown
        >
        for (const level of ["error", "warn", "info", "log"]) {
          const original = logger[level].bind(logger)
          logger[level] = (...args: unknown[]) => {
            logged.push(args.map((a) => (typeof a === "string" ? a : safeJson(a))).join(" "))
            return original(...args)
          }
        }
        const fromLog = logged.length
        const fromResponses = responses.length
        await control().addFault({
          psp: "stripe",
          method: "POST",
          path: "/capture",
          kind: "status",
          status: 500,
          count: 3,
        })
        const route = `/admin/payments/${order.payment.id}/capture`
        const unknown = await call("post", route, {})
        expect(unknown.status).toBe(500)
        await control().stripe.expirePaymentIntent(order.reference)
        const refused = await call("post", route, {})
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/expired/)

        // Both were logged (the unknown outcome as an error with its cause, the refusal with its sentence); the
        // responses hold the refusal.
        const triggered = logged.slice(fromLog).join("")
        for (const line of [
          "Stripe failed to capture the payment (An injected sandbox fault.); the outcome at Stripe is unknown",
          refused.data.message as string,
        ]) {
          expect({ line, logged: triggered.includes(line), triggered }).toEqual({ line, logged: true, triggered })
        }
        expect(responses.slice(fromResponses).join("\n")).toContain(refused.data.message)
        const text = { logs: logged.join(""), responses: responses.join("\n") }
        for (const [what, pattern] of SECRETS) {
          for (const [where, haystack] of Object.entries(text)) {
            const match = pattern.exec(haystack)
            const around = match ? haystack.slice(Math.max(0, match.index - 200), match.index + 100) : null
            expect({ what, where, around }).toEqual({ what, where, around: null })
          }
        }
      })
    })
  },
})

interface RawBody {
  type: string | null
  raw: string
}

/** The keys each route's `data` accepts, so invalid ones can be built on purpose. */
const KNOWN_KEYS = [
  "custom_reference",
  "capture_mechanism",
  "capture_amount",
  "capture_type",
  "capture_statement_descriptor",
  "invoice_detail_ids",
  "amount",
  "note",
]

/**
 * Bodies that no transaction route accepts, whatever the route: not JSON, JSON of the wrong shape, unknown fields, or
 * known fields with values of the wrong type or range. Never blank (a blank body is a valid "no body").
 */
function malformedBody(): fc.Arbitrary<RawBody> {
  const jsonTypes = fc.constantFrom("application/json", "application/json; charset=utf-8", "application/vnd.api+json")
  const otherTypes = fc.oneof(
    fc.constantFrom(
      null,
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/xml",
      "multipart/form-data; boundary=x",
      "application/octet-stream",
      "application/json; charset=latin1"
    ),
    fc.stringMatching(/^[a-z]{1,10}\/[a-z0-9.+-]{1,12}$/).filter((t) => !/json$/.test(t))
  )
  const nonBlank = fc.string({ unit: "grapheme", minLength: 1, maxLength: 300 }).filter((s) => s.trim() !== "")
  const wrongValue = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.double({ noInteger: true }),
    fc.integer({ max: 0 }),
    fc.constant(Number.MAX_SAFE_INTEGER + 2),
    fc.array(fc.jsonValue(), { maxLength: 3 }),
    fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
    fc.string({ minLength: 256, maxLength: 400 })
  )
  const badKnown = fc
    .tuple(fc.constantFrom(...KNOWN_KEYS), wrongValue)
    // (a string is a valid note up to 1000 characters, and a valid custom_reference up to 255)
    .filter(
      ([key, value]) =>
        !(typeof value === "string" && (key === "note" || (key === "custom_reference" && value.length <= 255)))
    )
    .map(([key, value]) => ({ data: { [key]: value } }))
  const unknownKey = fc.string({ minLength: 1 }).filter((k) => !KNOWN_KEYS.includes(k) && k !== "data")
  const invalidJson = fc.oneof(
    fc.jsonValue().filter((v) => v === null || typeof v !== "object" || Array.isArray(v)),
    fc.tuple(unknownKey, fc.jsonValue()).map(([k, v]) => ({ [k]: v, data: {} })),
    fc.tuple(unknownKey, fc.jsonValue()).map(([k, v]) => ({ data: { [k]: v } })),
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.jsonValue())).map((d) => ({ data: d })),
    badKnown
  )
  return fc.oneof(
    fc.tuple(jsonTypes, invalidJson).map(([type, value]) => ({ type, raw: JSON.stringify(value) })),
    fc.tuple(jsonTypes, nonBlank).map(([type, text]) => ({ type, raw: `{${text}` })),
    fc.tuple(otherTypes, nonBlank).map(([type, text]) => ({ type, raw: text })),
    fc.tuple(otherTypes, invalidJson).map(([type, value]) => ({ type, raw: JSON.stringify(value) }))
  )
}

/** The real orders the forged webhook events are about. */
interface FuzzTargets {
  stripeIntent: string
  stripeSession: string
  paypalOrder: string
  paypalAuthorization: string
  paypalSession: string
}

/**
 * PSP event bodies of the types the providers and the sync act on, shaped as Stripe and PayPal send them and naming the
 * real orders (PaymentIntent, PayPal order and authorization, Medusa sessions), with made-up event, charge, capture,
 * refund and dispute ids and amounts up to the order's. Signed by nobody the store trusts.
 */
function plausibleEvent(t: FuzzTargets): fc.Arbitrary<RawBody> {
  const stripe = fc
    .record({
      type: fc.constantFrom(
        "payment_intent.succeeded",
        "payment_intent.amount_capturable_updated",
        "payment_intent.canceled",
        "payment_intent.payment_failed",
        "charge.captured",
        "charge.refunded",
        "refund.created",
        "refund.updated",
        "charge.dispute.created",
        "charge.dispute.closed"
      ),
      id: fc.string({ minLength: 1, maxLength: 12 }),
      amount: fc.oneof(fc.constant(7000), fc.integer({ min: 1, max: 7000 })),
      session: fc.constantFrom(t.stripeSession, ""),
    })
    .map((e) => {
      const metadata = e.session ? { session_id: e.session } : {}
      const charge = `ch_${e.id}`
      const object = e.type.startsWith("payment_intent.")
        ? {
            id: t.stripeIntent,
            object: "payment_intent",
            amount: 7000,
            amount_capturable: e.type.endsWith("capturable_updated") ? e.amount : 0,
            amount_received: e.type.endsWith("succeeded") ? e.amount : 0,
            currency: "usd",
            capture_method: "manual",
            status:
              { succeeded: "succeeded", canceled: "canceled", payment_failed: "requires_payment_method" }[
                e.type.split(".")[1]
              ] ?? "requires_capture",
            latest_charge: charge,
            metadata,
          }
        : e.type.startsWith("charge.dispute.")
          ? {
              id: `dp_${e.id}`,
              object: "dispute",
              amount: e.amount,
              currency: "usd",
              charge,
              payment_intent: t.stripeIntent,
              reason: "fraudulent",
              status: e.type.endsWith("closed") ? "lost" : "needs_response",
              metadata: {},
            }
          : e.type.startsWith("refund.")
            ? {
                id: `re_${e.id}`,
                object: "refund",
                amount: e.amount,
                currency: "usd",
                charge,
                payment_intent: t.stripeIntent,
                status: "succeeded",
                metadata: {},
              }
            : {
                id: charge,
                object: "charge",
                amount: 7000,
                amount_captured: 7000,
                amount_refunded: e.type === "charge.refunded" ? e.amount : 0,
                captured: true,
                refunded: e.type === "charge.refunded" && e.amount === 7000,
                currency: "usd",
                payment_intent: t.stripeIntent,
                metadata,
              }
      return {
        type: "application/json",
        raw: JSON.stringify({
          id: `evt_${e.id}`,
          object: "event",
          api_version: "2025-01-27.acacia",
          created: Math.floor(Date.now() / 1000),
          livemode: false,
          type: e.type,
          data: { object },
        }),
      }
    })
  const paypal = fc
    .record({
      type: fc.constantFrom(
        "CHECKOUT.ORDER.APPROVED",
        "PAYMENT.AUTHORIZATION.CREATED",
        "PAYMENT.AUTHORIZATION.VOIDED",
        "PAYMENT.CAPTURE.COMPLETED",
        "PAYMENT.CAPTURE.REFUNDED",
        "PAYMENT.CAPTURE.REVERSED",
        "CUSTOMER.DISPUTE.CREATED",
        "CUSTOMER.DISPUTE.RESOLVED"
      ),
      id: fc.string({ minLength: 1, maxLength: 12 }),
      value: fc.constantFrom("70.00", "15.00", "0.01"),
      session: fc.constantFrom(t.paypalSession, ""),
    })
    .map((e) => {
      const amount = { currency_code: "USD", value: e.value }
      const custom = e.session ? { custom_id: e.session } : {}
      const related = { related_ids: { order_id: t.paypalOrder, authorization_id: t.paypalAuthorization } }
      const resource = e.type.startsWith("CHECKOUT.")
        ? { id: t.paypalOrder, intent: "AUTHORIZE", status: "APPROVED", purchase_units: [{ amount, ...custom }] }
        : e.type.startsWith("PAYMENT.AUTHORIZATION.")
          ? {
              id: t.paypalAuthorization,
              status: e.type.endsWith("VOIDED") ? "VOIDED" : "CREATED",
              amount,
              ...custom,
              supplementary_data: related,
            }
          : e.type.startsWith("CUSTOMER.DISPUTE.")
            ? {
                dispute_id: `PP-D-${e.id}`,
                status: e.type.endsWith("RESOLVED") ? "RESOLVED" : "OPEN",
                dispute_outcome: e.type.endsWith("RESOLVED") ? { outcome_code: "RESOLVED_BUYER_FAVOUR" } : undefined,
                dispute_amount: amount,
                disputed_transactions: [{ seller_transaction_id: `CAP-${e.id}`, custom: e.session || undefined }],
              }
            : {
                id: e.type.endsWith("COMPLETED") ? `CAP-${e.id}` : `REF-${e.id}`,
                status: "COMPLETED",
                amount,
                ...custom,
                supplementary_data: related,
                links: [
                  { rel: "up", href: `https://api.paypal.com/v2/payments/authorizations/${t.paypalAuthorization}` },
                ],
              }
      return {
        type: "application/json",
        raw: JSON.stringify({
          id: `WH-${e.id}`,
          event_version: "1.0",
          create_time: new Date().toISOString(),
          resource_type: e.type.split(".")[1].toLowerCase(),
          event_type: e.type,
          resource,
        }),
      }
    })
  return fc.oneof(stripe, paypal)
}

/** A path segment: any text, URL-encoded; never "." or ".." (which a client resolves away). */
function pathSegment(): fc.Arbitrary<string> {
  return fc
    .string({ unit: "grapheme", maxLength: 40 })
    .filter((s) => s !== "" && s !== "." && s !== "..")
    .map((s) => encodeURIComponent(s))
}

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 80,
})

/** Random request headers a client could send (visible ASCII values). */
function noiseHeaders(): fc.Arbitrary<Record<string, string>> {
  return fc.dictionary(
    fc.constantFrom(
      "accept",
      "accept-language",
      "x-forwarded-for",
      "x-request-id",
      "idempotency-key",
      "user-agent",
      "origin",
      "cookie",
      "x-publishable-api-key",
      "x-medusa-locale",
      "if-none-match",
      "x-anything"
    ),
    printable.map((v) => v.trim()),
    { maxKeys: 5 }
  )
}

/** Headers that look like PSP signatures but are not. */
function signatureLookalikes(): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    fc.record({
      "stripe-signature": fc.oneof(
        printable,
        fc.nat().map((t) => `t=${t},v1=${"ab".repeat(32)}`)
      ),
    }),
    fc.record({
      "paypal-transmission-id": printable,
      "paypal-transmission-time": fc.oneof(
        printable,
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
      ),
      "paypal-transmission-sig": printable,
      "paypal-cert-url": fc.oneof(printable, fc.webUrl()),
      "paypal-auth-algo": fc.constantFrom("SHA256withRSA", "none", ""),
    })
  )
}

async function waitFor(check: () => Promise<boolean>, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error("Gave up waiting.")
}

function safeJson(value: unknown): string {
  try {
    return typeof value === "string" ? value : JSON.stringify(value)
  } catch {
    return String(value)
  }
}
