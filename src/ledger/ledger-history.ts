import type { LedgerLine, TransactionStatus } from "./ledger-lines"

/** One change of a transaction's status: `at` is when it changed (Medusa's, the PSP's or a dispute's timestamp). */
export interface StatusChange {
  status: TransactionStatus
  detailed_status: string
  at: string
}

/** The status a line had when its Medusa record was created: the first entry of its history. */
export function initialStatus(line: LedgerLine): StatusChange {
  const at = line.occurred_at
  if (line.transaction_type === "authorize") {
    return line.status === "failed"
      ? { status: "failed", detailed_status: "failed", at }
      : { status: "complete", detailed_status: "authorized", at }
  }
  if (line.transaction_type === "capture") {
    return { status: "complete", detailed_status: "completed", at }
  }
  return line.status === "failed"
    ? { status: "complete", detailed_status: "refunded", at }
    : { status: line.status, detailed_status: line.detailed_status, at }
}

/**
 * A line's status history: what was stored (or, for a line not written yet, its status when its record was created),
 * and its current status when that differs from the last entry, at `line.status_at`; when no timestamp tells when it
 * changed, at `unknownAt` (the time of the write that records it; a read shows the latest time it knows instead).
 * Pure, so a read and the write after it show the same history.
 */
export function statusHistory(
  line: LedgerLine,
  stored: StatusChange[] | null | undefined,
  unknownAt?: string
): StatusChange[] {
  const history = stored?.length ? stored : [initialStatus(line)]
  const last = history[history.length - 1]
  if (last.status === line.status && last.detailed_status === line.detailed_status) {
    return history
  }
  const at = line.status_at ?? unknownAt ?? latestOf([last.at, line.occurred_at])
  return [...history, { status: line.status, detailed_status: line.detailed_status, at }]
}

function latestOf(values: string[]): string {
  return values.map((v) => new Date(v).toISOString()).reduce((a, b) => (a > b ? a : b))
}
