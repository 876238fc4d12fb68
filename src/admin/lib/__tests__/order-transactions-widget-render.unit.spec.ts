/**
 * Server-side render of the widget with the queries already answered: the rows, badges, action buttons, the expiry
 * warning and the dispute warning appear with their test ids. (Interactions are for a browser test.)
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query"
import * as React from "react"
import { createElement } from "react"
import { renderToStaticMarkup } from "react-dom/server"
import { orderPaymentQueryKeys } from "../transactions-api-client"
import type { Dispute, Transaction } from "../transaction-types"
import OrderTransactionsWidget, { config } from "../../widgets/order-transactions-widget"

// jest.config.js compiles JSX with the classic runtime (React.createElement); the admin bundler uses the automatic one.
;(globalThis as { React?: typeof React }).React = React

function transaction(overrides: Partial<Transaction>): Transaction {
  return {
    id: "tx",
    type: "transaction",
    reference: "pi_1",
    custom_reference: null,
    gateway: "stripe",
    amount: 7000,
    refunded_amount: 0,
    currency: "USD",
    transaction_type: "authorize",
    status: "complete",
    payment_details: { detailed_status: "authorized" },
    next_actions: [],
    expires_at: null,
    relationships: { order: { data: { type: "order", id: "order_1" } } },
    meta: {
      display_price: { amount: 7000, currency: "USD", formatted: "$70.00" },
      display_refunded_amount: { total: { amount: 0, currency: "USD", formatted: "$0.00" } },
      timestamps: { created_at: "2025-06-03T12:00:00Z", updated_at: "2025-06-03T12:00:00Z" },
    },
    ...overrides,
  }
}

const transactions: Transaction[] = [
  transaction({
    id: "tx_auth",
    custom_reference: "PO-42",
    next_actions: ["capture", "cancel"],
    capturable_amount: 4500,
    expires_at: new Date(Date.now() + 3 * 60 * 60 * 1000).toISOString(),
  }),
  transaction({
    id: "tx_capture",
    transaction_type: "capture",
    amount: 2500,
    next_actions: ["refund"],
    refundable_amount: 2500,
    payment_details: { detailed_status: "completed" },
    relationships: {
      order: { data: { type: "order", id: "order_1" } },
      parent: { data: { type: "transaction", id: "tx_auth" } },
    },
    meta: {
      display_price: { amount: 2500, currency: "USD", formatted: "$25.00" },
      timestamps: { created_at: "2025-06-04T12:00:00Z", updated_at: "2025-06-04T12:00:00Z" },
    },
  }),
  transaction({
    id: "tx_manual",
    transaction_type: "capture",
    capture_mechanism: "manual",
    amount: 2000,
    next_actions: ["refund"],
    payment_details: { detailed_status: "completed" },
  }),
]

const disputes: Dispute[] = [
  {
    id: "dp_1",
    type: "dispute",
    gateway: "stripe",
    reference: "du_1",
    transaction_id: "tx_capture",
    amount: 2500,
    currency: "USD",
    reason: "fraudulent",
    status: "needs_response",
    evidence_due_by: "2025-06-20T00:00:00Z",
    created_at: "2025-06-10T00:00:00Z",
    updated_at: "2025-06-10T00:00:00Z",
  },
]

function render(data: { transactions: Transaction[]; disputes: Dispute[] }): string {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } })
  client.setQueryData(orderPaymentQueryKeys.transactions("order_1"), data.transactions)
  client.setQueryData(orderPaymentQueryKeys.disputes("order_1"), data.disputes)
  const order = { id: "order_1", currency_code: "usd", items: [] } as never
  return renderToStaticMarkup(
    createElement(QueryClientProvider, { client }, createElement(OrderTransactionsWidget, { data: order }))
  )
}

const count = (html: string, needle: string) => html.split(needle).length - 1

describe("order transactions widget", () => {
  it("is injected in the main column of the order page with a stable id", () => {
    expect(config).toMatchObject({ zone: "order.details", id: "medusa-payment-orchestrator.order-transactions" })
  })

  it("renders a row per transaction with a row action menu of the actions next_actions allow", () => {
    const html = render({ transactions, disputes })
    expect(count(html, 'data-testid="order-transaction-row"')).toBe(3)
    expect(html).toContain('data-transaction-id="tx_auth"')
    expect(html).toContain("PO-42")
    expect(html).toContain("$70.00")
    // One `…` menu per transaction that has actions; its items render when it opens (the browser test opens them).
    expect(count(html, 'data-testid="transaction-actions-menu"')).toBe(3)
    expect(html).toMatch(
      /data-testid="transaction-actions-menu" data-transaction-id="tx_auth" data-actions="capture capture-manual cancel"/
    )
    expect(html).toMatch(
      /data-testid="transaction-actions-menu" data-transaction-id="tx_capture" data-actions="refund"/
    )
    expect(html).toMatch(
      /data-testid="transaction-actions-menu" data-transaction-id="tx_manual" data-actions="mark-refunded"/
    )
  })

  it("shows references with a copy button and statuses as badges", () => {
    const html = render({ transactions, disputes: [] })
    expect(count(html, 'data-testid="order-transaction-reference"')).toBe(3)
    expect(count(html, 'aria-label="Copy pi_1"')).toBe(3)
    expect(count(html, 'data-testid="order-transaction-detailed-status"')).toBe(3)
    expect(html).toContain("Authorized")
  })

  it("warns about the authorization that expires soon, with its actions", () => {
    const html = render({ transactions, disputes: [] })
    expect(html).toContain('data-testid="authorization-expiry-warning"')
    expect(html).toContain('data-expiry-state="expiring"')
    expect(html).toContain('data-testid="authorization-expiry-action-capture"')
    expect(html).toContain('data-testid="authorization-expiry-action-cancel"')
    expect(html).toMatch(/expires in 2 hours 59 minutes|expires in 3 hours/)
  })

  it("lists the disputes and warns that the open one blocks refunds", () => {
    const html = render({ transactions, disputes })
    expect(html).toContain('data-testid="order-disputes-refund-warning"')
    expect(count(html, 'data-testid="order-dispute-row"')).toBe(1)
    expect(html).toContain("Needs response")
    expect(html).toContain('data-testid="order-transaction-disputed-badge"')
  })

  it("offers reauthorize in the menu and beside the honor-period warning; shows a released remainder", () => {
    const paypal = transaction({
      id: "tx_paypal",
      gateway: "paypal",
      reference: "AUTH-1",
      next_actions: ["capture", "reauthorize", "cancel"],
      capturable_amount: 7000,
      honor_until: new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString(),
      expires_at: new Date(Date.now() + 20 * 24 * 60 * 60 * 1000).toISOString(),
    })
    const released = transaction({
      id: "tx_released",
      next_actions: [],
      capturable_amount: 0,
      released_amount: 4500,
      multicapture: false,
      payment_details: { detailed_status: "completed" },
    })
    const html = render({ transactions: [paypal, released], disputes: [] })
    expect(html).toMatch(
      /data-testid="transaction-actions-menu" data-transaction-id="tx_paypal" data-actions="capture capture-manual reauthorize cancel"/
    )
    expect(html).toContain('data-expiry-state="honor_period_over"')
    expect(html).toContain('data-testid="authorization-expiry-action-reauthorize"')
    expect(html).toContain("Funds no longer guaranteed")
    expect(html).toMatch(/data-testid="order-transaction-released">\$45\.00<\/span> released/)
    expect(count(html, 'data-testid="order-transaction-released"')).toBe(1)
  })

  it("says so when the order has no transactions", () => {
    const html = render({ transactions: [], disputes: [] })
    expect(html).toContain('data-testid="order-transactions-empty"')
    expect(html).not.toContain('data-testid="order-disputes"')
  })
})
