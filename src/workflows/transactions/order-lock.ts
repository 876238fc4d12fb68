import type { ILockingModule } from "@medusajs/framework/types"
import { randomUUID } from "node:crypto"
import { backoffDelay } from "../../gateways/retry"

/**
 * One lock per order: every action that moves money on an order runs alone — the transaction API's actions, Medusa's
 * own `POST /admin/payments/:id/capture|refund`, order cancel, the return, claim, exchange and order-edit confirmations
 * (see `src/api/middlewares.ts`) and the webhook sync.
 *
 * - **Owner.** Each holder takes the lock with an owner id of its own (an HTTP request: `http:<uuid>`; a workflow run:
 *   `workflow:<workflow id>:<transaction id>`) and releases and renews it with that owner only. A holder whose lease
 *   lapsed and was taken over can therefore never release or extend the next holder's lock (both Medusa providers,
 *   in-memory and Redis, check the owner on `release` and extend on an `acquire` by the same owner).
 * - **Lease.** `ORDER_LOCK.ttl`: the worst case of one PSP call with the providers' default client settings (every
 *   attempt waits a full timeout, plus the back-off between attempts), plus a margin for Medusa's own work. It is what
 *   frees an order when the process holding its lock dies.
 * - **Renewal.** While held, the lease is renewed every third of its length, so an action with several PSP calls (a
 *   cancel refunds and voids each payment; a capture may read the PSP first), or a store configured with longer
 *   timeouts or more retries, keeps its lock until it ends. Renewal stops at release, and after `ORDER_LOCK.maxHold`:
 *   an action that hangs (a handler that never answers) cannot block its order for longer than that plus one lease.
 * - **Waiters.** A second action waits at most `ORDER_LOCK.timeout` seconds, then gets a 409: an admin is told to retry
 *   rather than left hanging.
 */
export const orderLockKey = (orderId: string) => `payment-orchestrator:order:${orderId}`

/** The PSP clients' settings that bound one call (the providers' options `timeoutMs` and `maxNetworkRetries`). */
export interface PspClientSettings {
  /** Timeout of one attempt, in milliseconds. */
  timeoutMs: number
  /** Retries after the first attempt. */
  maxNetworkRetries: number
}

/** The providers' defaults (`src/providers/{stripe,paypal}/options.ts`; a unit test keeps them equal). */
export const PSP_CLIENT_DEFAULTS: PspClientSettings = { timeoutMs: 20_000, maxNetworkRetries: 2 }

/** Stripe's SDK back-off: 0.5 s × 2^(n−1), capped at 5 s, never under 0.5 s (jitter only shortens it). */
const STRIPE_SDK_INITIAL_DELAY_MS = 500
const STRIPE_SDK_MAX_DELAY_MS = 5_000

/** The longest wait before retry number `retry` (0-based), over Stripe's SDK and the gateways' own `withRetries`. */
export function pspRetryDelayMs(retry: number): number {
  const stripe = Math.max(
    STRIPE_SDK_INITIAL_DELAY_MS,
    Math.min(STRIPE_SDK_MAX_DELAY_MS, STRIPE_SDK_INITIAL_DELAY_MS * 2 ** (retry - 1))
  )
  return Math.max(stripe, backoffDelay(retry))
}

/**
 * The longest one PSP call can take: every attempt runs into the timeout, and the back-off runs between attempts.
 * Stripe's SDK retries a closed connection once even with retries off, so there are at least two attempts.
 */
export function pspCallWorstCaseMs(settings: PspClientSettings): number {
  const retries = Math.max(1, Math.floor(settings.maxNetworkRetries))
  let total = (retries + 1) * settings.timeoutMs
  for (let retry = 0; retry < retries; retry++) {
    total += pspRetryDelayMs(retry)
  }
  return total
}

/** Medusa's own work around the PSP call (reads, writes, events) inside one action. */
const LEASE_MARGIN_SECONDS = 5

/** One lease: 3 × 20 s + 0.5 s + 0.5 s = 61 s with the default settings, + 5 s = 66 s. */
export const ORDER_LOCK_LEASE_SECONDS = Math.ceil(pspCallWorstCaseMs(PSP_CLIENT_DEFAULTS) / 1000) + LEASE_MARGIN_SECONDS

export const ORDER_LOCK = {
  /** How long a second action waits for the lock before it is refused (409), in seconds. */
  timeout: 10,
  /** The lease, in seconds: how long the lock outlives a holder that died. Renewed while held. */
  ttl: ORDER_LOCK_LEASE_SECONDS,
  /** Seconds between two tries of a waiter. */
  retryInterval: 0.3,
  /**
   * The longest a holder keeps renewing, in seconds: five worst-case PSP calls in one action (≈ 5.5 min). An action
   * still running then is hung or facing a PSP that is down; its lock lapses one lease later.
   */
  maxHold: 5 * ORDER_LOCK_LEASE_SECONDS,
}

