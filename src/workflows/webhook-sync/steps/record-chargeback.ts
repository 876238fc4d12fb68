import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { GatewayDispute } from "../../../gateways/types"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../../modules/payment-orchestrator"
import type PaymentOrchestratorModuleService from "../../../modules/payment-orchestrator/service"
import { resolveSyncProvider } from "../../../providers/provider-registry"
import {
  emitSyncEvent,
  ensureChargebackRecorded,
  readSyncedPayment,
  SYNC_EVENTS,
  type PaymentTarget,
} from "../payment-sync"
import type { DisputeRowState } from "./upsert-dispute"

/**
 * A lost dispute becomes a Medusa refund with the `chargeback` reason (once; a won one records nothing), tied to the
 * dispute's row; a dispute decided by this sync emits `payment_orchestrator.dispute.closed`. Answers what it did.
 */
export const recordChargebackStep = createStep(
  "record-chargeback",
  async (input: { target: PaymentTarget; dispute: GatewayDispute; row: DisputeRowState }, { container }) => {
    const { target, dispute, row } = input
    const notes: string[] = [`dispute ${dispute.id} ${row.previous_status ?? "new"} → ${dispute.status}`]
    let refundId = row.refund_id
    if (dispute.status === "lost") {
      const provider = resolveSyncProvider(container, target.provider_id)
      if (!provider) {
        throw new Error(`Provider ${target.provider_id} is not loaded, so the lost dispute cannot be recorded.`)
      }
      const payment = await readSyncedPayment(container, target)
      const result = await ensureChargebackRecorded(container, provider, payment, dispute)
      if (result.note) {
        notes.push(result.note)
      }
      if (result.medusa_refund_id && result.medusa_refund_id !== row.refund_id) {
        refundId = result.medusa_refund_id
        await container
          .resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
          .updateOrchestratorDisputes({ id: row.id, refund_id: refundId } as never)
      }
    }
    if (row.closed_now) {
      await emitSyncEvent(container, SYNC_EVENTS.DISPUTE_CLOSED, {
        id: row.id,
        order_id: target.order_id,
        payment_id: target.payment_id,
        gateway: dispute.gateway,
        reference: dispute.id,
        status: dispute.status,
        amount: dispute.amount,
        amount_lost: dispute.amount_lost,
        currency: dispute.currency,
        refund_id: refundId,
      })
    }
    return new StepResponse(notes.join("; "))
  }
)
