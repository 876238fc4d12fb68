import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { reauthorizeOrderTransactionWorkflow } from "../../../../../../../workflows/transactions"
import { parseBody, respondWithData } from "../../../../../../utils/transaction-route"
import { ReauthorizeTransactionBody } from "../../validators"

/**
 * `POST /admin/orders/:id/transactions/:transaction_id/reauthorize`: renew an uncaptured PayPal authorization past its
 * honor period (see the workflow). Answers the updated authorize transaction.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  await respondWithData(res, async () => {
    parseBody(ReauthorizeTransactionBody, req.body)
    const { result } = await reauthorizeOrderTransactionWorkflow(req.scope).run({
      input: { order_id: req.params.id, transaction_id: req.params.transaction_id },
    })
    return result
  })
}
