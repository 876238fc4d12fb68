import type { IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { resolveSyncProvider } from "../../../providers/provider-registry"
import type { PaymentTarget } from "../payment-sync"
import type { VerifiedDelivery } from "./verify-psp-event"

/**
 * Finds the Medusa payment and order a verified event is about: the PSP keeps the Medusa payment session id (Stripe
 * PaymentIntent `metadata.session_id`, PayPal `custom_id`), the payment has that session, the order has its
 * collection. Null for objects that are not a Medusa payment of this provider with an order (another system's
 * payment on the same PSP account, a cart not completed yet): logged, nothing changes.
 */
export const locatePspPaymentStep = createStep(
  "locate-psp-payment",
  async (input: { delivery: VerifiedDelivery | null }, { container }) => {
    const delivery = input.delivery
    if (!delivery) {
      return new StepResponse<PaymentTarget | null>(null)
    }
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const { event, provider_id } = delivery
    const ignore = (why: string) => {
      logger.info(`[payment-orchestrator] ${event.gateway} event ${event.event_id} (${event.type}) ignored: ${why}.`)
      return new StepResponse<PaymentTarget | null>(null)
    }
    const provider = resolveSyncProvider(container, provider_id)
    if (!provider) {
      return ignore(`provider ${provider_id} is not loaded`)
    }
    const location = await provider.locatePspPayment(event)
    if (!location.session_id) {
      return ignore("the PSP object names no Medusa payment session, so it is not a Medusa payment")
    }
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const [payment] = await payments.listPayments(
      { payment_session_id: location.session_id },
      { select: ["id", "provider_id", "payment_collection_id"] }
    )
    if (!payment) {
      return ignore(`no Medusa payment belongs to payment session ${location.session_id} (yet)`)
    }
    if (payment.provider_id !== provider_id) {
      return ignore(`payment ${payment.id} belongs to provider ${payment.provider_id}, not ${provider_id}`)
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order_payment_collection",
      fields: ["order_id"],
      filters: { payment_collection_id: payment.payment_collection_id },
    })
    const orderId = (data[0] as { order_id?: string } | undefined)?.order_id
    if (!orderId) {
      return ignore(`payment ${payment.id} has no order yet`)
    }
    return new StepResponse<PaymentTarget | null>({ payment_id: payment.id, order_id: orderId, provider_id })
  }
)
