export { reconcilePaymentWorkflow, type ReconcileResult } from "./reconcile-payment"
export {
  reconcileOrder,
  reconcilePayments,
  orchestratorPaymentsOfOrder,
  type ReconcileSummary,
} from "./reconcile-order"
export { RECONCILE_EVENTS } from "./steps/emit-reconcile-events"
export type { Discrepancy, Repair } from "./reconcile-plan"
