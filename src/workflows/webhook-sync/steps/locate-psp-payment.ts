import type { IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { resolveSyncProvider } from "../../../providers/provider-registry"
import type { PaymentTarget } from "../payment-sync"
import type { VerifiedDelivery } from "./verify-psp-event"
import { orderOfPaymentCollection } from "../../payment-queries"

/** A payment session's Medusa payment once it belongs to an order: facts that never change afterwards. */
interface PlacedPayment {
  payment_id: string
  provider_id: string
  reference: unknown
  order_id: string
}

/**
 * This process's memory of the payments events were about, by payment session (at most `PLACED_PAYMENTS_KEPT`, the
 * oldest forgotten first): a burst of events about one payment reads Medusa's payment and order once, not once each.
 * Only a payment with an order is remembered, and only its immutable links; a remembered one is read again when
 * an event names another PSP reference.
 */
const placedPayments = new Map<string, PlacedPayment>()
const PLACED_PAYMENTS_KEPT = 5000

function rememberPlaced(sessionId: string, placed: PlacedPayment): void {
  placedPayments.delete(sessionId)
  placedPayments.set(sessionId, placed)
  if (placedPayments.size > PLACED_PAYMENTS_KEPT) {
    placedPayments.delete(placedPayments.keys().next().value as string)
  }
}

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
    const known = location.session_id ? placedPayments.get(location.session_id) : undefined
    if (known && known.provider_id === provider_id && (!location.reference || known.reference === location.reference)) {
      return new StepResponse<PaymentTarget | null>({
        payment_id: known.payment_id,
        order_id: known.order_id,
        provider_id,
      })
    }
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
    rememberPlaced(location.session_id, {
      payment_id: payment.id,
      provider_id,
      reference: recorded.reference,
      order_id: orderId,
    })
    return new StepResponse<PaymentTarget | null>({ payment_id: payment.id, order_id: orderId, provider_id })
  }
)
