import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { GatewayPayment } from "../../../gateways/types"
import { withReauthorization, type PaymentRecord } from "../../../payment-record/record"
import { resolveSyncProvider } from "../../../providers/provider-registry"
import { readPaymentRecordOf, updatePaymentRecord } from "./payment-data-access"
import type { ReauthorizePlan } from "./validate-reauthorize-request"

interface ReauthorizingProvider {
  reauthorizePspPayment(record: PaymentRecord, amount: number, idempotencyKey: string): Promise<GatewayPayment>
}

function reauthorizingProvider(container: MedusaContainer, providerId: string): ReauthorizingProvider {
  const provider = resolveSyncProvider(container, providerId) as Partial<ReauthorizingProvider> | null
  if (!provider || typeof provider.reauthorizePspPayment !== "function") {
    throw new Error(
      `Provider ${providerId} is not one of medusa-payment-orchestrator's loaded providers, so its payment cannot be reauthorized.`
    )
  }
  return provider as ReauthorizingProvider
}

/**
 * The idempotency key of one reauthorization: one per authorization renewed, so a retry (a crash after the PSP
 * answered, before the record was written) gets the PSP's first answer back instead of a second authorization.
 */
export function reauthorizeIdempotencyKey(paymentId: string, authorizationId: string | null): string {
  return `mpo-reauth-${paymentId}-${authorizationId ?? "latest"}`
}

/**
 * Reauthorizes the payment at its PSP and writes the new authorization (id, expiry, honor period, reauthorized) into
 * the payment's record, so later captures use it. Nothing to compensate: the PSP's old authorization is gone once it
 * answered, and the record then follows the PSP.
 */
export const reauthorizePaymentStep = createStep(
  "reauthorize-payment",
  async (plan: ReauthorizePlan, { container }) => {
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const record = await readPaymentRecordOf(payments, plan.payment_id)
    const payment = await reauthorizingProvider(container, plan.provider_id).reauthorizePspPayment(
      record,
      plan.amount,
      reauthorizeIdempotencyKey(plan.payment_id, record.authorization_id)
    )
    const after = await updatePaymentRecord(payments, plan.payment_id, (current) =>
      withReauthorization(current, payment)
    )
    return new StepResponse({ authorization_id: after.authorization_id, expires_at: after.expires_at })
  }
)
