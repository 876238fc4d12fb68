/**
 * The order lock (`order-lock.ts`, `payment-action-lock.ts`): the lease computed from the PSP clients' worst case,
 * owner-only release (a holder whose lease lapsed and was taken over cannot release the next holder's lock), renewal
 * while held, the renewal cap, and the HTTP release rule (the end of the handler, never the client's disconnect).
 * Against Medusa's own in-memory locking provider, and its Redis provider when LOCK_TEST_REDIS_URL is set
 * (e.g. redis://127.0.0.1:6379/9). Real timers, leases of one second.
 */
import { InMemoryLockingProvider } from "@medusajs/locking/dist/providers/in-memory"
import { RedisLockingProvider } from "@medusajs/locking-redis/dist/services/redis-lock"
import type { MedusaResponse } from "@medusajs/framework/http"
import Redis from "ioredis"
import { EventEmitter } from "node:events"
import { randomUUID } from "node:crypto"
import { releaseWhenHandlerAnswers } from "../../../api/utils/payment-action-lock"
import { paypalOptionsSchema } from "../../../providers/paypal/options"
import { stripeOptionsSchema } from "../../../providers/stripe/options"
import {
  acquireOrderLock,
  newLockOwner,
  ORDER_LOCK,
  ORDER_LOCK_LEASE_SECONDS,
  OrderLockTimeoutError,
  PSP_CLIENT_DEFAULTS,
  pspCallWorstCaseMs,
  pspRetryDelayMs,
} from "../order-lock"

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe("the lease: worst case of one PSP call", () => {
  it("the defaults are the providers' option defaults", () => {
    for (const parsed of [
      stripeOptionsSchema.parse({ apiKey: "sk_test_x" }),
      paypalOptionsSchema.parse({ clientId: "id", clientSecret: "secret" }),
    ]) {
      expect({ timeoutMs: parsed.timeoutMs, maxNetworkRetries: parsed.maxNetworkRetries }).toEqual(PSP_CLIENT_DEFAULTS)
    }
  })

  it("back-off between attempts: the longer of Stripe's SDK (0.5 s doubling, ≤ 5 s) and withRetries (0.2 s doubling)", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(pspRetryDelayMs)).toEqual([500, 500, 1000, 2000, 4000, 5000, 5000])
  })

  it("every attempt waits a full timeout, plus the back-off between attempts", () => {
    expect(pspCallWorstCaseMs({ timeoutMs: 20_000, maxNetworkRetries: 2 })).toBe(3 * 20_000 + 500 + 500)
    expect(pspCallWorstCaseMs({ timeoutMs: 10_000, maxNetworkRetries: 2 })).toBe(31_000)
    expect(pspCallWorstCaseMs({ timeoutMs: 10_000, maxNetworkRetries: 4 })).toBe(5 * 10_000 + 500 + 500 + 1000 + 2000)
    // Stripe's SDK retries a closed connection once even with retries off.
    expect(pspCallWorstCaseMs({ timeoutMs: 10_000, maxNetworkRetries: 0 })).toBe(2 * 10_000 + 500)
  })

  it("the lease covers it with the defaults (61 s + 5 s margin), well beyond the old 15 s; waiters give up sooner", () => {
    expect(ORDER_LOCK_LEASE_SECONDS).toBe(66)
    expect(ORDER_LOCK.ttl * 1000).toBeGreaterThanOrEqual(pspCallWorstCaseMs(PSP_CLIENT_DEFAULTS))
    expect(ORDER_LOCK.timeout).toBeLessThan(15)
    expect(ORDER_LOCK.maxHold).toBeGreaterThan(ORDER_LOCK.ttl)
  })
})

type Provider = InstanceType<typeof InMemoryLockingProvider> | RedisLockingProvider

const providers: [string, () => Promise<{ locking: Provider; close: () => Promise<void> }>][] = [
  ["in-memory", async () => ({ locking: new InMemoryLockingProvider(), close: async () => undefined })],
]
if (process.env.LOCK_TEST_REDIS_URL) {
  providers.push([
    "redis",
    async () => {
      const redisClient = new Redis(process.env.LOCK_TEST_REDIS_URL!)
      const locking = new RedisLockingProvider(
        { redisClient: redisClient as never, prefix: `order-lock-test:${randomUUID()}:` },
        {}
      )
      return { locking, close: async () => void (await redisClient.quit()) }
    },
  ])
}

