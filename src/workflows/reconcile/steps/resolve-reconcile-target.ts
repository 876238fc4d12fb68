import type { IPaymentModuleService } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { recordGateway } from "../../../payment-record/record"
import type { ReconcileTarget } from "../reconcile-data"
import { orderOfPaymentCollection } from "../../payment-queries"

/** The payment to reconcile, its order and provider; refused when it is not a payment of the plugin's providers. */
export const resolveReconcileTargetStep = createStep(
  "resolve-reconcile-target",
  async (input: { payment_id: string }, { container }) => {
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const [payment] = await payments.listPayments(
      { id: input.payment_id },
      { select: ["id", "provider_id", "payment_collection_id", "data"] }
    )
    if (!payment) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Payment ${input.payment_id} was not found.`)
    }
    if (!recordGateway(payment.data as Record<string, unknown> | null)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Payment ${payment.id} was not made by medusa-payment-orchestrator's providers, so it cannot be reconciled.`
      )
    }
    const orderId = await orderOfPaymentCollection(container, payment.payment_collection_id)
    if (!orderId) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Payment ${payment.id} belongs to no order yet, so there is nothing to reconcile.`
      )
    }
    return new StepResponse<ReconcileTarget>({
      payment_id: payment.id,
      order_id: orderId,
      provider_id: payment.provider_id,
    })
  }
)
