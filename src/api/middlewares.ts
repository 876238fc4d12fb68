import { defineMiddlewares } from "@medusajs/framework/http"
import { jsonBodyOnly } from "./utils/json-body"
import { serializePaymentAction } from "./utils/payment-action-lock"

/** The transaction routes that take a body: they read it themselves, as JSON only (see `jsonBodyOnly`). */
const TRANSACTION_ACTIONS = ["capture", "refund", "cancel"].map(
  (action) => `/admin/orders/:id/transactions/:transaction_id/${action}`
)

/** Medusa's own payment actions, run under the transaction routes' per-order lock (see `serializePaymentAction`). */
const MEDUSA_PAYMENT_ACTIONS = ["/admin/payments/:id/capture", "/admin/payments/:id/refund"]

export default defineMiddlewares({
  routes: [
    ...TRANSACTION_ACTIONS.map((matcher) => ({
      matcher,
      methods: ["POST" as const],
      bodyParser: false as const,
      middlewares: [jsonBodyOnly()],
    })),
    ...MEDUSA_PAYMENT_ACTIONS.map((matcher) => ({
      matcher,
      methods: ["POST" as const],
      middlewares: [serializePaymentAction()],
    })),
  ],
})
