import type { IPaymentModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { readPaymentDataOf, writePaymentDataOf } from "./payment-data-access"

/**
 * Records in the payment's data that the PSP refused a capture because the authorization expired, so the ledger shows
 * `expired_uncaptured_charge` and offers only `cancel`.
 */
export const recordAuthorizationExpiryStep = createStep(
  "record-authorization-expiry",
  async (input: { payment_id: string; psp_status?: string | null }, { container }) => {
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const data = await readPaymentDataOf(payments, input.payment_id)
    if (data.status !== "expired") {
      await writePaymentDataOf(payments, input.payment_id, {
        ...data,
        status: "expired",
        psp_status: input.psp_status ?? data.psp_status ?? null,
      })
    }
    return new StepResponse(undefined)
  }
)
