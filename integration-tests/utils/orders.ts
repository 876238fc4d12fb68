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

/**
 * The sandbox's one Stripe test card with multicapture available: tests that capture a Stripe payment in several
 * parts use it. Every other card has `multicapture.status: unavailable`, as on most real accounts.
 */
export const STRIPE_MULTICAPTURE_CARD = "pm_card_visa_multicapture"

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
  options: Omit<Parameters<typeof startCheckout>[2], "provider_id"> & {
    /** Stripe: the buyer's card (default `pm_card_visa`, without multicapture). */
    payment_method?: string
  } = {}
): Promise<AuthorizedOrder> {
  const { payment_method, ...checkoutOptions } = options
  const checkout = await startCheckout(api, container, { provider_id: provider, ...checkoutOptions })
  const reference = checkout.session.data.reference as string
  if (provider.startsWith("pp_paypal_")) {
    await sandbox.control.paypal.approveOrder(reference)
  } else {
    await sandbox.control.stripe.confirmPaymentIntent(reference, payment_method ? { payment_method } : {})
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
 * The payment's instructions that are still open in the plugin's module: pending, or started for a Medusa capture or
 * refund that the payment's record does not hold (its outcome unknown): what a later capture or refund would have to
 * look into. A started mark of a capture or refund the record holds is settled, whatever its row says.
 */
export async function openInstructions(
  container: MedusaContainer,
  payment: { data: PaymentRecord }
): Promise<{ id: string; kind: string; state: string; medusa_id: string | null }[]> {
  const orchestrator = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
  const rows = await orchestrator.listOrchestratorInstructions(
    { reference: payment.data.reference, state: ["pending", "started"] } as never,
    { select: ["id", "kind", "state", "medusa_id"] }
  )
  const recorded = new Set([
    ...payment.data.captures.map((c) => c.medusa_capture_id),
    ...payment.data.refunds.map((r) => r.medusa_refund_id),
  ])
  return rows
    .filter((r) => r.state === "pending" || !recorded.has(r.medusa_id))
    .map((r) => ({ id: r.id, kind: r.kind, state: r.state, medusa_id: r.medusa_id }))
}
