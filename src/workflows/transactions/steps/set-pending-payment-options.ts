import type { IPaymentModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { PendingCaptureOptions, PendingRefundOptions } from "../../../providers/payment-data"
import { readPaymentDataOf, writePaymentDataOf } from "./payment-data-access"

export interface PendingPaymentOptionsInput {
  payment_id: string
  pending_capture?: PendingCaptureOptions
  pending_refund?: PendingRefundOptions
}

/**
 * Leaves options for the provider's next capture or refund in the payment's data (Medusa passes the provider no
 * options of its own). The provider clears them when it acts; if a later step fails they are put back as they were.
 */
export const setPendingPaymentOptionsStep = createStep(
  "set-pending-payment-options",
  async (input: PendingPaymentOptionsInput, { container }) => {
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const { payment_id, ...options } = input
    await writePaymentDataOf(payments, payment_id, { ...(await readPaymentDataOf(payments, payment_id)), ...options })
    return new StepResponse(undefined, {
      payment_id: input.payment_id,
      keys: Object.keys(options),
    })
  },
  async (compensation, { container }) => {
    if (!compensation) {
      return
    }
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const data = await readPaymentDataOf(payments, compensation.payment_id)
    for (const key of compensation.keys) {
      data[key] = null
    }
    await writePaymentDataOf(payments, compensation.payment_id, data)
  }
)
