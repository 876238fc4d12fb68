import type { MedusaContainer } from "@medusajs/framework/types"
import type { TransactionView } from "../../src/ledger/transaction-view"
import { toMinorUnits } from "../../src/utils/money"
import { orderPayment } from "./orders"

/**
 * The ledger (`GET /admin/orders/:id/transactions`) and Medusa's payment rows agree: one capture line per Medusa
 * capture with the same total; every Medusa refund is in the ledger (a refund the PSP failed afterwards too, shown
 * failed: Medusa cannot delete a refund); the captures' refunded amounts add up to the refunds that did not fail.
 */
export async function expectLedgerAgrees(
  container: MedusaContainer,
  lines: TransactionView[],
  orderId: string
): Promise<void> {
  const payment = await orderPayment(container, orderId)
  const minor = (major: number) => toMinorUnits(major, payment.currency_code)
  const sum = (items: { amount: number }[]) => items.reduce((s, t) => s + t.amount, 0)
  const captures = lines.filter((t) => t.transaction_type === "capture")
  const refunds = lines.filter((t) => t.transaction_type === "refund")
  expect(sum(captures)).toBe(payment.captures.reduce((s, c) => s + minor(c.amount), 0))
  expect(captures).toHaveLength(payment.captures.length)
  expect(sum(refunds)).toBe(payment.refunds.reduce((s, r) => s + minor(r.amount), 0))
  const live = refunds.filter((t) => t.status !== "failed")
  expect(captures.reduce((s, c) => s + c.refunded_amount, 0)).toBe(sum(live))
}
