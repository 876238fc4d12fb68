import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { listSavedPaymentMethodsWorkflow } from "../../../../../workflows/payments/list-saved-payment-methods"
import { StoreListSavedPaymentMethods } from "./validators"

/**
 * `GET /store/customers/me/payment-methods[?provider_id=pp_stripe_…]`: the logged-in customer's saved cards, to pay
 * with one again by sending its id as the payment session's `data.payment_method`. Medusa authenticates
 * `/store/customers/me*` as the customer; only that customer's account holders are read.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  const query = StoreListSavedPaymentMethods.safeParse(req.query ?? {})
  if (!query.success) {
    const issue = query.error.issues[0]
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `${issue.path.join(".") || "query"}: ${issue.message}. Nothing was read.`
    )
  }
  const { result } = await listSavedPaymentMethodsWorkflow(req.scope).run({
    input: { customer_id: req.auth_context.actor_id, provider_id: query.data.provider_id },
  })
  res.json({ payment_methods: result })
}
