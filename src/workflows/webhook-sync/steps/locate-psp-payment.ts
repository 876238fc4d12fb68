import type { IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { resolveSyncProvider } from "../../../providers/provider-registry"
import type { PaymentTarget } from "../payment-sync"
import type { VerifiedDelivery } from "./verify-psp-event"
import { orderOfPaymentCollection } from "../../payment-queries"

/**
 * Finds the Medusa payment and order a verified event is about. The provider follows the strongest link the PSP
 * guarantees to the payment's PSP reference (Stripe: `payment_intent`; PayPal: refund → capture → `related_ids`),
 * which the plugin's index `orchestrator_payment_ref` maps to the Medusa session; Medusa's payment has that session
 * (`payment_session_id`, indexed), the order has its collection. A `custom_id`-style shortcut that names no payment
 * is ignored and the links are followed instead. Null for objects that are not a Medusa payment of this provider with
 * an order (another system's payment on the same PSP account, a cart not completed yet): logged, nothing changes.
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
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const paymentOf = async (sessionId: string) => {
      const [found] = await payments.listPayments(
        { payment_session_id: sessionId },
        { select: ["id", "provider_id", "payment_collection_id", "data"] }
      )
      return found
    }
    let location = await provider.locatePspPayment(event)
    let payment = location.session_id ? await paymentOf(location.session_id) : undefined
    if (!payment && location.via === "shortcut") {
      // A custom_id is whatever its caller sent: follow the PSP's own links instead.
      location = await provider.locatePspPayment(event, { shortcuts: false })
      payment = location.session_id ? await paymentOf(location.session_id) : undefined
    }
    if (!location.session_id) {
      return ignore("the PSP object leads to no Medusa payment session, so it is not a Medusa payment")
    }
    if (!payment) {
      return ignore(`no Medusa payment belongs to payment session ${location.session_id} (yet)`)
    }
    const recorded = (payment.data ?? {}) as { reference?: unknown; authorization_id?: unknown }
    if (location.reference && recorded.reference !== location.reference) {
      return ignore(
        `payment ${payment.id} is PSP payment ${String(recorded.reference)}, not ${location.reference} that the event is about`
      )
    }
    if (payment.provider_id !== provider_id) {
      return ignore(`payment ${payment.id} belongs to provider ${payment.provider_id}, not ${provider_id}`)
    }
    const orderId = await orderOfPaymentCollection(container, payment.payment_collection_id)
    if (!orderId) {
      return ignore(`payment ${payment.id} has no order yet`)
    }
    return new StepResponse<PaymentTarget | null>({ payment_id: payment.id, order_id: orderId, provider_id })
  }
)
