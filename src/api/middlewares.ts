import { defineMiddlewares } from "@medusajs/framework/http"
import { jsonBodyOnly } from "./utils/json-body"
import { refuseUnrefundableCancel } from "./utils/order-cancel-guard"
import {
  lockOrderAction,
  orderOf,
  orderOfPaymentCollectionParam,
  orderOfPaymentParam,
  orderParam,
  type OrderLockTarget,
} from "./utils/payment-action-lock"

/** The transaction routes that take a body: they read it themselves, as JSON only (see `jsonBodyOnly`). */
const TRANSACTION_ACTIONS = ["capture", "refund", "cancel", "reauthorize"].map(
  (action) => `/admin/orders/:id/transactions/:transaction_id/${action}`
)

/**
 * Medusa's own routes that move money on an order, run under the transaction routes' per-order lock (see
 * `lockOrderAction`): capture and refund (the refunds of returns, claims and exchanges go through the refund route),
 * order cancel (refunds captures, voids authorizations), mark-as-paid, and the confirmations of returns, claims,
 * exchanges and order edits (they cancel an authorized payment collection when the order's total changes).
 */
const MEDUSA_MONEY_ACTIONS: [string, OrderLockTarget][] = [
  ["/admin/payments/:id/capture", orderOfPaymentParam],
  ["/admin/payments/:id/refund", orderOfPaymentParam],
  ["/admin/orders/:id/cancel", orderParam],
  ["/admin/payment-collections/:id/mark-as-paid", orderOfPaymentCollectionParam],
  ["/admin/returns/:id/request", orderOf("return")],
  ["/admin/returns/:id/receive/confirm", orderOf("return")],
  ["/admin/claims/:id/request", orderOf("order_claim")],
  ["/admin/exchanges/:id/request", orderOf("order_exchange")],
  ["/admin/order-edits/:id/confirm", orderParam],
]

/**
 * Checks that run under the lock, before Medusa's handler: Medusa's order cancel swallows a provider's refusal to
 * refund (and cancels the order anyway), so a cancel whose refund the plugin's provider would refuse is refused first.
 */
const GUARDS: Record<string, ReturnType<typeof refuseUnrefundableCancel>[]> = {
  "/admin/orders/:id/cancel": [refuseUnrefundableCancel()],
}

export default defineMiddlewares({
  routes: [
    ...TRANSACTION_ACTIONS.map((matcher) => ({
      matcher,
      methods: ["POST" as const],
      bodyParser: false as const,
      middlewares: [jsonBodyOnly()],
    })),
    ...MEDUSA_MONEY_ACTIONS.map(([matcher, target]) => ({
      matcher,
      methods: ["POST" as const],
      middlewares: [lockOrderAction(target), ...(GUARDS[matcher] ?? [])],
    })),
  ],
})
