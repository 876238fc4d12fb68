import type { IPaymentModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { withExpiredAuthorization } from "../../../payment-record/record"
import { updatePaymentRecord } from "./payment-data-access"

/**
 * Records in the payment's data that the PSP refused a capture because the authorization expired, so the ledger shows
 * `expired_uncaptured_charge` and offers only `cancel`.
 */
export const recordAuthorizationExpiryStep = createStep(
  "record-authorization-expiry",
  async (input: { payment_id: string; psp_status?: string | null }, { container }) => {
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    await updatePaymentRecord(payments, input.payment_id, (record) =>
      withExpiredAuthorization(record, input.psp_status)
    )
    return new StepResponse(undefined)
  }
)
