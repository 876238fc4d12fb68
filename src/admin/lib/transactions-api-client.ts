/** The order transactions and disputes routes, one function per route, and the react-query keys of their data. */
import { adminApiRequest } from "./admin-api-request"
import type { CaptureRequestData, Dispute, Transaction } from "./transaction-types"

const enc = encodeURIComponent

function transactionsPath(orderId: string, transactionId?: string, action?: string): string {
  return [`/admin/orders/${enc(orderId)}/transactions`, transactionId && enc(transactionId), action]
    .filter(Boolean)
    .join("/")
}

export const transactionsApi = {
  async list(orderId: string): Promise<Transaction[]> {
    return (await adminApiRequest<{ data: Transaction[] }>(transactionsPath(orderId))).data ?? []
  },

  async retrieve(orderId: string, transactionId: string): Promise<Transaction> {
    return (await adminApiRequest<{ data: Transaction }>(transactionsPath(orderId, transactionId))).data
  },

  /** Returns the new capture transaction. */
  async capture(orderId: string, transactionId: string, data: CaptureRequestData): Promise<Transaction> {
    const path = transactionsPath(orderId, transactionId, "capture")
    return (await adminApiRequest<{ data: Transaction }>(path, { method: "POST", body: { data } })).data
  },

  /** `{ data: { amount } }` refunds automatically; `{}` marks the rest as refunded. Returns the new refund. */
  async refund(
    orderId: string,
    transactionId: string,
    body: { data: { amount: number } } | Record<string, never>
  ): Promise<Transaction> {
    const path = transactionsPath(orderId, transactionId, "refund")
    return (await adminApiRequest<{ data: Transaction }>(path, { method: "POST", body })).data
  },

  /** Renews an uncaptured PayPal authorization past its honor period; returns the updated authorization. */
  async reauthorize(orderId: string, transactionId: string): Promise<Transaction> {
    const path = transactionsPath(orderId, transactionId, "reauthorize")
    return (await adminApiRequest<{ data: Transaction }>(path, { method: "POST", body: { data: {} } })).data
  },

  async cancel(orderId: string, transactionId: string): Promise<Transaction> {
    const path = transactionsPath(orderId, transactionId, "cancel")
    return (await adminApiRequest<{ data: Transaction }>(path, { method: "POST", body: {} })).data
  },

  async disputes(orderId: string): Promise<Dispute[]> {
    return (await adminApiRequest<{ data: Dispute[] }>(`/admin/orders/${enc(orderId)}/disputes`)).data ?? []
  },
}

const ROOT = "medusa-payment-orchestrator" as const

export const orderPaymentQueryKeys = {
  all: [ROOT] as const,
  transactions: (orderId: string) => [ROOT, "order-transactions", orderId] as const,
  disputes: (orderId: string) => [ROOT, "order-disputes", orderId] as const,
  /** Mutation key of every action, so the widget can disable its buttons while one runs. */
  actions: (orderId: string) => [ROOT, "order-transaction-action", orderId] as const,
}
