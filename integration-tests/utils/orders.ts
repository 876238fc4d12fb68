import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AxiosInstance } from "axios"
import type { RunningSandbox } from "../../src/sandbox"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../src/modules/payment-orchestrator"
import type PaymentOrchestratorModuleService from "../../src/modules/payment-orchestrator/service"
import type { PaymentRecord } from "../../src/payment-record/schema"
import { completeCart, startCheckout, type Checkout } from "./checkout"

export const STRIPE = "pp_stripe_stripe"
export const PAYPAL = "pp_paypal_paypal"

export interface MedusaPayment {
  id: string
  amount: number
  currency_code: string
  captured_at: string | null
  canceled_at: string | null
  data: PaymentRecord
  captures: { id: string; amount: number }[]
  refunds: { id: string; amount: number }[]
}

export interface AuthorizedOrder {
  checkout: Checkout
  orderId: string
  payment: MedusaPayment
  /** Stripe PaymentIntent id or PayPal order id. */
  reference: string
  /** PayPal authorization id (null for Stripe). */
  authorizationId: string | null
}

/**
 * A storefront checkout through the store API with the given provider, the buyer's confirmation at the PSP (card
 * confirmed at Stripe, order approved at PayPal) and cart completion: an order with an authorized payment.
 */
export async function placeAuthorizedOrder(
  api: AxiosInstance,
  container: MedusaContainer,
  sandbox: RunningSandbox,
  provider: string,
  options: { quantity?: number; session_data?: Record<string, unknown> } = {}
): Promise<AuthorizedOrder> {
  const checkout = await startCheckout(api, container, { provider_id: provider, ...options })
  const reference = checkout.session.data.reference as string
  if (provider.startsWith("pp_paypal_")) {
    await sandbox.control.paypal.approveOrder(reference)
  } else {
    await sandbox.control.stripe.confirmPaymentIntent(reference)
  }
  const completed = await completeCart(api, checkout)
  if (completed.type !== "order") {
    throw new Error(`Cart completion failed: ${JSON.stringify(completed.error)}`)
  }
  const orderId = completed.order!.id
  const payment = await orderPayment(container, orderId)
  return { checkout, orderId, payment, reference, authorizationId: payment.data.authorization_id }
}

/** The order's (single) Medusa payment with its captures and refunds, amounts as numbers in major units. */
export async function orderPayment(container: MedusaContainer, orderId: string): Promise<MedusaPayment> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "payment_collections.payments.*",
      "payment_collections.payments.captures.*",
      "payment_collections.payments.refunds.*",
    ],
    filters: { id: orderId },
  })
  const row = (data[0] as unknown as { payment_collections: { payments: MedusaPayment[] }[] }).payment_collections[0]
    .payments[0]
  return {
    ...row,
    amount: Number(row.amount),
    captures: row.captures.map((c) => ({ ...c, amount: Number(c.amount) })),
    refunds: row.refunds.map((r) => ({ ...r, amount: Number(r.amount) })),
  }
}

/**
 * The payment's instructions that are still open (pending, or started and never completed) in the plugin's module:
 * what a capture or refund left behind that a later one would have to look into.
 */
export async function openInstructions(
  container: MedusaContainer,
  reference: string
): Promise<{ id: string; kind: string; state: string }[]> {
  const orchestrator = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
  const rows = await orchestrator.listOrchestratorInstructions({ reference, state: ["pending", "started"] } as never, {
    select: ["id", "kind", "state"],
  })
  return rows.map((r) => ({ id: r.id, kind: r.kind, state: r.state }))
}
