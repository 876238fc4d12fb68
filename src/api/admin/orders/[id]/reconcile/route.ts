import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { orchestratorPaymentsOfOrder, reconcilePayments } from "../../../../../workflows/reconcile"
import { notFound } from "../../../../../workflows/transactions/transaction-errors"
import { parseBody, respondWithData } from "../../../../utils/transaction-route"
import { ReconcileOrderBody } from "./validators"

/**
 * `POST /admin/orders/:id/reconcile`: compares every payment of the order that the plugin's providers made (or the
 * one named) with its PSP and repairs what is certain, under the order's lock. Answers
 * `{ data: { checked, repaired, discrepancies } }`; errors in the Elastic Path shape.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  await respondWithData(res, async () => {
    const body = parseBody(ReconcileOrderBody, req.body)
    const payments = await orchestratorPaymentsOfOrder(req.scope, req.params.id)
    const wanted = body.data?.payment_id
    if (wanted && !payments.includes(wanted)) {
      throw notFound(
        `Payment ${wanted} is not a payment of order ${req.params.id} made by medusa-payment-orchestrator.`
      )
    }
    return reconcilePayments(req.scope, wanted ? [wanted] : payments)
  })
}
