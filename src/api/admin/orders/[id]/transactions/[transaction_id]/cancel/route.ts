import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { cancelOrderTransactionWorkflow } from "../../../../../../../workflows/transactions"
import { parseBody, respondWithData } from "../../../../../../utils/transaction-route"
import { CancelTransactionBody } from "../../validators"

/** `POST /admin/orders/:id/transactions/:transaction_id/cancel`: void an uncaptured authorization. */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  await respondWithData(res, async () => {
    parseBody(CancelTransactionBody, req.body)
    const { result } = await cancelOrderTransactionWorkflow(req.scope).run({
      input: { order_id: req.params.id, transaction_id: req.params.transaction_id },
    })
    return result
  })
}
