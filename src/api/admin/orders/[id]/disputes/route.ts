import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { toDisputeView, type DisputeRow } from "../../../../../ledger/dispute-view"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../../../../modules/payment-orchestrator"
import type PaymentOrchestratorModuleService from "../../../../../modules/payment-orchestrator/service"
import { notFound } from "../../../../../workflows/transactions/transaction-errors"
import { respondWithData } from "../../../../utils/transaction-route"

/** `GET /admin/orders/:id/disputes`: the order's chargebacks, oldest first, as the webhook sync recorded them. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  await respondWithData(res, async () => {
    const orderId = req.params.id
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data: orders } = await query.graph({ entity: "order", fields: ["id"], filters: { id: orderId } })
    if (!orders.length) {
      throw notFound(`Order ${orderId} was not found.`)
    }
    const module = req.scope.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
    const rows = (await module.listOrchestratorDisputes(
      { order_id: orderId },
      { order: { created_at: "ASC" } }
    )) as unknown as DisputeRow[]
    return rows.map(toDisputeView)
  })
}
