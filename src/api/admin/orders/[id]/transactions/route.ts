import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listOrderTransactionsWorkflow } from "../../../../../workflows/transactions"
import { respondWithData } from "../../../../utils/transaction-route"

/** `GET /admin/orders/:id/transactions`: the order's transactions, oldest first. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  await respondWithData(res, async () => {
    const { result } = await listOrderTransactionsWorkflow(req.scope).run({ input: { order_id: req.params.id } })
    return result
  })
}
