import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { InstructionOptions } from "../../../modules/payment-orchestrator/instruction-store"
import { formatMoney, majorUnitsString, validMinorAmount } from "../../../utils/money"
import { invalid, notAllowed } from "../transaction-errors"
import { findOrderTransaction } from "./find-order-transaction"
import type { OrderLedger } from "../../ledger/order-ledger"

export interface RefundRequest {
  /** Minor units; absent: mark the rest of the capture as refunded without calling the PSP. */
  amount?: number
  note?: string
}

export interface RefundPlan {
  payment_id: string
  /** The payment's PSP reference, for the provider's instruction. */
  reference: string
  capture_source_id: string
  amount: number
  major_amount: string
  /** The provider's instruction for this refund (written to the plugin's module, claimed once by the provider). */
  options: InstructionOptions
}

const REFUND_TITLE = "Error while refunding"

/**
 * Decides what to refund on one capture transaction, refusing before anything moves: an automatic refund of a manual
 * capture (Elastic Path's rule), more than is left, a capture under an open chargeback.
 */
export const validateRefundRequestStep = createStep(
  "validate-refund-request",
  async (input: { ledger: OrderLedger; transaction_id: string; request: RefundRequest }) => {
    const { line, transaction } = findOrderTransaction(input.ledger, input.transaction_id, "capture", "refunded")
    const money = (minor: number) => formatMoney(minor, line.currency)
    const refundable = line.refundable_amount ?? 0
    const automatic = input.request.amount !== undefined
    if (line.detailed_status === "chargeback-initiated") {
      throw notAllowed(
        `A chargeback is open on transaction ${transaction.id}: a refund now and a lost chargeback would pay the customer twice. Respond to the dispute at ${line.gateway} and refund only if it is won or closed.`,
        REFUND_TITLE
      )
    }
    if (automatic && line.capture_mechanism === "manual") {
      throw notAllowed(
        "Unable to automatically refund a manually captured transaction: the money was taken outside the gateway. Refund the customer outside the gateway, then mark the transaction as refunded (refund with no amount).",
        REFUND_TITLE
      )
    }
    if (refundable <= 0) {
      throw notAllowed(`Transaction ${transaction.id} is already fully refunded.`, REFUND_TITLE)
    }
    const amount = input.request.amount ?? refundable
    if (amount > refundable) {
      throw notAllowed(
        `Cannot refund ${money(amount)}: only ${money(refundable)} of this capture is left to refund.`,
        REFUND_TITLE
      )
    }
    const carried = validMinorAmount(amount, line.currency, line.gateway)
    if (automatic && !carried.ok) {
      throw invalid(carried.message)
    }
    return new StepResponse<RefundPlan>({
      payment_id: line.payment_id,
      reference: line.payment_reference,
      capture_source_id: line.source_id,
      amount,
      major_amount: majorUnitsString(amount, line.currency),
      options: {
        amount,
        medusa_capture_id: line.source_id,
        mechanism: automatic ? "automatic" : "manual",
        note: input.request.note ?? null,
      },
    })
  }
)
