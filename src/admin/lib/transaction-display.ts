/**
 * How a transaction reads in the widget: labels, badge colours, amounts, and which action buttons its `next_actions`
 * allow (the API decides what is possible; the widget only picks the buttons).
 */
import { formatMinorAmount } from "./currency-amounts"
import type { Transaction } from "./transaction-types"

export type BadgeColor = "green" | "red" | "blue" | "orange" | "grey" | "purple"

export type TransactionActionKind = "capture" | "capture-manual" | "refund" | "mark-refunded" | "reauthorize" | "cancel"

export const ACTION_LABELS: Record<TransactionActionKind, string> = {
  capture: "Capture",
  "capture-manual": "Capture manually",
  refund: "Refund",
  "mark-refunded": "Mark as refunded",
  reauthorize: "Reauthorize",
  cancel: "Cancel authorization",
}

/**
 * The row action menu's groups, in this order, each separated from the next: capturing, refunding, renewing the
 * authorization, then what ends it. An action in no group (a new one) gets a group of its own before the last.
 */
const ACTION_GROUPS: TransactionActionKind[][] = [
  ["capture", "capture-manual"],
  ["refund", "mark-refunded"],
  ["reauthorize"],
  ["cancel"],
]

/** `kinds` (from `availableActions`) split into the menu's groups, empty groups left out. */
export function actionGroups(kinds: TransactionActionKind[]): TransactionActionKind[][] {
  const known = new Set(ACTION_GROUPS.flat())
  const groups = ACTION_GROUPS.map((group) => group.filter((kind) => kinds.includes(kind)))
  const others = kinds.filter((kind) => !known.has(kind))
  groups.splice(groups.length - 1, 0, others)
  return groups.filter((group) => group.length > 0)
}

/**
 * The actions of one transaction, in display order, derived from the API's `next_actions` (the API decides what is
 * possible; the widget only picks labels). A new action slots in with a label in ACTION_LABELS, a line here, and its
 * handler in the widget.
 */
export function availableActions(tx: Transaction): TransactionActionKind[] {
  const next = new Set(tx.next_actions ?? [])
  const actions: TransactionActionKind[] = []
  if (next.has("capture")) {
    actions.push("capture", "capture-manual")
  }
  if (next.has("refund")) {
    actions.push(tx.capture_mechanism === "manual" ? "mark-refunded" : "refund")
  }
  if (next.has("reauthorize")) {
    actions.push("reauthorize")
  }
  if (next.has("cancel")) {
    actions.push("cancel")
  }
  return actions
}

const TYPE_LABELS: Record<string, string> = { authorize: "Authorization", capture: "Capture", refund: "Refund" }

export function transactionTypeLabel(tx: Pick<Transaction, "transaction_type">): string {
  return TYPE_LABELS[tx.transaction_type] ?? tx.transaction_type
}

export function gatewayLabel(gateway: string): string {
  return gateway === "paypal" ? "PayPal" : gateway === "stripe" ? "Stripe" : gateway
}

export function statusColor(status: string): BadgeColor {
  switch (status) {
    case "complete":
      return "green"
    case "pending":
      return "orange"
    case "failed":
      return "red"
    default:
      return "grey"
  }
}

export function detailedStatusColor(detailedStatus: string | null | undefined): BadgeColor {
  switch (detailedStatus) {
    case "authorized":
      return "blue"
    case "completed":
      return "green"
    case "partially-refunded":
      return "orange"
    case "failed":
    case "chargeback-initiated":
    case "expired_uncaptured_charge":
      return "red"
    case "refunded":
    case "voided":
      return "grey"
    default:
      return "purple"
  }
}

/** "partially-refunded" -> "Partially refunded", "WAITING_FOR_SELLER_RESPONSE" -> "Waiting for seller response". */
export function humanize(value: string | null | undefined): string {
  const words = (value ?? "").toLowerCase().replace(/[_-]+/g, " ").trim()
  return words ? words[0].toUpperCase() + words.slice(1) : "—"
}

export function displayAmount(tx: Transaction): string {
  return tx.meta?.display_price?.formatted || formatMinorAmount(tx.amount, tx.currency)
}

/**
 * What the confirmation of a reauthorization says: what PayPal does (a new authorization of the same amount, with a
 * new 3-day honor period, the current one no longer capturable), that it is allowed once, and that it does not move
 * the expiry.
 */
export function reauthorizeDescription(tx: Transaction): string {
  const gateway = gatewayLabel(tx.gateway)
  const expiry = tx.expires_at ? ` It still expires on ${new Date(tx.expires_at).toLocaleString()}, as before.` : ""
  return (
    `${gateway} makes a new authorization of ${formatMinorAmount(tx.capturable_amount ?? tx.amount, tx.currency)} ` +
    `and guarantees its funds for another 3 days; later captures use it, and the current authorization ` +
    `${tx.reference} can no longer be captured. An authorization can be reauthorized only once.${expiry}`
  )
}

/**
 * What a final partial capture released of an authorization (the rest, given back to the customer), formatted; null
 * when nothing was released.
 */
export function displayReleasedAmount(tx: Transaction): string | null {
  const released = tx.transaction_type === "authorize" ? (tx.released_amount ?? 0) : 0
  return released > 0 ? formatMinorAmount(released, tx.currency) : null
}

export function displayRefundedAmount(tx: Transaction): string {
  return tx.meta?.display_refunded_amount?.total?.formatted || formatMinorAmount(tx.refunded_amount ?? 0, tx.currency)
}
