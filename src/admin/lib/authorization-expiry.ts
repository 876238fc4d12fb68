/**
 * When to warn about an authorization that has expired or is about to: card authorizations hold funds for a limited
 * time (about 7 days at Stripe, a 3-day honor period and 29 days validity at PayPal). The API reports the expiry as
 * `expires_at`, and an authorization that lapsed before it was captured as
 * `payment_details.detailed_status = "expired_uncaptured_charge"` (Elastic Path's value), keeping its `next_actions`.
 * Past PayPal's honor period (`honor_until`) the API offers `reauthorize`: the funds are held but no longer
 * guaranteed, and the widget says so with the action.
 */
import type { Transaction, TransactionNextAction } from "./transaction-types"

/** Warn this long before `expires_at`. */
export const EXPIRY_WARNING_WINDOW_MS = 48 * 60 * 60 * 1000

export const EXPIRED_DETAILED_STATUS = "expired_uncaptured_charge"

export interface AuthorizationExpiryWarning {
  state: "expired" | "expiring" | "honor_period_over"
  transactionId: string
  /** ISO date of the expiry, when the API gave one. */
  expiresAt: string | null
  /** Time left before the expiry (expiring only). */
  remainingMs: number | null
  nextActions: TransactionNextAction[]
  title: string
  message: string
}

const MINUTE = 60 * 1000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`
}

/** A duration for a person: "2 days 3 hours", "5 hours", "12 minutes", "less than a minute". */
export function describeRemaining(ms: number): string {
  if (ms < MINUTE) {
    return "less than a minute"
  }
  const days = Math.floor(ms / DAY)
  const hours = Math.floor((ms % DAY) / HOUR)
  const minutes = Math.floor((ms % HOUR) / MINUTE)
  if (days > 0) {
    return hours ? `${plural(days, "day")} ${plural(hours, "hour")}` : plural(days, "day")
  }
  if (hours > 0) {
    return minutes ? `${plural(hours, "hour")} ${plural(minutes, "minute")}` : plural(hours, "hour")
  }
  return plural(minutes, "minute")
}

function parseDate(value: string | null | undefined): number | null {
  if (!value) {
    return null
  }
  const time = Date.parse(value)
  return Number.isNaN(time) ? null : time
}

function hasSomethingToCapture(tx: Transaction): boolean {
  if (tx.next_actions.includes("capture")) {
    return true
  }
  return typeof tx.capturable_amount === "number" && tx.capturable_amount > 0
}

/**
 * The warning to show for one transaction, or null. Only authorizations that still hold something to capture and are
 * not canceled or failed get one: `expired` when the API says so (`expired_uncaptured_charge`) or `expires_at` has
 * passed, `expiring` when `expires_at` is within `windowMs` of `now`.
 */
export function authorizationExpiryWarning(
  tx: Transaction,
  now: Date = new Date(),
  windowMs: number = EXPIRY_WARNING_WINDOW_MS
): AuthorizationExpiryWarning | null {
  if (tx.transaction_type !== "authorize" || tx.status === "canceled" || tx.status === "failed") {
    return null
  }
  const reportedExpired = tx.payment_details?.detailed_status === EXPIRED_DETAILED_STATUS
  if (!reportedExpired && !hasSomethingToCapture(tx)) {
    return null
  }
  const expiresAt = parseDate(tx.expires_at)
  const base = { transactionId: tx.id, expiresAt: tx.expires_at ?? null, nextActions: [...tx.next_actions] }

  if (reportedExpired || (expiresAt !== null && expiresAt <= now.getTime())) {
    return {
      ...base,
      state: "expired",
      remainingMs: null,
      title: "Authorization expired",
      message:
        "The authorization expired before it was captured: the customer's funds are no longer held and a capture " +
        "will most likely be declined. Cancel the authorization and ask the customer to pay again.",
    }
  }
  const reauthorizable = tx.next_actions.includes("reauthorize")
  if (expiresAt !== null && expiresAt - now.getTime() <= windowMs) {
    const remainingMs = expiresAt - now.getTime()
    return {
      ...base,
      state: "expiring",
      remainingMs,
      title: "Authorization expires soon",
      message:
        `The authorization expires in ${describeRemaining(remainingMs)}. Capture what you will ship before then; ` +
        "after that the funds are released and a capture will most likely be declined." +
        (reauthorizable ? " Reauthorizing renews the guarantee of the funds for 3 days but not the expiry." : ""),
    }
  }
  if (reauthorizable) {
    const honorUntil = parseDate(tx.honor_until)
    return {
      ...base,
      state: "honor_period_over",
      remainingMs: expiresAt === null ? null : expiresAt - now.getTime(),
      title: "Funds no longer guaranteed",
      message:
        `${tx.gateway === "paypal" ? "PayPal's" : "The"} 3-day honor period ended` +
        (honorUntil === null ? "" : ` on ${new Date(honorUntil).toLocaleString()}`) +
        ": the funds are still held but no longer guaranteed, so a capture may be declined. Capture now if the " +
        "order ships, or reauthorize to have the funds guaranteed for another 3 days (allowed once" +
        (expiresAt === null ? "" : `; the authorization still expires on ${new Date(expiresAt).toLocaleString()}`) +
        ").",
    }
  }
  return null
}

const STATE_ORDER: Record<AuthorizationExpiryWarning["state"], number> = {
  expired: 0,
  expiring: 1,
  honor_period_over: 2,
}

/** Warnings for every transaction of the order, expired ones first, then the soonest to expire. */
export function authorizationExpiryWarnings(
  transactions: ReadonlyArray<Transaction>,
  now: Date = new Date(),
  windowMs: number = EXPIRY_WARNING_WINDOW_MS
): AuthorizationExpiryWarning[] {
  return transactions
    .map((tx) => authorizationExpiryWarning(tx, now, windowMs))
    .filter((w): w is AuthorizationExpiryWarning => w !== null)
    .sort((a, b) => {
      if (a.state !== b.state) {
        return STATE_ORDER[a.state] - STATE_ORDER[b.state]
      }
      return (a.remainingMs ?? 0) - (b.remainingMs ?? 0)
    })
}
