/**
 * The widget's data (react-query, through the dashboard's QueryClient): the order's transactions and disputes, and
 * one mutation for every transaction action. Each action shows a toast (the API's detail on failure) and refetches
 * the transactions, the disputes and the dashboard's order (so Medusa's own payment section follows). Both queries
 * refresh by themselves while the widget waits for the PSP (`lib/refresh-policy.ts`).
 */
import { useIsMutating, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useCallback, useEffect, useRef } from "react"
import { awaitedChange, refreshInterval, type RefreshActivity } from "../lib/refresh-policy"
import { showErrorToast, showSuccessToast } from "../components/transaction-toasts"
import { displayAmount } from "../lib/transaction-display"
import { markAsRefundedRequestBody, manualCaptureRequestBody } from "../lib/transaction-request-bodies"
import { orderPaymentQueryKeys, transactionsApi } from "../lib/transactions-api-client"
import type { CaptureRequestData, Dispute, Transaction } from "../lib/transaction-types"

type Interval = () => number | false

export function useOrderTransactions(orderId: string, refetchInterval?: Interval) {
  return useQuery({
    queryKey: orderPaymentQueryKeys.transactions(orderId),
    queryFn: () => transactionsApi.list(orderId),
    refetchInterval,
  })
}

export function useOrderDisputes(orderId: string, refetchInterval?: Interval) {
  return useQuery({
    queryKey: orderPaymentQueryKeys.disputes(orderId),
    queryFn: () => transactionsApi.disputes(orderId),
    refetchInterval,
  })
}

/**
 * The order's transactions and disputes, refreshing by themselves while something is awaited (see
 * `refresh-policy.ts`); `noteAction` (called when an action settles) starts a watch for its webhook.
 */
export function useOrderPaymentData(orderId: string) {
  const queryClient = useQueryClient()
  const activity = useRef<RefreshActivity>({ changedAt: Date.now(), actedAt: 0 })
  const interval = useCallback(
    () =>
      refreshInterval(
        Date.now(),
        activity.current,
        awaitedChange(
          queryClient.getQueryData<Transaction[]>(orderPaymentQueryKeys.transactions(orderId)),
          queryClient.getQueryData<Dispute[]>(orderPaymentQueryKeys.disputes(orderId))
        )
      ),
    [queryClient, orderId]
  )
  const transactions = useOrderTransactions(orderId, interval)
  const disputes = useOrderDisputes(orderId, interval)
  // react-query keeps the same reference while a refetch returns equal data: a new one means something changed.
  useEffect(() => {
    activity.current.changedAt = Date.now()
  }, [transactions.data, disputes.data])
  const noteAction = useCallback(() => {
    activity.current.actedAt = Date.now()
  }, [])
  return { transactions, disputes, noteAction }
}

export type TransactionActionRequest =
  | { kind: "capture"; transaction: Transaction; data: CaptureRequestData }
  | { kind: "capture-manual"; transaction: Transaction }
  | { kind: "refund"; transaction: Transaction; amount: number }
  | { kind: "mark-refunded"; transaction: Transaction }
  | { kind: "reauthorize"; transaction: Transaction }
  | { kind: "cancel"; transaction: Transaction }

function run(orderId: string, request: TransactionActionRequest): Promise<Transaction> {
  const id = request.transaction.id
  switch (request.kind) {
    case "capture":
      return transactionsApi.capture(orderId, id, request.data)
    case "capture-manual":
      return transactionsApi.capture(orderId, id, manualCaptureRequestBody().data)
    case "refund":
      return transactionsApi.refund(orderId, id, { data: { amount: request.amount } })
    case "mark-refunded":
      return transactionsApi.refund(orderId, id, markAsRefundedRequestBody())
    case "reauthorize":
      return transactionsApi.reauthorize(orderId, id)
    case "cancel":
      return transactionsApi.cancel(orderId, id)
  }
}

function successMessage(request: TransactionActionRequest, result: Transaction): [string, string] {
  const amount = result ? displayAmount(result) : ""
  switch (request.kind) {
    case "capture":
      return ["Payment captured", `${amount} captured.`]
    case "capture-manual":
      return ["Marked as captured", `${amount} recorded as captured outside the payment provider.`]
    case "refund":
      return ["Refund issued", `${amount} refunded.`]
    case "mark-refunded":
      return ["Marked as refunded", `${amount} recorded as refunded.`]
    case "reauthorize":
      return [
        "Authorization renewed",
        `${amount} reauthorized: the new authorization ${result?.reference ?? ""} holds the funds; capture it before it expires.`,
      ]
    case "cancel":
      return ["Authorization canceled", "The authorization was canceled and the held funds released."]
  }
}

/** One mutation for every action; `isBusy` is true while any action of this order runs (buttons are disabled). */
export function useTransactionAction(orderId: string, onSettled?: () => void) {
  const queryClient = useQueryClient()
  const mutationKey = orderPaymentQueryKeys.actions(orderId)
  const mutation = useMutation({
    mutationKey,
    mutationFn: (request: TransactionActionRequest) => run(orderId, request),
    onSuccess: (result, request) => {
      const [title, detail] = successMessage(request, result)
      showSuccessToast(title, detail)
    },
    onError: (error) => showErrorToast(error),
    onSettled: () => {
      onSettled?.()
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: orderPaymentQueryKeys.transactions(orderId) }),
        queryClient.invalidateQueries({ queryKey: orderPaymentQueryKeys.disputes(orderId) }),
        // The dashboard's order detail query (["orders", "detail", id, …]): Medusa's payment section shows the change.
        queryClient.invalidateQueries({ queryKey: ["orders", "detail", orderId] }),
      ])
    },
  })
  const running = useIsMutating({ mutationKey })
  return { ...mutation, isBusy: running > 0 || mutation.isPending }
}
