import { isDisputeOpen } from "../planners/rules"
import type { GatewayDisputeStatus } from "./types"

/**
 * Disputes in one vocabulary: Stripe's status words, onto which PayPal's statuses and outcome codes are mapped. Pure,
 * so the mapping is tested on its own; the gateways use it to build `GatewayDispute`.
 */

const STRIPE_STATUSES = new Set<GatewayDisputeStatus>([
  "warning_needs_response",
  "warning_under_review",
  "warning_closed",
  "needs_response",
  "under_review",
  "won",
  "lost",
  "prevented",
])

/** Whether a dispute in this status is still undecided (the closed statuses are `CLOSED_DISPUTE_STATUSES`). */
export function isOpenDisputeStatus(status: GatewayDisputeStatus): boolean {
  return isDisputeOpen(status)
}

/**
 * Stripe's dispute status. `charge_refunded` (older API versions: the merchant refunded during an inquiry) ends the
 * dispute without a loss; a status this version does not know yet counts as still under review, never as decided.
 */
export function normaliseStripeDisputeStatus(status: string | null | undefined): GatewayDisputeStatus {
  const word = (status ?? "").toLowerCase() as GatewayDisputeStatus
  if (STRIPE_STATUSES.has(word)) {
    return word
  }
  return word === ("charge_refunded" as string) ? "closed" : "under_review"
}

/**
 * PayPal's dispute status and, once RESOLVED, its outcome code:
 *
 * | PayPal                                            | plugin           |
 * | ------------------------------------------------- | ---------------- |
 * | OPEN, WAITING_FOR_SELLER_RESPONSE                 | `needs_response` |
 * | WAITING_FOR_BUYER_RESPONSE, UNDER_REVIEW, OTHER   | `under_review`   |
 * | RESOLVED + RESOLVED_BUYER_FAVOUR, ACCEPTED        | `lost`           |
 * | RESOLVED + RESOLVED_SELLER_FAVOUR, CANCELED_BY_BUYER, DENIED, RESOLVED_WITH_PAYOUT | `won` |
 * | RESOLVED + anything else (NONE, unknown)          | `closed`         |
 *
 * `RESOLVED_WITH_PAYOUT`: PayPal paid the buyer itself (seller protection), the merchant keeps the money. An
 * unknown outcome is `closed`, not `lost`: nothing is recorded in Medusa unless PayPal reverses the capture, and then
 * the reversal is synced as a refund, so the totals stay true either way.
 */
export function normalisePayPalDisputeStatus(
  status: string | null | undefined,
  outcome: string | null | undefined
): GatewayDisputeStatus {
  switch ((status ?? "").toUpperCase()) {
    case "OPEN":
    case "WAITING_FOR_SELLER_RESPONSE":
      return "needs_response"
    case "RESOLVED":
      switch ((outcome ?? "").toUpperCase()) {
        case "RESOLVED_BUYER_FAVOUR":
        case "ACCEPTED":
          return "lost"
        case "RESOLVED_SELLER_FAVOUR":
        case "CANCELED_BY_BUYER":
        case "DENIED":
        case "RESOLVED_WITH_PAYOUT":
          return "won"
        default:
          return "closed"
      }
    default:
      return "under_review"
  }
}

/** PayPal's reason (`MERCHANDISE_OR_SERVICE_NOT_RECEIVED`) in the lower snake case Stripe's reasons use. */
export function normaliseDisputeReason(reason: string | null | undefined): string | null {
  const word = (reason ?? "").trim()
  return word ? word.toLowerCase() : null
}
