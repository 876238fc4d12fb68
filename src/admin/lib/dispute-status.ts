/**
 * Which disputes (chargebacks) are still open. While one is open on a payment, Stripe refuses refunds of the disputed
 * charge and a refund could pay the customer twice (the bank already withdrew the disputed amount), so the widget
 * warns before anyone tries. Stripe statuses: warning_needs_response, warning_under_review, warning_closed,
 * needs_response, under_review, won, lost (and prevented); PayPal's are mapped by the API to the same words, with
 * PayPal's own (OPEN, WAITING_FOR_*, UNDER_REVIEW, RESOLVED) accepted too.
 */
import { isDisputeOpen } from "../../planners/rules"
import type { Dispute, Transaction } from "./transaction-types"

/** The closed statuses are the server's (`CLOSED_DISPUTE_STATUSES` in src/planners/rules.ts). */
export function isOpenDispute(dispute: Pick<Dispute, "status">): boolean {
  return isDisputeOpen(dispute.status)
}

export interface RefundBlock {
  dispute: Dispute
  /** The capture the dispute is on, when the API links it to one of the order's transactions. */
  transactionId: string | null
}

/** Open disputes, each with the transaction it blocks refunds of (null: the dispute is not linked to one). */
export function refundBlockingDisputes(
  disputes: ReadonlyArray<Dispute>,
  transactions: ReadonlyArray<Pick<Transaction, "id">> = []
): RefundBlock[] {
  const known = new Set(transactions.map((t) => t.id))
  return disputes.filter(isOpenDispute).map((dispute) => ({
    dispute,
    transactionId: dispute.transaction_id && known.has(dispute.transaction_id) ? dispute.transaction_id : null,
  }))
}

/** Whether refunds of this transaction are blocked by an open dispute (one on it, or one not linked to any). */
export function isRefundBlocked(transactionId: string, blocks: ReadonlyArray<RefundBlock>): boolean {
  return blocks.some((b) => b.transactionId === transactionId || b.transactionId === null)
}
