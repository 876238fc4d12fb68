/**
 * Retries of PSP calls whose outcome is unknown or transient, with exponential backoff. The caller decides what is
 * retryable (network errors, timeouts, 5xx, 409) and must reuse the same idempotency key on every attempt, so a
 * retry can never act twice. Shared by any gateway whose SDK's own retries are off or unreliable (PayPal).
 */
export interface RetryPolicy {
  /** Retries after the first attempt (0 = one attempt). */
  maxRetries: number
  /** Delay before the first retry; doubles on each later one. Default 200 ms. */
  baseDelayMs?: number
  /** Cap of one delay. Default 5 s. */
  maxDelayMs?: number
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>
}

export const DEFAULT_RETRY_BASE_DELAY_MS = 200
export const DEFAULT_RETRY_MAX_DELAY_MS = 5_000

/** The delay before retry number `retry` (0-based): base × 2ⁿ, capped. */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs"> = {}): number {
  const base = policy.baseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS
  const cap = policy.maxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS
  return Math.min(cap, base * 2 ** retry)
}

/** Runs `fn`, retrying while `isRetryable(error)` holds and retries are left; rethrows the last error. */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  policy: RetryPolicy
): Promise<T> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const maxRetries = Math.max(0, Math.floor(policy.maxRetries))
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (e) {
      if (attempt >= maxRetries || !isRetryable(e)) {
        throw e
      }
      await sleep(backoffDelay(attempt, policy))
    }
  }
}
