/** The order's transactions, oldest first, with the action buttons each one's `next_actions` allow. */
import { Badge, Button, StatusBadge, Table, Text } from "@medusajs/ui"
import { isRefundBlocked, type RefundBlock } from "../lib/dispute-status"
import {
  ACTION_LABELS,
  availableActions,
  detailedStatusColor,
  displayAmount,
  displayRefundedAmount,
  gatewayLabel,
  humanize,
  statusColor,
  transactionTypeLabel,
  type TransactionActionKind,
} from "../lib/transaction-display"
import type { Transaction } from "../lib/transaction-types"

export interface TransactionsTableProps {
  transactions: Transaction[]
  refundBlocks: RefundBlock[]
  isBusy: boolean
  onAction: (kind: TransactionActionKind, transaction: Transaction) => void
}

export function TransactionActionButtons({
  transaction,
  kinds,
  isBusy,
  onAction,
  testIdPrefix = "transaction-action",
}: {
  transaction: Transaction
  kinds: TransactionActionKind[]
  isBusy: boolean
  onAction: TransactionsTableProps["onAction"]
  testIdPrefix?: string
}) {
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      {kinds.map((kind) => (
        <Button
          key={kind}
          type="button"
          size="small"
          variant={kind === "cancel" ? "danger" : "secondary"}
          disabled={isBusy}
          data-testid={`${testIdPrefix}-${kind}`}
          data-transaction-id={transaction.id}
          onClick={() => onAction(kind, transaction)}
        >
          {ACTION_LABELS[kind]}
        </Button>
      ))}
    </div>
  )
}

export function TransactionsTable({ transactions, refundBlocks, isBusy, onAction }: TransactionsTableProps) {
  return (
    <div className="overflow-x-auto">
      <Table data-testid="order-transactions-table">
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>Type</Table.HeaderCell>
            <Table.HeaderCell>Gateway</Table.HeaderCell>
            <Table.HeaderCell>Reference</Table.HeaderCell>
            <Table.HeaderCell>Custom reference</Table.HeaderCell>
            <Table.HeaderCell className="text-right">Amount</Table.HeaderCell>
            <Table.HeaderCell className="text-right">Refunded</Table.HeaderCell>
            <Table.HeaderCell>Status</Table.HeaderCell>
            <Table.HeaderCell>Detailed status</Table.HeaderCell>
            <Table.HeaderCell className="text-right">Actions</Table.HeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {transactions.map((tx) => {
            const detailed = tx.payment_details?.detailed_status
            const disputed = tx.transaction_type === "capture" && isRefundBlocked(tx.id, refundBlocks)
            return (
              <Table.Row
                key={tx.id}
                data-testid="order-transaction-row"
                data-transaction-id={tx.id}
                data-transaction-type={tx.transaction_type}
                data-status={tx.status}
                data-detailed-status={detailed ?? ""}
              >
                <Table.Cell data-testid="order-transaction-type">
                  <span className="flex items-center gap-x-1">
                    {tx.relationships?.parent ? <span className="text-ui-fg-muted">↳</span> : null}
                    {transactionTypeLabel(tx)}
                    {tx.capture_mechanism === "manual" ? (
                      <Badge size="2xsmall" color="grey" data-testid="order-transaction-manual-badge">
                        Manual
                      </Badge>
                    ) : null}
                  </span>
                </Table.Cell>
                <Table.Cell data-testid="order-transaction-gateway">{gatewayLabel(tx.gateway)}</Table.Cell>
                <Table.Cell data-testid="order-transaction-reference">
                  <Text size="small" family="mono" className="break-all">
                    {tx.reference}
                  </Text>
                </Table.Cell>
                <Table.Cell data-testid="order-transaction-custom-reference">{tx.custom_reference || "—"}</Table.Cell>
                <Table.Cell data-testid="order-transaction-amount" className="text-right">
                  {displayAmount(tx)}
                </Table.Cell>
                <Table.Cell data-testid="order-transaction-refunded" className="text-right">
                  {displayRefundedAmount(tx)}
                </Table.Cell>
                <Table.Cell data-testid="order-transaction-status">
                  <StatusBadge color={statusColor(tx.status)}>{humanize(tx.status)}</StatusBadge>
                </Table.Cell>
                <Table.Cell data-testid="order-transaction-detailed-status">
                  <span className="flex items-center gap-x-1">
                    <Badge size="2xsmall" color={detailedStatusColor(detailed)}>
                      {humanize(detailed)}
                    </Badge>
                    {disputed ? (
                      <Badge size="2xsmall" color="red" data-testid="order-transaction-disputed-badge">
                        Disputed
                      </Badge>
                    ) : null}
                  </span>
                </Table.Cell>
                <Table.Cell>
                  <TransactionActionButtons
                    transaction={tx}
                    kinds={availableActions(tx)}
                    isBusy={isBusy}
                    onAction={onAction}
                  />
                </Table.Cell>
              </Table.Row>
            )
          })}
        </Table.Body>
      </Table>
    </div>
  )
}