export interface OrderLockOptions {
  /** Seconds to wait for the lock (default `ORDER_LOCK.timeout`). */
  timeout?: number
  /** Lease in seconds (default `ORDER_LOCK.ttl`). */
  ttl?: number
  /** Seconds between two tries (default `ORDER_LOCK.retryInterval`). */
  retryInterval?: number
  /** Seconds after which renewal stops (default `ORDER_LOCK.maxHold`). */
  maxHold?: number
  /** Where a lost or abandoned lock is reported. */
  logger?: { warn(message: string): void }
}

/** A lock that this process holds: renewed until `release()`, which gives back only this owner's lock. */
export interface HeldOrderLock {
  readonly key: string
  readonly owner: string
  /** True once a renewal found the lock taken by another owner (the lease had lapsed). */
  readonly lost: boolean
  /** Stops renewing and releases the lock if this owner still holds it. Safe to call more than once. */
  release(): Promise<boolean>
}

export class OrderLockTimeoutError extends Error {
  constructor(
    readonly key: string,
    readonly seconds: number
  ) {
    super(`Another payment action on this order is in progress (waited ${seconds} s).`)
  }
}

/** A unique owner id for one holder. */
export const newLockOwner = (prefix: string) => `${prefix}:${randomUUID()}`

type Locking = Pick<ILockingModule, "acquire" | "release">

/**
 * Takes `key` for `owner`, trying every `retryInterval` for at most `timeout` seconds (then `OrderLockTimeoutError`),
 * and keeps renewing its lease until `release()`.
 */
export async function acquireOrderLock(
  locking: Locking,
  key: string,
  owner: string,
  options: OrderLockOptions = {}
): Promise<HeldOrderLock> {
  const timeout = options.timeout ?? ORDER_LOCK.timeout
  const ttl = options.ttl ?? ORDER_LOCK.ttl
  const retryMs = (options.retryInterval ?? ORDER_LOCK.retryInterval) * 1000
  const tryUntil = Date.now() + timeout * 1000
  for (;;) {
    try {
      await locking.acquire(key, { ownerId: owner, expire: ttl })
      break
    } catch {
      if (Date.now() + retryMs > tryUntil) {
        throw new OrderLockTimeoutError(key, timeout)
      }
      await releasedOrSlept(key, retryMs)
    }
  }
  return holdOrderLock(locking, key, owner, options)
}

/** Renews a lock that `owner` has just taken, until released or `maxHold` passes. */
export function holdOrderLock(
  locking: Locking,
  key: string,
  owner: string,
  options: OrderLockOptions = {}
): HeldOrderLock {
  const ttl = options.ttl ?? ORDER_LOCK.ttl
  const holdUntil = Date.now() + (options.maxHold ?? ORDER_LOCK.maxHold) * 1000
  let stopped = false
  let lost = false
  let renewing: Promise<void> | null = null
  let released: Promise<boolean> | null = null

  const renew = async () => {
    if (Date.now() >= holdUntil) {
      stop()
      options.logger?.warn(
        `The order lock "${key}" was held for ${options.maxHold ?? ORDER_LOCK.maxHold} s and is no longer renewed: ` +
          `it lapses within ${ttl} s while its action may still run.`
      )
      return
    }
    try {
      // The same owner: extends the lease; another owner holds it: throws (the lease had lapsed and was taken).
      await locking.acquire(key, { ownerId: owner, expire: ttl })
    } catch (e) {
      lost = true
      stop()
      options.logger?.warn(`Lost the order lock "${key}" while its action ran: ${(e as Error).message}`)
    }
  }
  const timer = setInterval(
    () => {
      if (!stopped && !renewing) {
        renewing = renew().finally(() => {
          renewing = null
        })
      }
    },
    Math.max(250, (ttl * 1000) / 3)
  )
  timer.unref?.()
  function stop() {
    stopped = true
    clearInterval(timer)
  }

  return {
    key,
    owner,
    get lost() {
      return lost
    },
    release() {
      released ??= (async () => {
        stop()
        // A renewal in flight would take the lock again after the release.
        await renewing
        const done = await locking.release(key, { ownerId: owner })
        notifyReleased(key)
        return done
      })()
      return released
    },
  }
}

/**
 * Waiters in this process, by key. A release wakes them at once (a burst of webhook events on one order would
 * otherwise sit idle for up to a retry interval between two holders); waiters in other processes keep polling.
 */
const localWaiters = new Map<string, Set<() => void>>()

function releasedOrSlept(key: string, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const waiters = localWaiters.get(key) ?? new Set<() => void>()
    localWaiters.set(key, waiters)
    const wake = () => {
      clearTimeout(timer)
      waiters.delete(wake)
      if (waiters.size === 0 && localWaiters.get(key) === waiters) {
        localWaiters.delete(key)
      }
      resolve()
    }
    const timer = setTimeout(wake, ms)
    waiters.add(wake)
  })
}

function notifyReleased(key: string): void {
  // One waiter at a time: the others would only race for the lock the first one takes.
  const first = localWaiters.get(key)?.values().next().value
  first?.()
}
