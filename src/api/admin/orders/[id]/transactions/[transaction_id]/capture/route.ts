import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { captureOrderTransaction } from "../../../../../../../workflows/transactions"
import { parseBody, respondWithData } from "../../../../../../utils/transaction-route"
import { CaptureTransactionBody } from "../../validators"

/** `POST /admin/orders/:id/transactions/:transaction_id/capture`: capture an authorization (see the workflow). */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  await respondWithData(res, async () => {
    const { data } = parseBody(CaptureTransactionBody, req.body)
    return captureOrderTransaction(req.scope, {
      order_id: req.params.id,
      transaction_id: req.params.transaction_id,
      request: data,
      captured_by: req.auth_context?.actor_id,
    })
  })
}
