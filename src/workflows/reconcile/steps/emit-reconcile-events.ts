import type { IEventBusModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ReconcileResult } from "../reconcile-payment"

/** The reconciler's events. */
export const RECONCILE_EVENTS = {
  PAYMENT_RECONCILED: "payment_orchestrator.payment.reconciled",
  DISCREPANCY_FOUND: "payment_orchestrator.discrepancy.found",
} as const

/** `payment_orchestrator.payment.reconciled` for every pass; `…discrepancy.found` when a difference remains. */
export const emitReconcileEventsStep = createStep(
  "emit-reconcile-events",
  async (result: ReconcileResult, { container }) => {
    const eventBus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
    const base = { payment_id: result.payment_id, order_id: result.order_id }
    await eventBus.emit({
      name: RECONCILE_EVENTS.PAYMENT_RECONCILED,
      data: { ...base, repaired: result.repaired, discrepancies: result.discrepancies.length },
    })
    if (result.discrepancies.length > 0) {
      await eventBus.emit({
        name: RECONCILE_EVENTS.DISCREPANCY_FOUND,
        data: { ...base, discrepancies: result.discrepancies },
      })
    }
    return new StepResponse(true)
  }
)
