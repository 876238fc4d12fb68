/**
 * The order's reconciliation with its PSPs (`POST /admin/orders/:id/reconcile`): a **Reconcile** button, what the last
 * pass repaired, and the discrepancies it found, each saying what differs and what to check. After a pass the
 * transactions and disputes are read again (a repair may have added a capture, a refund or a dispute).
 */
import { Alert, Button, Heading, Text } from "@medusajs/ui"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { adminApiRequest } from "../lib/admin-api-request"
import { orderPaymentQueryKeys } from "../lib/transactions-api-client"
import { showErrorToast, showSuccessToast } from "./transaction-toasts"

export interface ReconcileFinding {
  payment_id: string
  code: string
  detail: string
}

export interface ReconcileSummary {
  checked: number
  repaired: ReconcileFinding[]
  discrepancies: ReconcileFinding[]
}

export async function reconcileOrder(orderId: string): Promise<ReconcileSummary> {
  const path = `/admin/orders/${encodeURIComponent(orderId)}/reconcile`
  return (await adminApiRequest<{ data: ReconcileSummary }>(path, { method: "POST", body: {} })).data
}

export function ReconciliationPanel({ orderId, disabled }: { orderId: string; disabled?: boolean }) {
  const queryClient = useQueryClient()
  const run = useMutation({
    mutationKey: [...orderPaymentQueryKeys.all, "reconcile", orderId],
    mutationFn: () => reconcileOrder(orderId),
    onSuccess: (summary) => {
      showSuccessToast(
        "Reconciled with the payment providers",
        `${summary.checked} payment(s) checked, ${summary.repaired.length} repaired, ${summary.discrepancies.length} to check.`
      )
      void queryClient.invalidateQueries({ queryKey: orderPaymentQueryKeys.all })
    },
    onError: (error) => showErrorToast(error),
  })
  const summary = run.data

  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="order-reconciliation">
      <div className="flex items-center justify-between">
        <div>
          <Heading level="h3">Reconciliation</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Compare the order&apos;s payments with Stripe and PayPal and record what they did that Medusa missed. No
            money moves.
          </Text>
        </div>
        <Button
          size="small"
          variant="secondary"
          data-testid="order-reconcile-button"
          isLoading={run.isPending}
          disabled={disabled || run.isPending}
          onClick={() => run.mutate()}
        >
          Reconcile
        </Button>
      </div>
      {summary?.repaired.length ? (
        <Alert variant="info" data-testid="order-reconcile-repaired">
          <ul className="list-disc pl-4">
            {summary.repaired.map((r, i) => (
              <li key={`${r.payment_id}-${r.code}-${i}`}>Repaired: {r.detail}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {summary?.discrepancies.length ? (
        <Alert variant="warning" data-testid="order-reconcile-discrepancies">
          <ul className="list-disc pl-4">
            {summary.discrepancies.map((d, i) => (
              <li key={`${d.payment_id}-${d.code}-${i}`} data-code={d.code}>
                {d.detail}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {summary && !summary.repaired.length && !summary.discrepancies.length ? (
        <Text size="small" className="text-ui-fg-subtle" data-testid="order-reconcile-in-line">
          Medusa and the payment providers agree on this order.
        </Text>
      ) : null}
    </div>
  )
}
