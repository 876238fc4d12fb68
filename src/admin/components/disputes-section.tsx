/** The order's disputes (chargebacks), and the warning that an open one blocks refunds. */
import { Alert, Copy, Heading, StatusBadge, Table, Text } from "@medusajs/ui"
import { formatMinorAmount } from "../lib/currency-amounts"
import { isOpenDispute, type RefundBlock } from "../lib/dispute-status"
import { gatewayLabel, humanize } from "../lib/transaction-display"
import type { Dispute } from "../lib/transaction-types"

function formatDate(value: string | null): string {
  if (!value) {
    return "—"
  }
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString()
}

export function DisputesSection({
  disputes,
  refundBlocks,
  loadError,
}: {
  disputes: Dispute[]
  refundBlocks: RefundBlock[]
  loadError: string | null
}) {
  if (loadError) {
    return (
      <div className="px-6 py-4">
        <Alert variant="error" data-testid="order-disputes-load-error">
          The disputes could not be loaded: {loadError}
        </Alert>
      </div>
    )
  }
  if (!disputes.length) {
    return null
  }
  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="order-disputes">
      <Heading level="h3">Disputes</Heading>
      {refundBlocks.length ? (
        <Alert variant="warning" data-testid="order-disputes-refund-warning">
          {refundBlocks.length === 1 ? "An open dispute blocks" : `${refundBlocks.length} open disputes block`} refunds
          of this payment. Respond to the dispute at the payment provider before its evidence due date; a refund now may
          be refused, or pay the customer twice if the dispute is lost.
        </Alert>
      ) : null}
      <div className="overflow-x-auto">
        <Table className="table-fixed">
          <colgroup>
            <col className="w-[150px]" />
            <col className="w-[100px]" />
            <col />
            <col className="w-[140px]" />
          </colgroup>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Amount</Table.HeaderCell>
              <Table.HeaderCell>Dispute</Table.HeaderCell>
              <Table.HeaderCell>Evidence due</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {disputes.map((dispute) => {
              const open = isOpenDispute(dispute)
              return (
                <Table.Row
                  key={dispute.id}
                  data-testid="order-dispute-row"
                  data-dispute-id={dispute.id}
                  data-status={dispute.status}
                  data-open={open ? "true" : "false"}
                >
                  <Table.Cell data-testid="order-dispute-status">
                    <StatusBadge
                      color={open ? "red" : dispute.status === "won" ? "green" : "grey"}
                      className="whitespace-nowrap"
                    >
                      {humanize(dispute.status)}
                    </StatusBadge>
                  </Table.Cell>
                  <Table.Cell data-testid="order-dispute-amount" className="text-right">
                    {formatMinorAmount(dispute.amount, dispute.currency)}
                  </Table.Cell>
                  <Table.Cell className="py-2">
                    <div className="flex min-w-0 flex-col">
                      <span className="truncate" data-testid="order-dispute-reason">
                        {humanize(dispute.reason)} · {gatewayLabel(dispute.gateway)}
                      </span>
                      <div className="flex min-w-0 items-center gap-x-1">
                        <Text
                          size="xsmall"
                          family="mono"
                          className="text-ui-fg-muted min-w-0 truncate"
                          title={dispute.reference}
                          data-testid="order-dispute-reference"
                        >
                          {dispute.reference}
                        </Text>
                        <Copy
                          content={dispute.reference}
                          className="text-ui-fg-muted shrink-0"
                          aria-label={`Copy ${dispute.reference}`}
                        />
                      </div>
                    </div>
                  </Table.Cell>
                  <Table.Cell data-testid="order-dispute-evidence-due">
                    <Text size="small" className={open ? "text-ui-fg-error" : undefined}>
                      {formatDate(dispute.evidence_due_by)}
                    </Text>
                  </Table.Cell>
                </Table.Row>
              )
            })}
          </Table.Body>
        </Table>
      </div>
    </div>
  )
}