describe.each(providers)("the order lock (%s provider)", (_name, make) => {
  let locking: Provider
  let close: () => Promise<void>
  const key = () => `payment-orchestrator:order:order_${randomUUID()}`
  const fast = { timeout: 0, ttl: 1, retryInterval: 0.05 }
  const free = async (k: string) => {
    const probe = await acquireOrderLock(locking, k, newLockOwner("probe"), fast).catch(() => null)
    await probe?.release()
    return probe !== null
  }

  beforeEach(async () => {
    ;({ locking, close } = await make())
  })
  afterEach(async () => {
    await close()
  })

  it("a second owner waits, then gets 'timed out' (the 409) while the first holds it", async () => {
    const k = key()
    const first = await acquireOrderLock(locking, k, newLockOwner("a"), { ...fast, ttl: 5 })
    const started = Date.now()
    await expect(acquireOrderLock(locking, k, newLockOwner("b"), { ...fast, timeout: 0.5 })).rejects.toBeInstanceOf(
      OrderLockTimeoutError
    )
    expect(Date.now() - started).toBeGreaterThanOrEqual(400)
    await first.release()
    expect(await free(k)).toBe(true)
  })

  it("a waiter gets the lock as soon as the holder releases it", async () => {
    const k = key()
    const first = await acquireOrderLock(locking, k, newLockOwner("a"), { ...fast, ttl: 5 })
    setTimeout(() => void first.release(), 300)
    const second = await acquireOrderLock(locking, k, newLockOwner("b"), { ...fast, timeout: 3 })
    expect(await free(k)).toBe(false)
    await second.release()
  })

  it("only its owner releases it: another owner's release does nothing", async () => {
    const k = key()
    const first = await acquireOrderLock(locking, k, newLockOwner("a"), { ...fast, ttl: 5 })
    expect(await locking.release(k, { ownerId: newLockOwner("intruder") })).toBe(false)
    expect(await free(k)).toBe(false)
    expect(await first.release()).toBe(true)
    expect(await first.release()).toBe(true) // idempotent: the same answer, nothing released twice
    expect(await free(k)).toBe(true)
  })

  it("a holder whose lease lapsed and was taken over cannot release the new holder's lock", async () => {
    const k = key()
    // maxHold 0: no renewal, so the one-second lease lapses.
    const first = await acquireOrderLock(locking, k, newLockOwner("a"), { ...fast, maxHold: 0 })
    await sleep(1_300)
    const second = await acquireOrderLock(locking, k, newLockOwner("b"), { ...fast, ttl: 5, timeout: 2 })
    expect(await first.release()).toBe(false)
    expect(await free(k)).toBe(false)
    expect(await second.release()).toBe(true)
    expect(await free(k)).toBe(true)
  })

  it("renewal keeps the lock past its lease while held (an action longer than one lease)", async () => {
    const k = key()
    const first = await acquireOrderLock(locking, k, newLockOwner("a"), fast)
    await sleep(2_600)
    expect(await free(k)).toBe(false)
    expect(first.lost).toBe(false)
    await first.release()
    expect(await free(k)).toBe(true)
  })

  it("renewal stops after maxHold: a holder that never ends frees the order one lease later", async () => {
    const k = key()
    const logged: string[] = []
    const first = await acquireOrderLock(locking, k, newLockOwner("a"), {
      ...fast,
      maxHold: 1,
      logger: { warn: (m) => logged.push(m) },
    })
    await sleep(1_200)
    expect(await free(k)).toBe(false)
    await sleep(1_500)
    expect(await free(k)).toBe(true)
    expect(logged.join("\n")).toMatch(/no longer renewed/)
    await first.release()
  })
})

describe("an HTTP action's lock is released when the handler answers, not when the client leaves", () => {
  function fakeResponse() {
    const res = new EventEmitter() as EventEmitter & { end: (...args: unknown[]) => unknown; ended: number }
    res.ended = 0
    res.end = function () {
      res.ended += 1
      res.emit("finish")
      return res
    }
    return res as unknown as MedusaResponse & { ended: number; emit: EventEmitter["emit"] }
  }

  it("a disconnect ('close') keeps it; the handler's answer (res.end) releases it, once", () => {
    const res = fakeResponse()
    const release = jest.fn()
    releaseWhenHandlerAnswers(res, release)
    res.emit("close")
    res.emit("aborted")
    expect(release).not.toHaveBeenCalled()
    res.end()
    expect(res.ended).toBe(1)
    expect(release).toHaveBeenCalledTimes(1)
    res.emit("finish")
    expect(release).toHaveBeenCalledTimes(1)
  })

  it("it is released even when writing the answer throws (a destroyed socket)", () => {
    const res = fakeResponse()
    res.end = () => {
      throw new Error("write after end")
    }
    const release = jest.fn()
    releaseWhenHandlerAnswers(res, release)
    expect(() => res.end()).toThrow("write after end")
    expect(release).toHaveBeenCalledTimes(1)
  })
})
