/**
 * Warnings for authorizations that expired uncaptured, expire soon, or are past PayPal's honor period, each with the
 * actions the API still offers (reauthorize among them when it does).
 */
import { Alert, Text } from "@medusajs/ui"
import type { AuthorizationExpiryWarning } from "../lib/authorization-expiry"
import { availableActions, type TransactionActionKind } from "../lib/transaction-display"
import type { Transaction } from "../lib/transaction-types"
import { TransactionActionButtons } from "./transactions-table"

const EXPIRY_ACTIONS = new Set<TransactionActionKind>(["capture", "capture-manual", "reauthorize", "cancel"])

export function AuthorizationExpiryAlerts({
  warnings,
  transactions,
  isBusy,
  onAction,
}: {
  warnings: AuthorizationExpiryWarning[]
  transactions: Transaction[]
  isBusy: boolean
  onAction: (kind: TransactionActionKind, transaction: Transaction) => void
}) {
  if (!warnings.length) {
    return null
  }
  const byId = new Map(transactions.map((t) => [t.id, t]))
  return (
    <div className="flex flex-col gap-y-3 px-6 py-4">
      {warnings.map((warning) => {
        const tx = byId.get(warning.transactionId)
        if (!tx) {
          return null
        }
        const kinds = availableActions(tx).filter((k) => EXPIRY_ACTIONS.has(k))
        return (
          <Alert
            key={warning.transactionId}
            variant={warning.state === "expired" ? "error" : warning.state === "expiring" ? "warning" : "info"}
            data-testid="authorization-expiry-warning"
            data-transaction-id={warning.transactionId}
            data-expiry-state={warning.state}
          >
            <div className="flex flex-col gap-y-2">
              <Text size="small" weight="plus">
                {warning.title}
                {warning.expiresAt && warning.state !== "honor_period_over"
                  ? ` (${new Date(warning.expiresAt).toLocaleString()})`
                  : ""}
              </Text>
              <Text size="small">{warning.message}</Text>
              {kinds.length ? (
                <TransactionActionButtons
                  transaction={tx}
                  kinds={kinds}
                  isBusy={isBusy}
                  onAction={onAction}
                  testIdPrefix="authorization-expiry-action"
                />
              ) : null}
            </div>
          </Alert>
        )
      })}
    </div>
  )
}
