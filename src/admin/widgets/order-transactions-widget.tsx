/**
 * Order details page: the payment transactions of the order at Stripe and PayPal (authorizations, captures, refunds),
 * their actions (capture with options, capture manually, refund, mark as refunded, reauthorize a PayPal authorization
 * past its honor period, cancel the authorization), the order's disputes, and warnings for authorizations that expired,
 * are about to, or are past PayPal's honor period.
 *
 * Zone `order.details`: the main column of the 2.21 order page (its layout composer ignores `.before`/`.after`).
 */
import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { ArrowPath } from "@medusajs/icons"
import { Alert, Button, Container, Heading, IconButton, Text, TooltipProvider } from "@medusajs/ui"
import { useMemo, useState } from "react"
import { AuthorizationExpiryAlerts } from "../components/authorization-expiry-alerts"
import { CaptureFormDrawer } from "../components/capture-form-drawer"
import { DisputesSection } from "../components/disputes-section"
import { RefundFormDrawer } from "../components/refund-form-drawer"
import { ReconciliationPanel } from "../components/reconciliation-panel"
import { TransactionActionConfirmation, type ConfirmedActionKind } from "../components/transaction-action-confirmation"
import { TransactionsTable } from "../components/transactions-table"
import { useCurrentTime } from "../hooks/use-current-time"
import {
  useOrderPaymentData,
  useTransactionAction,
  type TransactionActionRequest,
} from "../hooks/use-order-transactions"
import { errorToToast } from "../lib/api-error-detail"
import { authorizationExpiryWarnings } from "../lib/authorization-expiry"
import { isRefundBlocked, refundBlockingDisputes } from "../lib/dispute-status"
import type { TransactionActionKind } from "../lib/transaction-display"
import { toCaptureLineItems } from "../lib/transaction-request-bodies"
import type { Transaction } from "../lib/transaction-types"

type ActiveAction = { kind: TransactionActionKind; transaction: Transaction } | null

const OrderTransactionsWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const orderId = order.id
  // Refreshes by itself while it waits for the PSP (after an action, a pending refund, an open dispute).
  const { transactions: transactionsQuery, disputes: disputesQuery, noteAction } = useOrderPaymentData(orderId)
  const action = useTransactionAction(orderId, noteAction)
  const now = useCurrentTime()
  const [active, setActive] = useState<ActiveAction>(null)

  const transactions = useMemo(() => transactionsQuery.data ?? [], [transactionsQuery.data])
  const disputes = useMemo(() => disputesQuery.data ?? [], [disputesQuery.data])
  const refundBlocks = useMemo(() => refundBlockingDisputes(disputes, transactions), [disputes, transactions])
  const warnings = useMemo(() => authorizationExpiryWarnings(transactions, now), [transactions, now])

  async function perform(request: TransactionActionRequest): Promise<boolean> {
    try {
      await action.mutateAsync(request)
      return true
    } catch {
      // The mutation's onError already showed the API's detail in a toast.
      return false
    }
  }

  const close = () => setActive(null)
  const captureTarget = active?.kind === "capture" ? active.transaction : null
  const refundTarget = active?.kind === "refund" ? active.transaction : null
  const confirmTarget =
    active &&
    (active.kind === "capture-manual" ||
      active.kind === "mark-refunded" ||
      active.kind === "reauthorize" ||
      active.kind === "cancel")
      ? { kind: active.kind as ConfirmedActionKind, transaction: active.transaction }
      : null
  const lineItems = useMemo(
    () => (captureTarget ? toCaptureLineItems(order.items, captureTarget.currency) : []),
    [captureTarget, order.items]
  )

  const loadError = transactionsQuery.error ? errorToToast(transactionsQuery.error).detail : null
  const disputesError = disputesQuery.error ? errorToToast(disputesQuery.error).detail : null

  return (
    <TooltipProvider>
      <Container className="divide-y p-0" data-testid="order-transactions-widget">
        <div className="flex items-center justify-between px-6 py-4">
          <div>
            <Heading level="h2">Payment transactions</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              Authorizations, captures and refunds at Stripe and PayPal
            </Text>
          </div>
          <IconButton
            size="small"
            variant="transparent"
            aria-label="Refresh transactions"
            data-testid="order-transactions-refresh"
            disabled={transactionsQuery.isFetching || action.isBusy}
            onClick={() => {
              void transactionsQuery.refetch()
              void disputesQuery.refetch()
            }}
          >
            <ArrowPath />
          </IconButton>
        </div>

        <AuthorizationExpiryAlerts
          warnings={warnings}
          transactions={transactions}
          isBusy={action.isBusy}
          onAction={(kind, transaction) => setActive({ kind, transaction })}
        />

        {transactionsQuery.isLoading ? (
          <div className="px-6 py-4">
            <Text size="small" className="text-ui-fg-subtle" data-testid="order-transactions-loading">
              Loading transactions…
            </Text>
          </div>
        ) : loadError ? (
          <div className="flex flex-col gap-y-2 px-6 py-4">
            <Alert variant="error" data-testid="order-transactions-load-error">
              The transactions could not be loaded: {loadError}
            </Alert>
            <div>
              <Button size="small" variant="secondary" onClick={() => void transactionsQuery.refetch()}>
                Try again
              </Button>
            </div>
          </div>
        ) : transactions.length ? (
          <TransactionsTable
            transactions={transactions}
            refundBlocks={refundBlocks}
            isBusy={action.isBusy}
            onAction={(kind, transaction) => setActive({ kind, transaction })}
          />
        ) : (
          <div className="px-6 py-4">
            <Text size="small" className="text-ui-fg-subtle" data-testid="order-transactions-empty">
              No Stripe or PayPal transactions for this order.
            </Text>
          </div>
        )}

        <DisputesSection disputes={disputes} refundBlocks={refundBlocks} loadError={disputesError} />

        <ReconciliationPanel orderId={orderId} disabled={action.isBusy} />

        <CaptureFormDrawer
          transaction={captureTarget}
          lineItems={lineItems}
          isBusy={action.isBusy}
          onClose={close}
          onSubmit={(transaction, data) => perform({ kind: "capture", transaction, data })}
        />
        <RefundFormDrawer
          transaction={refundTarget}
          blockedByDispute={refundTarget ? isRefundBlocked(refundTarget.id, refundBlocks) : false}
          isBusy={action.isBusy}
          onClose={close}
          onSubmit={(transaction, amount) => perform({ kind: "refund", transaction, amount })}
        />
        <TransactionActionConfirmation
          pending={confirmTarget}
          isBusy={action.isBusy}
          onClose={close}
          onConfirm={(kind, transaction) => perform({ kind, transaction })}
        />
      </Container>
    </TooltipProvider>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details",
  id: "medusa-payment-orchestrator.order-transactions",
})

export default OrderTransactionsWidget
