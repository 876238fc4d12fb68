import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { GatewayDispute, GatewayPayment, GatewayRefund } from "../../../gateways/types"
import { readPaymentRecordOf } from "../../transactions/steps/payment-data-access"
import { resolveReconcileProvider, type ReconcileTarget } from "../reconcile-data"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

export interface PspState {
  payment: GatewayPayment
  refunds: GatewayRefund[]
  disputes: GatewayDispute[]
}

/**
 * Reads the payment as the PSP holds it now, once per pass: the payment (status, captured and refunded amounts,
 * captures, expiry), its refunds and its disputes. Reads only; nothing here moves money.
 */
export const readPspStateStep = createStep("read-psp-state", async (target: ReconcileTarget, { container }) => {
  const record = await readPaymentRecordOf(container.resolve<IPaymentModuleService>(Modules.PAYMENT), target.payment_id)
  const provider = resolveReconcileProvider(container, target.provider_id)
  const [payment, refunds, disputes] = await Promise.all([
    provider.retrievePspPayment(record.reference),
    provider.listPspRefunds(record.reference),
    provider.listPspDisputes(record.reference),
  ])
  return new StepResponse<PspState>({ payment, refunds, disputes })
})
