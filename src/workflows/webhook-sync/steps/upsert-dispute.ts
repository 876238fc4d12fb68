import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { GatewayDispute } from "../../../gateways/types"
import type { DisputeHistoryEntry } from "../../../ledger/dispute-view"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../../modules/payment-orchestrator"
import type PaymentOrchestratorModuleService from "../../../modules/payment-orchestrator/service"
import { ledgerIdOfSource } from "../../ledger/order-ledger"
import { emitSyncEvent, readSyncedPayment, setOpenDispute, SYNC_EVENTS, type PaymentTarget } from "../payment-sync"
import { disputedMedusaCapture } from "../refund-sync-plan"

export interface DisputeRowState {
  id: string
  created: boolean
  /** The dispute was open (or unknown) before this sync and is decided now. */
  closed_now: boolean
  previous_status: string | null
  status: string
  refund_id: string | null
  /** The row changed what the order's ledger shows: new, another status, or tied to its capture only now. */
  ledger_stale: boolean
}

interface DisputeRow {
  id: string
  status: string
  closed_at: Date | string | null
  refund_id: string | null
  transaction_id: string | null
  history: DisputeHistoryEntry[] | null
}

/**
 * Creates or updates the dispute's row from the PSP's current state: amount, reason, status, evidence due date, the
 * ledger id of the disputed capture, and the history of its status changes. Keeps the payment's `open_disputes` in
 * step (the provider refuses refunds while one is open). Emits `payment_orchestrator.dispute.created` for a new one.
 */
export const upsertDisputeStep = createStep(
  "upsert-dispute",
  async (input: { target: PaymentTarget; dispute: GatewayDispute; event_id: string }, { container }) => {
    const { target, dispute } = input
    const module = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
    const payment = await readSyncedPayment(container, target)
    const capture = disputedMedusaCapture(payment.data, dispute, payment.capture_ids)
    const transactionId = capture ? await ledgerIdOfSource(container, capture) : null
    const now = new Date().toISOString()
    const entry: DisputeHistoryEntry = {
      status: dispute.status,
      psp_status: dispute.psp_status,
      at: now,
      event_id: input.event_id,
    }
    const fields = {
      amount: dispute.amount,
      currency: dispute.currency,
      reason: dispute.reason,
      status: dispute.status,
      psp_status: dispute.psp_status,
      evidence_due_by: dispute.evidence_due_by ? new Date(dispute.evidence_due_by) : null,
    }
    const [existing] = (await module.listOrchestratorDisputes({
      gateway: dispute.gateway,
      reference: dispute.id,
    })) as unknown as DisputeRow[]

    let state: DisputeRowState
    if (!existing) {
      const created = (await module.createOrchestratorDisputes({
        ...fields,
        gateway: dispute.gateway,
        reference: dispute.id,
        order_id: target.order_id,
        payment_id: target.payment_id,
        transaction_id: transactionId,
        closed_at: dispute.open ? null : new Date(now),
        refund_id: null,
        history: [entry],
        metadata: { capture_id: dispute.capture_id },
      } as never)) as unknown as DisputeRow
      state = {
        id: created.id,
        created: true,
        closed_now: !dispute.open,
        previous_status: null,
        status: dispute.status,
        refund_id: null,
        ledger_stale: true,
      }
    } else {
      const changed = existing.status !== dispute.status
      await module.updateOrchestratorDisputes({
        id: existing.id,
        ...fields,
        transaction_id: existing.transaction_id ?? transactionId,
        ...(changed ? { history: [...(existing.history ?? []), entry] } : {}),
        ...(!dispute.open && !existing.closed_at ? { closed_at: new Date(now) } : {}),
      } as never)
      state = {
        id: existing.id,
        created: false,
        closed_now: !dispute.open && !existing.closed_at,
        previous_status: existing.status,
        status: dispute.status,
        refund_id: existing.refund_id,
        ledger_stale: changed || (!existing.transaction_id && !!transactionId),
      }
    }
    await setOpenDispute(container, target.payment_id, dispute.id, dispute.open)
    if (state.created) {
      await emitSyncEvent(container, SYNC_EVENTS.DISPUTE_CREATED, {
        id: state.id,
        order_id: target.order_id,
        payment_id: target.payment_id,
        gateway: dispute.gateway,
        reference: dispute.id,
        status: dispute.status,
        amount: dispute.amount,
        currency: dispute.currency,
        reason: dispute.reason,
        evidence_due_by: dispute.evidence_due_by,
      })
    }
    return new StepResponse(state)
  }
)
