import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { recordGateway } from "../../payment-record/record"
import type { Discrepancy, Repair } from "./reconcile-plan"
import { reconcilePaymentWorkflow } from "./reconcile-payment"

export interface ReconcileSummary {
  /** How many payments were compared with their PSP. */
  checked: number
  repaired: (Repair & { payment_id: string })[]
  discrepancies: (Discrepancy & { payment_id: string })[]
}

/** The payments of an order that the plugin's providers made (the others are not the reconciler's business). */
export async function orchestratorPaymentsOfOrder(container: MedusaContainer, orderId: string): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "payment_collections.payments.id", "payment_collections.payments.data"],
    filters: { id: orderId },
  })
  const order = data[0] as
    { payment_collections?: { payments?: { id: string; data: Record<string, unknown> | null }[] }[] } | undefined
  if (!order) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${orderId} was not found.`)
  }
  return (order.payment_collections ?? [])
    .flatMap((c) => c?.payments ?? [])
    .filter((p) => recordGateway(p.data))
    .map((p) => p.id)
}

/** Reconciles payments one after the other (`reconcilePaymentWorkflow`, each under its order's lock). */
export async function reconcilePayments(container: MedusaContainer, paymentIds: string[]): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { checked: 0, repaired: [], discrepancies: [] }
  for (const paymentId of paymentIds) {
    const { result } = await reconcilePaymentWorkflow(container).run({ input: { payment_id: paymentId } })
    summary.checked += 1
    summary.repaired.push(...result.repaired.map((r) => ({ payment_id: paymentId, ...r })))
    summary.discrepancies.push(...result.discrepancies.map((d) => ({ payment_id: paymentId, ...d })))
  }
  return summary
}

export async function reconcileOrder(container: MedusaContainer, orderId: string): Promise<ReconcileSummary> {
  return reconcilePayments(container, await orchestratorPaymentsOfOrder(container, orderId))
}
