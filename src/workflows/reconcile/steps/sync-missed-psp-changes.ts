import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../../modules/payment-orchestrator"
import type PaymentOrchestratorModuleService from "../../../modules/payment-orchestrator/service"
import { readSyncedPayment } from "../../webhook-sync/payment-sync"
import { chargebackRefunds, planRefundSync } from "../../webhook-sync/refund-sync-plan"
import { syncDisputeWorkflow } from "../../webhook-sync/sync-dispute"
import { syncPaymentRefundsWorkflow } from "../../webhook-sync/sync-payment-refunds"
import type { ReconcileTarget } from "../reconcile-data"
import type { Discrepancy, Repair } from "../reconcile-plan"
import type { PspState } from "./read-psp-state"

/** Marks what the reconciler records in the dispute's history (where a webhook sync puts the event id). */
export const RECONCILIATION_EVENT_ID = "reconciliation"

/**
 * Refunds whose webhook never came: when the webhook sync's own plan (`planRefundSync`, on the PSP's refunds read in
 * this pass) has something to record or a status to change, the webhook sync's refund workflow runs, exactly as for
 * a delivery. Nothing to do, nothing runs: a second pass changes nothing.
 */
export const syncMissedRefundsStep = createStep(
  "sync-missed-refunds",
  async (input: { target: ReconcileTarget; psp: PspState }, { container }) => {
    const payment = await readSyncedPayment(container, input.target)
    const chargebacks = chargebackRefunds(input.psp.refunds, input.psp.disputes)
    const plan = planRefundSync(payment.data, input.psp.refunds, chargebacks, payment.refundable)
    const lostUnrecorded = input.psp.disputes.some(
      (d) =>
        d.status === "lost" &&
        [...chargebacks.values()].includes(d.id) &&
        !payment.data.refunds.some((r) => r.dispute_id === d.id && r.medusa_refund_id)
    )
    if (plan.to_record.length === 0 && plan.status_changes.length === 0 && !lostUnrecorded) {
      return new StepResponse<Repair[]>([])
    }
    const { result } = await syncPaymentRefundsWorkflow(container).run({ input: input.target })
    return new StepResponse<Repair[]>([{ code: "missed_refunds_synced", detail: String(result) }])
  }
)

interface DisputeRow {
  id: string
  reference: string
  status: string
  refund_id: string | null
}

/**
 * Disputes whose webhook never came, or whose last change was missed: each PSP dispute without a row, or whose row's
 * status differs, or lost without its chargeback recorded, goes through the webhook sync's dispute workflow (row,
 * history, open disputes, chargeback refund, ledger). Rows the PSP does not know are reported.
 */
export const syncMissedDisputesStep = createStep(
  "sync-missed-disputes",
  async (input: { target: ReconcileTarget; psp: PspState }, { container }) => {
    const module = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
    const rows = (await module.listOrchestratorDisputes({
      payment_id: input.target.payment_id,
    })) as unknown as DisputeRow[]
    const payment = await readSyncedPayment(container, input.target)
    const repaired: Repair[] = []
    const discrepancies: Discrepancy[] = []
    for (const dispute of input.psp.disputes) {
      const row = rows.find((r) => r.reference === dispute.id)
      const chargebackMissing =
        dispute.status === "lost" &&
        !row?.refund_id &&
        !payment.data.refunds.some((r) => r.dispute_id === dispute.id && r.medusa_refund_id)
      if (row && row.status === dispute.status && !chargebackMissing) {
        continue
      }
      const { result } = await syncDisputeWorkflow(container).run({
        input: { ...input.target, dispute_id: dispute.id, event_id: RECONCILIATION_EVENT_ID },
      })
      repaired.push({ code: "missed_dispute_synced", detail: String(result) })
    }
    const known = new Set(input.psp.disputes.map((d) => d.id))
    for (const row of rows.filter((r) => !known.has(r.reference))) {
      discrepancies.push({
        code: "dispute_unknown_to_psp",
        detail: `Dispute ${row.reference} (${row.status}) is recorded for this payment but ${payment.gateway} does not list it on the payment. Check the dispute at ${payment.gateway}.`,
      })
    }
    return new StepResponse({ repaired, discrepancies })
  }
)
