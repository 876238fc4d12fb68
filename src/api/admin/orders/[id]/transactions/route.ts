import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { readOrderLedger } from "../../../../../workflows/ledger/order-ledger"
import { respondWithData } from "../../../../utils/transaction-route"

/** `GET /admin/orders/:id/transactions`: the order's transactions, oldest first. Writes nothing. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  await respondWithData(res, async () => {
    const ledger = await readOrderLedger(req.scope, req.params.id)
    return ledger.entries.map((e) => e.transaction)
  })
}
