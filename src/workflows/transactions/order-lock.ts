/** One lock per order: the transaction API's actions on an order run one at a time (double clicks, two admins). */
export const orderLockKey = (orderId: string) => `payment-orchestrator:order:${orderId}`

export const ORDER_LOCK = { timeout: 15, ttl: 60 }

/** The ledger entry that a workflow's action created: in the ledger after it, and not in the ledger before it. */
export function newEntry<T extends { line: { source_id: string; transaction_type: string } }>(
  before: { entries: T[] },
  after: { entries: T[] },
  type: string
): T | undefined {
  const known = new Set(before.entries.map((e) => e.line.source_id))
  return after.entries.find((e) => e.line.transaction_type === type && !known.has(e.line.source_id))
}
