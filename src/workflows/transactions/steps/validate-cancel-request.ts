import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { notAllowed } from "../transaction-errors"
import { findOrderTransaction } from "./find-order-transaction"
import type { OrderLedger } from "../../ledger/order-ledger"

/** Only an uncaptured, uncanceled authorization can be voided. */
export const validateCancelRequestStep = createStep(
  "validate-cancel-request",
  async (input: { ledger: OrderLedger; transaction_id: string }) => {
    const { line, transaction } = findOrderTransaction(input.ledger, input.transaction_id, "authorize", "canceled")
    if (line.status === "canceled") {
      throw notAllowed(`Transaction ${transaction.id} is already canceled.`)
    }
    const captured = input.ledger.entries.some(
      (e) => e.line.transaction_type === "capture" && e.line.parent_source_id === line.source_id
    )
    if (captured) {
      throw notAllowed(
        `Transaction ${transaction.id} is already captured, so its authorization cannot be canceled. Refund the capture instead.`
      )
    }
    return new StepResponse({ payment_id: line.payment_id })
  }
)
