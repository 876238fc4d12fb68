import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { readOrderLedger } from "../../../../../../workflows/ledger/order-ledger"
import { notFound } from "../../../../../../workflows/transactions/transaction-errors"
import { respondWithData } from "../../../../../utils/transaction-route"

/** `GET /admin/orders/:id/transactions/:transaction_id`: one transaction of the order. Writes nothing. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  await respondWithData(res, async () => {
    const { id, transaction_id } = req.params
    const ledger = await readOrderLedger(req.scope, id)
    const transaction = ledger.entries.find((e) => e.transaction.id === transaction_id)?.transaction
    if (!transaction) {
      throw notFound(`Transaction ${transaction_id} was not found on order ${id}.`)
    }
    return transaction
  })
}
