import type { IPaymentModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

/**
 * Voids the payment's authorization at the PSP and marks it canceled in Medusa. Unlike core's `cancelPaymentStep`,
 * which logs and swallows a provider failure, a failure here stops the workflow so the merchant hears of it.
 */
export const voidPaymentStep = createStep("void-payment", async (input: { payment_id: string }, { container }) => {
  const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  return new StepResponse(await payments.cancelPayment(input.payment_id))
})
