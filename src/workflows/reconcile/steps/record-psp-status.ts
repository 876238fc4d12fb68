import type { IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { toMinorUnits } from "../../../utils/money"
import { updatePaymentRecord } from "../../transactions/steps/payment-data-access"
import { readPaymentRow, type ReconcileTarget } from "../reconcile-data"
import { withPspFacts, type Repair } from "../reconcile-plan"
import type { PspState } from "./read-psp-state"

/**
 * The authorization's status and expiry as the PSP holds them now go into the payment's record. A payment voided at
 * the PSP (a cancel whose answer was lost) whose Medusa payment is not canceled is canceled in Medusa through the
 * payment module: the record says `canceled` first, so the provider answers without calling the PSP again.
 */
export const recordPspStatusStep = createStep(
  "record-psp-status",
  async (input: { target: ReconcileTarget; psp: PspState }, { container }) => {
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const repaired: Repair[] = []
    const before = await readPaymentRow(container, input.target.payment_id)
    let changed = false
    const after = await updatePaymentRecord(payments, input.target.payment_id, (record) => {
      // Only when Medusa's captures explain what the PSP captured: otherwise the PSP's status (captured) would stand
      // for money Medusa has no record of, which is reported instead (compare step).
      const currency = (before?.currency_code ?? record.currency).toLowerCase()
      const medusaCaptured = (before?.captures ?? []).reduce(
        (sum, c) => sum + toMinorUnits((c.raw_amount ?? c.amount) as never, currency),
        0
      )
      const manual = record.captures.filter((c) => c.mechanism === "manual").reduce((sum, c) => sum + c.amount, 0)
      if (input.psp.payment.amount_captured !== medusaCaptured - manual) {
        return record
      }
      const next = withPspFacts(record, input.psp.payment)
      changed = next !== record
      if (changed) {
        repaired.push({
          code: "record_status_refreshed",
          detail: `the payment's record said ${record.status} (${record.psp_status}); ${record.gateway} says ${next.status} (${next.psp_status})${next.expires_at !== record.expires_at ? `, authorization valid until ${next.expires_at}` : ""}.`,
        })
      }
      return next
    })
    if (before && !before.canceled_at && after.status === "canceled" && (before.captures ?? []).length === 0) {
      await payments.cancelPayment(input.target.payment_id)
      const detail = `${after.gateway} voided payment ${after.reference} but Medusa had not recorded it (the cancel's answer was lost): canceled it in Medusa without calling ${after.gateway} again.`
      container.resolve(ContainerRegistrationKeys.LOGGER).warn(`[payment-orchestrator] reconcile: ${detail}`)
      repaired.push({ code: "psp_void_recorded", detail })
    }
    return new StepResponse(repaired)
  }
)
