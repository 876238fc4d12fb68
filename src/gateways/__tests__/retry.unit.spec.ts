/**
 * Retries of PSP calls (`retry.ts`) with PayPal's retry rule: network errors, 5xx and 409 are retried with backoff and
 * the same PayPal-Request-Id; other 4xx never are; the last failure becomes unknown_outcome. Fakes stand in for the
 * PSP (an injected sleep, a fake PaymentsController); errors are the SDK's own classes. No network.
 */
import { CustomError, type Client } from "@paypal/paypal-server-sdk"
import { AxiosError } from "axios"
import { GatewayError } from "../errors"
import { createPayPalClient } from "../paypal/paypal-client"
import { isRetryablePayPalError } from "../paypal/paypal-errors"
import { PayPalGateway } from "../paypal/paypal-gateway"
import { backoffDelay, DEFAULT_RETRY_BASE_DELAY_MS, DEFAULT_RETRY_MAX_DELAY_MS, withRetries } from "../retry"

function payPalError(status: number, issue: string): CustomError {
  const body = { name: issue, message: issue, debug_id: "dbg", details: [{ issue, description: `${issue}.` }] }
  const e = new CustomError(
    {
      request: { method: "POST", url: "https://api-m.paypal.com/x" },
      response: { statusCode: status, headers: {}, body: "" },
    },
    ""
  )
  e.result = body
  return e
}

const e500 = () => payPalError(500, "INTERNAL_SERVER_ERROR")
const e409 = () => payPalError(409, "DUPLICATE_REQUEST_ID")
const reset = () => new AxiosError("socket hang up", "ECONNRESET")

/** A function that fails with the given errors, then answers `ok`; records each attempt number. */
function script<T>(failures: unknown[], ok: T) {
  const attempts: number[] = []
  const fn = async (attempt: number) => {
    attempts.push(attempt)
    const failure = failures[attempts.length - 1]
    if (failure !== undefined) {
      throw failure
    }
    return ok
  }
  return { fn, attempts }
}

describe("backoffDelay", () => {
  it("doubles from 200 ms and caps at 5 s by default", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n))).toEqual([200, 400, 800, 1600, 3200, 5000, 5000])
    expect(DEFAULT_RETRY_BASE_DELAY_MS).toBe(200)
    expect(DEFAULT_RETRY_MAX_DELAY_MS).toBe(5000)
  })

  it("takes another base and cap", () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, { baseDelayMs: 50, maxDelayMs: 150 }))).toEqual([50, 100, 150, 150])
  })
})

describe("withRetries with PayPal's retry rule", () => {
  it("retries network errors, 5xx and 409, sleeping with backoff between attempts, until one succeeds", async () => {
    const sleeps: number[] = []
    const { fn, attempts } = script([reset(), e500(), e409()], "done")
    const result = await withRetries(fn, isRetryablePayPalError, {
      maxRetries: 3,
      sleep: async (ms) => {
        sleeps.push(ms)
      },
    })
    expect(result).toBe("done")
    expect(attempts).toEqual([0, 1, 2, 3])
    expect(sleeps).toEqual([200, 400, 800])
  })

  it.each([
    ["400", payPalError(400, "INVALID_PARAMETER_SYNTAX")],
    ["401", payPalError(401, "invalid_client")],
    ["404", payPalError(404, "INVALID_RESOURCE_ID")],
    ["422", payPalError(422, "AUTHORIZATION_EXPIRED")],
    ["429", payPalError(429, "RATE_LIMIT_REACHED")],
  ])("never retries a %s: one attempt, no sleep, the error as thrown", async (_status, error) => {
    const sleep = jest.fn(async () => undefined)
    const { fn, attempts } = script([error], "never")
    await expect(withRetries(fn, isRetryablePayPalError, { maxRetries: 5, sleep })).rejects.toBe(error)
    expect(attempts).toEqual([0])
    expect(sleep).not.toHaveBeenCalled()
  })

  it("stops after maxRetries and rethrows the last error; maxRetries 0 means one attempt", async () => {
    const last = e500()
    const { fn, attempts } = script([e500(), reset(), last], "never")
    await expect(withRetries(fn, isRetryablePayPalError, { maxRetries: 2, sleep: async () => undefined })).rejects.toBe(
      last
    )
    expect(attempts).toEqual([0, 1, 2])

    const once = script([e500()], "never")
    await expect(
      withRetries(once.fn, isRetryablePayPalError, { maxRetries: 0, sleep: async () => undefined })
    ).rejects.toBeDefined()
    expect(once.attempts).toEqual([0])
  })

  it("waits for real between attempts when no sleep is injected (fake timers)", async () => {
    jest.useFakeTimers()
    try {
      const { fn, attempts } = script([e500(), e500()], "done")
      const done = withRetries(fn, isRetryablePayPalError, { maxRetries: 2, baseDelayMs: 1000 })
      await jest.advanceTimersByTimeAsync(999)
      expect(attempts).toEqual([0])
      await jest.advanceTimersByTimeAsync(1)
      expect(attempts).toEqual([0, 1])
      await jest.advanceTimersByTimeAsync(1999)
      expect(attempts).toEqual([0, 1])
      await jest.advanceTimersByTimeAsync(1)
      await expect(done).resolves.toBe("done")
      expect(attempts).toEqual([0, 1, 2])
    } finally {
      jest.useRealTimers()
    }
  })
})

