import type { IPaymentModuleService } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { readRecord, recordGateway, type PaymentRecord } from "../../../payment-record/record"

/** Reads a payment's record (the provider's data, its own keys only). */
export async function readPaymentRecordOf(payments: IPaymentModuleService, paymentId: string): Promise<PaymentRecord> {
  const payment = await payments.retrievePayment(paymentId, { select: ["id", "data"] })
  const data = (payment.data ?? {}) as Record<string, unknown>
  const gateway = recordGateway(data)
  if (!gateway) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Payment ${paymentId} was not made by medusa-payment-orchestrator's providers.`
    )
  }
  return readRecord(data, gateway)
}

/**
 * The one write path to a payment's record outside the providers (which return theirs to Medusa): reads it, applies
 * a pure update (`payment-record/record.ts`), and writes the whole record back when it changed. Callers hold the
 * order's lock. The payment module updates any column of the payment, though its `UpdatePaymentDTO` typing names only
 * the id (medusa-internals digest, recipe A).
 */
export async function updatePaymentRecord(
  payments: IPaymentModuleService,
  paymentId: string,
  change: (record: PaymentRecord) => PaymentRecord
): Promise<PaymentRecord> {
  const before = await readPaymentRecordOf(payments, paymentId)
  const after = change(before)
  if (after !== before) {
    await payments.updatePayment({ id: paymentId, data: after } as Parameters<
      IPaymentModuleService["updatePayment"]
    >[0])
  }
  return after
}
