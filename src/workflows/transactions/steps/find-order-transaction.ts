import type { TransactionType } from "../../../ledger/ledger-lines"
import { invalid, notFound } from "../transaction-errors"
import type { OrderLedger } from "../../ledger/order-ledger"

/** The ledger entry with that id, which must belong to the order and be of the expected type. */
export function findOrderTransaction(
  ledger: OrderLedger,
  transactionId: string,
  expected: TransactionType,
  action: string
): OrderLedger["entries"][number] {
  const entry = ledger.entries.find((e) => e.transaction.id === transactionId)
  if (!entry) {
    throw notFound(`Transaction ${transactionId} was not found on order ${ledger.order_id}.`)
  }
  if (entry.line.transaction_type !== expected) {
    throw invalid(
      `Transaction ${transactionId} is ${article(entry.line.transaction_type)} ${entry.line.transaction_type} transaction: only ${article(expected)} ${expected} transaction can be ${action}.`
    )
  }
  return entry
}

function article(type: TransactionType): string {
  return type === "authorize" ? "an" : "a"
}
