import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ORDER_LOCK, orderLockKey } from "./order-lock"
import { reconcileOrderLedgerStep } from "./steps/reconcile-order-ledger"
import { validateCancelRequestStep } from "./steps/validate-cancel-request"
import { voidPaymentStep } from "./steps/void-payment"

/** Voids an uncaptured authorization at Stripe or PayPal and in Medusa. Answers the updated authorize transaction. */
export const cancelOrderTransactionWorkflow = createWorkflow(
  "cancel-order-transaction",
  (input: { order_id: string; transaction_id: string }) => {
    const key = transform({ input }, ({ input }) => orderLockKey(input.order_id))
    acquireLockStep({ key, ...ORDER_LOCK })
    const before = reconcileOrderLedgerStep({ order_id: input.order_id })
    const plan = validateCancelRequestStep({ ledger: before, transaction_id: input.transaction_id })
    voidPaymentStep({ payment_id: plan.payment_id })
    const after = reconcileOrderLedgerStep({ order_id: input.order_id }).config({
      name: "reconcile-order-ledger-after",
    })
    releaseLockStep({ key })
    return new WorkflowResponse(
      transform(
        { after, input },
        ({ after, input }) => after.entries.find((e) => e.transaction.id === input.transaction_id)?.transaction ?? null
      )
    )
  }
)
