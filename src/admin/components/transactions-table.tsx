/**
 * The order's transactions, oldest first, laid out as Medusa's own tables are, so that it fits the order page's main
 * column at the admin's usual widths (1280 and 1440 px) without scrolling sideways: one column per question (what,
 * which reference, how much, with what was refunded or released, in what state), references truncated with a copy
 * button, statuses as badges, and the actions a transaction's `next_actions` allow in a row action menu (`…`).
 */
import { EllipsisHorizontal } from "@medusajs/icons"
import { Badge, Button, Copy, DropdownMenu, IconButton, StatusBadge, Table, Text, Tooltip } from "@medusajs/ui"
import { Fragment } from "react"
import { isRefundBlocked, type RefundBlock } from "../lib/dispute-status"
import {
  actionGroups,
  ACTION_LABELS,
  availableActions,
  detailedStatusColor,
  displayAmount,
  displayRefundedAmount,
  displayReleasedAmount,
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

/** Buttons for a few actions (the authorization expiry warning's). The table uses `TransactionActionMenu`. */
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
    <div className="flex flex-wrap items-center gap-2">
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

/**
 * The row action menu: every action `availableActions` derives from the transaction's `next_actions`, grouped
 * (capture, refund, then the destructive ones) with separators. A transaction with no action shows no menu.
 */
export function TransactionActionMenu({
  transaction,
  isBusy,
  onAction,
}: {
  transaction: Transaction
  isBusy: boolean
  onAction: TransactionsTableProps["onAction"]
}) {
  const kinds = availableActions(transaction)
  if (!kinds.length) {
    return null
  }
  const groups = actionGroups(kinds)
  return (
    <DropdownMenu>
      <DropdownMenu.Trigger asChild>
        <IconButton
          size="small"
          variant="transparent"
          aria-label={`Actions for ${transactionTypeLabel(transaction).toLowerCase()} ${transaction.reference}`}
          disabled={isBusy}
          data-testid="transaction-actions-menu"
          data-transaction-id={transaction.id}
          data-actions={kinds.join(" ")}
        >
          <EllipsisHorizontal />
        </IconButton>
      </DropdownMenu.Trigger>
      <DropdownMenu.Content align="end" data-testid="transaction-actions-menu-content">
        {groups.map((group, g) => (
          <Fragment key={g}>
            {g > 0 ? <DropdownMenu.Separator /> : null}
            {group.map((kind) => (
              <DropdownMenu.Item
                key={kind}
                disabled={isBusy}
                className={kind === "cancel" ? "text-ui-fg-error" : undefined}
                data-testid={`transaction-action-${kind}`}
                data-transaction-id={transaction.id}
                onSelect={() => onAction(kind, transaction)}
              >
                {ACTION_LABELS[kind]}
              </DropdownMenu.Item>
            ))}
          </Fragment>
        ))}
      </DropdownMenu.Content>
    </DropdownMenu>
  )
}

/** A long PSP reference, truncated, with its full text in a tooltip and a copy button. */
function Reference({ value, testId }: { value: string; testId: string }) {
  return (
    <div className="flex min-w-0 items-center gap-x-1">
      <Tooltip content={<span className="break-all font-mono">{value}</span>} maxWidth={320}>
        <Text size="small" family="mono" className="min-w-0 truncate" data-testid={testId}>
          {value}
        </Text>
      </Tooltip>
      <Copy content={value} className="text-ui-fg-muted shrink-0" aria-label={`Copy ${value}`} />
    </div>
  )
}

export function TransactionsTable({ transactions, refundBlocks, isBusy, onAction }: TransactionsTableProps) {
  return (
    <Table data-testid="order-transactions-table" className="table-fixed">
      {/* Fixed columns, the reference takes the rest: at 1280 px the order page's main column is about 580 px wide. */}
      <colgroup>
        <col className="w-[140px]" />
        <col />
        <col className="w-[120px]" />
        <col className="w-[160px]" />
        <col className="w-[52px]" />
      </colgroup>
      <Table.Header>
        <Table.Row>
          <Table.HeaderCell>Transaction</Table.HeaderCell>
          <Table.HeaderCell>Reference</Table.HeaderCell>
          <Table.HeaderCell className="text-right">Amount</Table.HeaderCell>
          <Table.HeaderCell>Status</Table.HeaderCell>
          <Table.HeaderCell>
            <span className="sr-only">Actions</span>
          </Table.HeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {transactions.map((tx) => {
          const detailed = tx.payment_details?.detailed_status
          const disputed = tx.transaction_type === "capture" && isRefundBlocked(tx.id, refundBlocks)
          const refunded = (tx.refunded_amount ?? 0) > 0
          const released = displayReleasedAmount(tx)
          return (
            <Table.Row
              key={tx.id}
              className="[&_td]:py-2"
              data-testid="order-transaction-row"
              data-transaction-id={tx.id}
              data-transaction-type={tx.transaction_type}
              data-status={tx.status}
              data-detailed-status={detailed ?? ""}
            >
              <Table.Cell>
                <div className="flex min-w-0 flex-col">
                  <span className="text-ui-fg-base flex min-w-0 items-center gap-x-1">
                    {tx.relationships?.parent ? <span className="text-ui-fg-muted">↳</span> : null}
                    <span className="truncate" data-testid="order-transaction-type">
                      {transactionTypeLabel(tx)}
                    </span>
                    {tx.capture_mechanism === "manual" ? (
                      <Badge size="2xsmall" color="grey" data-testid="order-transaction-manual-badge">
                        Manual
                      </Badge>
                    ) : null}
                  </span>
                  <Text size="xsmall" className="text-ui-fg-muted" data-testid="order-transaction-gateway">
                    {gatewayLabel(tx.gateway)}
                  </Text>
                </div>
              </Table.Cell>
              <Table.Cell>
                <div className="flex min-w-0 flex-col">
                  <Reference value={tx.reference} testId="order-transaction-reference" />
                  <Text
                    size="xsmall"
                    className="text-ui-fg-muted truncate"
                    title={tx.custom_reference || undefined}
                    data-testid="order-transaction-custom-reference"
                  >
                    {tx.custom_reference || "—"}
                  </Text>
                </div>
              </Table.Cell>
              <Table.Cell className="text-right">
                <div className="flex flex-col items-end">
                  <span className="text-ui-fg-base whitespace-nowrap" data-testid="order-transaction-amount">
                    {displayAmount(tx)}
                  </span>
                  {refunded ? (
                    <Text size="xsmall" className="text-ui-fg-subtle whitespace-nowrap">
                      <span data-testid="order-transaction-refunded">{displayRefundedAmount(tx)}</span> refunded
                    </Text>
                  ) : (
                    <span className="sr-only">
                      Refunded <span data-testid="order-transaction-refunded">{displayRefundedAmount(tx)}</span>
                    </span>
                  )}
                  {released ? (
                    <Tooltip content="A final capture took less than was authorized: the rest was released to the customer and cannot be captured.">
                      <Text size="xsmall" className="text-ui-fg-subtle whitespace-nowrap">
                        <span data-testid="order-transaction-released">{released}</span> released
                      </Text>
                    </Tooltip>
                  ) : null}
                </div>
              </Table.Cell>
              <Table.Cell>
                <div className="flex min-w-0 flex-col items-start gap-y-1">
                  <StatusBadge
                    color={detailedStatusColor(detailed)}
                    className="max-w-full whitespace-nowrap"
                    data-testid="order-transaction-detailed-status"
                  >
                    {humanize(detailed)}
                  </StatusBadge>
                  <span className="flex flex-wrap items-center gap-1">
                    {tx.status !== "complete" ? (
                      <Badge size="2xsmall" color={statusColor(tx.status)} data-testid="order-transaction-status">
                        {humanize(tx.status)}
                      </Badge>
                    ) : (
                      <span className="sr-only" data-testid="order-transaction-status">
                        {humanize(tx.status)}
                      </span>
                    )}
                    {disputed ? (
                      <Badge size="2xsmall" color="red" data-testid="order-transaction-disputed-badge">
                        Disputed
                      </Badge>
                    ) : null}
                  </span>
                </div>
              </Table.Cell>
              <Table.Cell className="text-right">
                <TransactionActionMenu transaction={tx} isBusy={isBusy} onAction={onAction} />
              </Table.Cell>
            </Table.Row>
          )
        })}
      </Table.Body>
    </Table>
  )
}
