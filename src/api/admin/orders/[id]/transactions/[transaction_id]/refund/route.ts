import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refundOrderTransactionWorkflow } from "../../../../../../../workflows/transactions"
import { parseBody, respondWithData } from "../../../../../../utils/transaction-route"
import { RefundTransactionBody } from "../../validators"

/**
 * `POST /admin/orders/:id/transactions/:transaction_id/refund`: `{"data": {"amount": N}}` refunds N at the PSP; no
 * amount marks the rest of the capture as refunded without calling the PSP.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  await respondWithData(res, async () => {
    const { data } = parseBody(RefundTransactionBody, req.body)
    const { result } = await refundOrderTransactionWorkflow(req.scope).run({
      input: {
        order_id: req.params.id,
        transaction_id: req.params.transaction_id,
        request: data,
        created_by: req.auth_context?.actor_id,
      },
    })
    return result
  })
}
