/**
 * When the widget refreshes by itself. It polls only while it waits for something to change at the PSP: after an
 * action (a webhook may follow: Medusa processes each one 5 s after it arrives), while a transaction is pending (a
 * refund the PSP has not settled), and while a dispute is open. It polls fast right after a change or an action and
 * slows down the longer nothing changes (half the quiet time, between `minMs` and `maxMs`), then stops once nothing
 * changed for `giveUpAfterMs`, or as soon as nothing is awaited. A hidden tab does not poll (react-query's default).
 */
import { isOpenDispute } from "./dispute-status"
import type { Dispute, Transaction } from "./transaction-types"

export const REFRESH_POLICY = {
  minMs: 2_000,
  maxMs: 60_000,
  /** After an action, watch this long even if nothing looks pending (its webhook may still come). */
  afterActionMs: 30_000,
  giveUpAfterMs: 10 * 60_000,
}

/** What the widget waits for, if anything: a pending transaction or an open dispute. */
export function awaitedChange(
  transactions: ReadonlyArray<Pick<Transaction, "status">> | undefined,
  disputes: ReadonlyArray<Pick<Dispute, "status">> | undefined
): "pending-transaction" | "open-dispute" | null {
  if ((transactions ?? []).some((t) => t.status === "pending")) {
    return "pending-transaction"
  }
  if ((disputes ?? []).some(isOpenDispute)) {
    return "open-dispute"
  }
  return null
}

export interface RefreshActivity {
  /** When the data last changed (epoch ms). */
  changedAt: number
  /** When the last action of this widget settled (epoch ms; 0: none). */
  actedAt: number
}

/** The next refetch delay in ms, or false to stop polling. */
export function refreshInterval(
  now: number,
  activity: RefreshActivity,
  awaited: ReturnType<typeof awaitedChange>,
  policy = REFRESH_POLICY
): number | false {
  const sinceAction = now - activity.actedAt
  const watchingAction = activity.actedAt > 0 && sinceAction < policy.afterActionMs
  if (!awaited && !watchingAction) {
    return false
  }
  const quiet = now - Math.max(activity.changedAt, activity.actedAt)
  if (quiet >= policy.giveUpAfterMs) {
    return false
  }
  return Math.min(policy.maxMs, Math.max(policy.minMs, Math.round(quiet / 2)))
}
