import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { recordLedgerStep } from "../ledger/steps"
import { orderLockKey } from "../transactions/order-lock"
import { acquireOrderLockStep, releaseOrderLockStep } from "../transactions/order-lock-steps"
import { WEBHOOK_ORDER_LOCK } from "../webhook-sync/sync-psp-event"
import type { Discrepancy, Repair } from "./reconcile-plan"
import { comparePaymentWithPspStep } from "./steps/compare-payment-with-psp"
import { emitReconcileEventsStep } from "./steps/emit-reconcile-events"
import { readPspStateStep } from "./steps/read-psp-state"
import { recordPspStatusStep } from "./steps/record-psp-status"
import { repairCrashLeftoversStep } from "./steps/repair-crash-leftovers"
import { resolveReconcileTargetStep } from "./steps/resolve-reconcile-target"
import { syncMissedDisputesStep, syncMissedRefundsStep } from "./steps/sync-missed-psp-changes"
import { takeOverStrandedClaimsStep } from "./steps/take-over-stranded-claims"

export interface ReconcileResult {
  payment_id: string
  order_id: string
  repaired: Repair[]
  discrepancies: Discrepancy[]
}

/**
 * Compares one payment with the PSP's current state (captures, refunds, disputes, authorization status and expiry)
 * and converges where the link is certain, never moving money: crash leftovers become complete capture or refund
 * records; refunds and disputes whose webhook never came go through the webhook sync's own workflows; a void whose
 * answer was lost is recorded; webhook claims stranded by a dead process are taken over. Everything else is a
 * discrepancy `{ code, detail }`. Under the order's lock (the key of the transaction API and the webhook sync). A
 * second pass changes nothing.
 */
export const reconcilePaymentWorkflow = createWorkflow("reconcile-payment", (input: { payment_id: string }) => {
  const target = resolveReconcileTargetStep(input)
  const lock = transform({ target }, ({ target }) => orderLockKey(target.order_id))
  acquireOrderLockStep({ key: lock, ...WEBHOOK_ORDER_LOCK })
  const psp = readPspStateStep(target)
  const leftovers = repairCrashLeftoversStep({ target, psp })
  const refunds = syncMissedRefundsStep({ target, psp })
  const disputes = syncMissedDisputesStep({ target, psp })
  const status = recordPspStatusStep({ target, psp })
  const discrepancies = comparePaymentWithPspStep({
    target,
    psp,
    found: transform({ leftovers, disputes }, ({ leftovers, disputes }) => [
      leftovers.discrepancies,
      disputes.discrepancies,
    ]),
  })
  const claims = takeOverStrandedClaimsStep(target)
  const result = transform(
    { target, leftovers, refunds, disputes, status, claims, discrepancies },
    (data): ReconcileResult => ({
      payment_id: data.target.payment_id,
      order_id: data.target.order_id,
      repaired: [
        ...data.leftovers.repaired,
        ...data.refunds,
        ...data.disputes.repaired,
        ...data.status,
        ...data.claims,
      ],
      discrepancies: data.discrepancies,
    })
  )
  when("record-ledger-after-repairs", { result }, ({ result }) => result.repaired.length > 0).then(() => {
    recordLedgerStep({
      order_id: transform({ target }, ({ target }) => target.order_id),
      payment_ids: transform({ target }, ({ target }) => [target.payment_id]),
    })
  })
  releaseOrderLockStep({ key: lock })
  emitReconcileEventsStep(result)
  return new WorkflowResponse(result)
})
