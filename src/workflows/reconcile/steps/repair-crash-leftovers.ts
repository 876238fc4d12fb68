import type { IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SqlConnection } from "../../../modules/payment-orchestrator/instruction-store"
import { InstructionStore } from "../../../modules/payment-orchestrator/instruction-store"
import { recordFromGateway, withCapture, withRefunds } from "../../../payment-record/record"
import { formatMoney } from "../../../utils/money"
import { updatePaymentRecord } from "../../transactions/steps/payment-data-access"
import { completeMedusaRows, readReconcileState, type ReconcileTarget } from "../reconcile-data"
import { planLeftovers, type Discrepancy, type Repair } from "../reconcile-plan"
import type { PspState } from "./read-psp-state"

/**
 * Crash leftovers become complete records: a Medusa capture or refund the provider started (attempt mark) whose PSP
 * answer never reached the payment's record, where the PSP's money matches it for certain (`planLeftovers`). Each is
 * written through the one write path of the record, its attempt mark is closed (`done`), and Medusa's rows that its
 * workflow would have written after the provider answered are completed. No PSP call moves money.
 */
export const repairCrashLeftoversStep = createStep(
  "repair-crash-leftovers",
  async (input: { target: ReconcileTarget; psp: PspState }, { container }) => {
    const { target } = input
    const state = await readReconcileState(container, target, input.psp)
    const money = (minor: number) => formatMoney(minor, state.currency)
    const plan = planLeftovers(state, money)
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const instructions = new InstructionStore(container.resolve<SqlConnection>(ContainerRegistrationKeys.PG_CONNECTION))
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const repaired: Repair[] = []

    for (const capture of plan.captures) {
      await updatePaymentRecord(payments, target.payment_id, (record) =>
        record.captures.some((c) => c.medusa_capture_id === capture.medusa_capture_id)
          ? record
          : withCapture(recordFromGateway(state.psp, record), capture.record)
      )
      await instructions.finish([capture.instruction_id], "done")
      const rows = await completeMedusaRows(container, target, { kind: "capture", id: capture.medusa_capture_id })
      const detail = `capture ${capture.medusa_capture_id} of ${money(capture.record.amount)} was made at ${state.gateway} (${capture.record.id}) before the process stopped; recorded it${rows.length ? ` and completed Medusa's ${rows.join(", ")}` : ""}.`
      logger.warn(`[payment-orchestrator] reconcile ${target.payment_id}: ${detail}`)
      repaired.push({ code: "crash_capture_recorded", detail })
    }
    for (const refund of plan.refunds) {
      await updatePaymentRecord(payments, target.payment_id, (record) =>
        record.refunds.some((r) => r.medusa_refund_id === refund.medusa_refund_id)
          ? record
          : withRefunds(record, refund.records)
      )
      await instructions.finish([refund.instruction_id], "done")
      const rows = await completeMedusaRows(container, target, { kind: "refund", id: refund.medusa_refund_id })
      const detail = `refund ${refund.medusa_refund_id} of ${money(refund.amount)} was made at ${state.gateway} (${[...new Set(refund.records.map((r) => r.id))].join(", ")}) before the process stopped; recorded it${rows.length ? ` and completed Medusa's ${rows.join(", ")}` : ""}.`
      logger.warn(`[payment-orchestrator] reconcile ${target.payment_id}: ${detail}`)
      repaired.push({ code: "crash_refund_recorded", detail })
    }
    return new StepResponse<{ repaired: Repair[]; discrepancies: Discrepancy[] }>({
      repaired,
      discrepancies: plan.discrepancies,
    })
  }
)