describe("PayPalGateway retries: the same PayPal-Request-Id on every attempt, unknown_outcome at the end", () => {
  const client: Client = createPayPalClient({
    clientId: "id",
    clientSecret: "secret",
    environment: "sandbox",
    timeoutMs: 1000,
  })

  /** A gateway whose PaymentsController is a fake answering refunds from a script. */
  function gatewayWith(failures: unknown[], maxNetworkRetries = 2) {
    const keys: (string | undefined)[] = []
    const refundCapturedPayment = async (req: { captureId: string; paypalRequestId?: string }) => {
      keys.push(req.paypalRequestId)
      const failure = failures[keys.length - 1]
      if (failure !== undefined) {
        throw failure
      }
      return {
        result: {
          id: "REFUND-1",
          status: "COMPLETED",
          amount: { currencyCode: "USD", value: "10.00" },
          invoiceId: `mpo-${req.paypalRequestId}`,
          createTime: "2026-06-15T12:00:00Z",
        },
      }
    }
    const gateway = new PayPalGateway(
      { clientId: "id", clientSecret: "secret", environment: "sandbox", timeoutMs: 1000, maxNetworkRetries },
      client
    )
    Object.assign(gateway, { payments: { refundCapturedPayment } })
    return { gateway, keys }
  }

  const refund = (gateway: PayPalGateway) =>
    gateway.refundPayment({
      reference: "ORDER-1",
      capture_id: "CAPTURE-1",
      amount: 1000,
      currency: "usd",
      idempotency_key: "refund-ref_01",
    })

  beforeEach(() => jest.useFakeTimers())
  afterEach(() => jest.useRealTimers())

  it("retries a lost answer and a 409 with one key, and returns PayPal's refund", async () => {
    const { gateway, keys } = gatewayWith([reset(), e409()])
    const done = refund(gateway)
    await jest.advanceTimersByTimeAsync(200 + 400)
    await expect(done).resolves.toMatchObject({
      id: "REFUND-1",
      amount: 1000,
      capture_id: "CAPTURE-1",
      issued_by_plugin_key: "refund-ref_01",
    })
    expect(keys).toEqual(["refund-ref_01", "refund-ref_01", "refund-ref_01"])
  })

  it("ends with unknown_outcome, saying the outcome at PayPal is unknown and what settles it", async () => {
    const { gateway, keys } = gatewayWith([e500(), e500(), e500()])
    const done = refund(gateway).catch((e: unknown) => e)
    await jest.advanceTimersByTimeAsync(200 + 400)
    const error = (await done) as GatewayError
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ kind: "unknown_outcome", psp: { status: 500, code: "INTERNAL_SERVER_ERROR" } })
    expect(error.message).toMatch(/^PayPal failed to refund the PayPal capture \(HTTP 500\)/)
    expect(error.message).toMatch(
      /the outcome at PayPal is unknown: PayPal may or may not have acted\. The webhook, or a retry with the same PayPal-Request-Id, will settle it\./
    )
    expect(keys).toEqual(["refund-ref_01", "refund-ref_01", "refund-ref_01"])
  })

  it("does not retry a 4xx: one call, the mapped error", async () => {
    const { gateway, keys } = gatewayWith([payPalError(422, "REFUND_AMOUNT_EXCEEDED")])
    await expect(refund(gateway)).rejects.toMatchObject({ kind: "invalid_amount" })
    expect(keys).toEqual(["refund-ref_01"])
  })
})
