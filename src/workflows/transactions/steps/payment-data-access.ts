import type { IPaymentModuleService } from "@medusajs/framework/types"

/** Reads a payment's `data` (the provider's record of it). */
export async function readPaymentDataOf(
  payments: IPaymentModuleService,
  paymentId: string
): Promise<Record<string, unknown>> {
  const payment = await payments.retrievePayment(paymentId, { select: ["id", "data"] })
  return { ...((payment.data ?? {}) as Record<string, unknown>) }
}

/**
 * Replaces a payment's `data`. The payment module updates any column of the payment, though its `UpdatePaymentDTO`
 * typing names only the id (medusa-internals digest, recipe A).
 */
export async function writePaymentDataOf(
  payments: IPaymentModuleService,
  paymentId: string,
  data: Record<string, unknown>
): Promise<void> {
  await payments.updatePayment({ id: paymentId, data } as Parameters<IPaymentModuleService["updatePayment"]>[0])
}
