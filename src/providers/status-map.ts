import { PaymentSessionStatus } from "@medusajs/framework/utils"
import type { GatewayPaymentStatus } from "../gateways/types"

/** How a payment's state at the PSP reads as a Medusa payment session status. */
export const SESSION_STATUS: Record<GatewayPaymentStatus, PaymentSessionStatus> = {
  pending: PaymentSessionStatus.PENDING,
  requires_action: PaymentSessionStatus.REQUIRES_MORE,
  processing: PaymentSessionStatus.PENDING,
  authorized: PaymentSessionStatus.AUTHORIZED,
  partially_captured: PaymentSessionStatus.AUTHORIZED,
  captured: PaymentSessionStatus.CAPTURED,
  canceled: PaymentSessionStatus.CANCELED,
  expired: PaymentSessionStatus.CANCELED,
  failed: PaymentSessionStatus.ERROR,
}

export function toSessionStatus(status: GatewayPaymentStatus): PaymentSessionStatus {
  return SESSION_STATUS[status]
}
