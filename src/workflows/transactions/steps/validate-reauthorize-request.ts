import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { OrderLedger } from "../../ledger/order-ledger"
import { notAllowed } from "../transaction-errors"
import { findOrderTransaction } from "./find-order-transaction"

export interface ReauthorizePlan {
  payment_id: string
  provider_id: string
  /** What Medusa's payment authorized, in minor units: the amount reauthorized. */
  amount: number
}

/**
 * Only an authorization the ledger offers `reauthorize` for (`reauthorizeRefusal` in `planners/rules.ts`: PayPal,
 * past its honor period, still valid, uncaptured, not reauthorized yet) is reauthorized; otherwise the rule's
 * sentence is the refusal and nothing is sent to the PSP.
 */
export const validateReauthorizeRequestStep = createStep(
  "validate-reauthorize-request",
  async (input: { ledger: OrderLedger; transaction_id: string }) => {
    const { line, transaction } = findOrderTransaction(input.ledger, input.transaction_id, "authorize", "reauthorized")
    if (!line.next_actions.includes("reauthorize")) {
      throw notAllowed(
        `Transaction ${transaction.id} cannot be reauthorized: ${line.reauthorize_refusal ?? "its payment does not allow it."}`,
        "Error while reauthorizing"
      )
    }
    return new StepResponse<ReauthorizePlan>({
      payment_id: line.payment_id,
      provider_id: line.provider_id,
      amount: line.amount,
    })
  }
)
