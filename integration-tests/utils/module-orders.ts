import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { capturePaymentWorkflow } from "@medusajs/medusa/core-flows"
import type { RunningSandbox } from "../../src/sandbox"
import { majorUnitsString } from "../../src/utils/money"
import { orderPayment, type MedusaPayment } from "./orders"

/**
 * An order in any currency without a storefront (the demo store sells in USD): an order with one line item, its
 * payment collection linked, a payment session with the provider, the buyer's confirmation at the PSP, authorization,
 * and a capture of `capture` minor units (all of it by default) through Medusa's capture workflow.
 */
export async function placeCapturedModuleOrder(
  container: MedusaContainer,
  sandbox: RunningSandbox,
  provider: string,
  currency: string,
  amount: number,
  capture: number = amount
): Promise<{ orderId: string; payment: MedusaPayment }> {
  const major = majorUnitsString(amount, currency)
  const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const [order] = await container.resolve(Modules.ORDER).createOrders([
    {
      currency_code: currency,
      email: "ada@example.com",
      items: [{ title: "Orchestrator T-shirt", quantity: 1, unit_price: major }],
    },
  ])
  const collection = await payments.createPaymentCollections({ currency_code: currency, amount: major })
  await container.resolve("link").create({
    [Modules.ORDER]: { order_id: order.id },
    [Modules.PAYMENT]: { payment_collection_id: collection.id },
  })
  const session = await payments.createPaymentSession(collection.id, {
    provider_id: provider,
    currency_code: currency,
    amount: major,
    data: {},
  })
  const reference = session.data.reference as string
  if (provider.startsWith("pp_paypal_")) {
    await sandbox.control.paypal.approveOrder(reference)
  } else {
    await sandbox.control.stripe.confirmPaymentIntent(reference)
  }
  const payment = await payments.authorizePaymentSession(session.id, {})
  await capturePaymentWorkflow(container).run({
    input: { payment_id: payment!.id, amount: majorUnitsString(capture, currency) },
  })
  return { orderId: order.id, payment: await orderPayment(container, order.id) }
}
