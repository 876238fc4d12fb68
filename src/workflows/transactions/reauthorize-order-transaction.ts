import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ledgerEntryOf } from "../ledger/order-ledger"
import { readOrderLedgerStep, recordLedgerStep } from "../ledger/steps"
import { ORDER_LOCK, orderLockKey } from "./order-lock"
import { acquireOrderLockStep, releaseOrderLockStep } from "./order-lock-steps"
import { reauthorizePaymentStep } from "./steps/reauthorize-payment"
import { validateReauthorizeRequestStep } from "./steps/validate-reauthorize-request"

/**
 * Reauthorizes an uncaptured PayPal authorization past its honor period (the ledger offers `reauthorize`), for the
 * amount Medusa's payment authorized: the PSP makes a new authorization, the payment's record points at it (later
 * captures use it) and the ledger's authorize line shows it. Answers the updated authorize transaction.
 */
export const reauthorizeOrderTransactionWorkflow = createWorkflow(
  "reauthorize-order-transaction",
  (input: { order_id: string; transaction_id: string }) => {
    const key = transform({ input }, ({ input }) => orderLockKey(input.order_id))
    acquireOrderLockStep({ key, ...ORDER_LOCK })
    const before = readOrderLedgerStep({ order_id: input.order_id })
    const plan = validateReauthorizeRequestStep({ ledger: before, transaction_id: input.transaction_id })
    reauthorizePaymentStep(plan)
    const renewed = transform({ plan }, ({ plan }) => [plan.payment_id])
    const after = recordLedgerStep({ order_id: input.order_id, source_ids: renewed })
    releaseOrderLockStep({ key })
    return new WorkflowResponse(
      transform({ after, renewed }, ({ after, renewed }) => ledgerEntryOf(after, renewed[0])?.transaction ?? null)
    )
  }
)
