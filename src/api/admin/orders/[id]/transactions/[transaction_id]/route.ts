import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listOrderTransactionsWorkflow } from "../../../../../../workflows/transactions"
import { notFound } from "../../../../../../workflows/transactions/transaction-errors"
import { respondWithData } from "../../../../../utils/transaction-route"

/** `GET /admin/orders/:id/transactions/:transaction_id`: one transaction of the order. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  await respondWithData(res, async () => {
    const { id, transaction_id } = req.params
    const { result } = await listOrderTransactionsWorkflow(req.scope).run({ input: { order_id: id } })
    const transaction = result.find((t) => t.id === transaction_id)
    if (!transaction) {
      throw notFound(`Transaction ${transaction_id} was not found on order ${id}.`)
    }
    return transaction
  })
}
