import { capturePaymentWorkflow } from "@medusajs/medusa/core-flows"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { TransactionView } from "../../ledger/transaction-view"
import type { GatewayErrorDetail } from "../../providers/provider-base"
import { listOrderTransactionsWorkflow } from "./list-order-transactions"
import { recordAuthorizationExpiryWorkflow } from "./record-authorization-expiry"
import { ledgerEntryOf } from "../ledger/order-ledger"
import { readOrderLedgerStep, recordLedgerStep } from "../ledger/steps"
import { ORDER_LOCK, orderLockKey } from "./order-lock"
import { acquireOrderLockStep, releaseOrderLockStep } from "./order-lock-steps"
import { claimedMedusaIdStep, planInstructionStep } from "./steps/plan-instruction"
import { validateCaptureRequestStep, type CaptureRequest } from "./steps/validate-capture-request"

export interface CaptureOrderTransactionInput {
  order_id: string
  transaction_id: string
  request: CaptureRequest
  captured_by?: string
}

/**
 * Captures an authorize transaction (Elastic Path's capture, with ProcessOut's capture options) through Medusa's own
 * capture workflow, so Medusa's capture row, order transaction and `payment.captured` event follow; the provider
 * captures exactly that amount at the PSP, or nothing for a manual capture. Answers the new capture transaction.
 */
export const captureOrderTransactionWorkflow = createWorkflow(
  "capture-order-transaction",
  (input: CaptureOrderTransactionInput) => {
    const key = transform({ input }, ({ input }) => orderLockKey(input.order_id))
    acquireOrderLockStep({ key, ...ORDER_LOCK })
    const before = readOrderLedgerStep({ order_id: input.order_id })
    const plan = validateCaptureRequestStep({
      ledger: before,
      transaction_id: input.transaction_id,
      request: input.request,
    })
    const instruction = planInstructionStep({
      kind: "capture",
      payment_id: plan.payment_id,
      reference: plan.reference,
      options: plan.options,
    })
    capturePaymentWorkflow.runAsStep({
      input: { payment_id: plan.payment_id, amount: plan.major_amount, captured_by: input.captured_by },
    })
    const moved = claimedMedusaIdStep({ instruction_id: instruction.id })
    const after = recordLedgerStep({ order_id: input.order_id, source_ids: moved })
    releaseOrderLockStep({ key })
    return new WorkflowResponse(
      transform({ after, moved }, ({ after, moved }) => ledgerEntryOf(after, moved[0])?.transaction ?? null)
    )
  }
)

/**
 * Runs the capture workflow; when the PSP refused because the authorization expired, records the expiry (the ledger
 * then shows `expired_uncaptured_charge` and offers `cancel`) before passing the PSP's refusal on.
 */
export async function captureOrderTransaction(
  container: MedusaContainer,
  input: CaptureOrderTransactionInput
): Promise<TransactionView | null> {
  try {
    const { result } = await captureOrderTransactionWorkflow(container).run({ input })
    return result
  } catch (e) {
    const gateway = (e as { gateway_error?: GatewayErrorDetail }).gateway_error
    if (gateway?.kind === "authorization_expired") {
      const { result } = await listOrderTransactionsWorkflow(container).run({ input: { order_id: input.order_id } })
      const authorization = result.find((t) => t.id === input.transaction_id)
      if (authorization) {
        await recordAuthorizationExpiryWorkflow(container).run({
          input: {
            order_id: input.order_id,
            payment_id: authorization.relationships.payment.data.id,
            psp_status: gateway.psp?.code ?? null,
          },
        })
      }
    }
    throw e
  }
}
