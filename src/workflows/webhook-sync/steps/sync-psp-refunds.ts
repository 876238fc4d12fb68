import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { GatewayDispute } from "../../../gateways/types"
import { resolveSyncProvider } from "../../../providers/provider-registry"
import { formatMoney } from "../../../utils/money"
import {
  emitSyncEvent,
  ensureChargebackRecorded,
  flagFailedRefund,
  readSyncedPayment,
  recordRefundInMedusa,
  setRefundStatus,
  SYNC_EVENTS,
  type PaymentTarget,
} from "../payment-sync"
import { chargebackRefunds, planRefundSync } from "../refund-sync-plan"

/**
 * Brings Medusa's refunds of one payment in line with the refunds the PSP holds now (read again, whatever the event
 * said): each refund made at the PSP that Medusa lacks becomes a Medusa refund through Medusa's refund workflow, a
 * known refund whose status changed is updated (a failure is flagged), and, at PSPs where a lost dispute shows up as
 * a refund (PayPal), the lost dispute is recorded as a chargeback. Refunds the plugin issued are never recorded twice.
 * Answers a sentence of what it did, for the event's record, and whether the order's ledger is left to bring in line.
 */
export const syncPspRefundsStep = createStep("sync-psp-refunds", async (input: PaymentTarget, { container }) => {
  const provider = resolveSyncProvider(container, input.provider_id)
  if (!provider) {
    throw new Error(`Provider ${input.provider_id} is not loaded, so the payment's refunds cannot be read.`)
  }
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  let payment = await readSyncedPayment(container, input)
  const reference = payment.data.reference
  const pspRefunds = await provider.listPspRefunds(reference)
  const disputes: GatewayDispute[] = provider.lostDisputesAppearAsRefunds
    ? await provider.listPspDisputes(reference)
    : []
  const plan = planRefundSync(payment.data, pspRefunds, chargebackRefunds(pspRefunds, disputes), payment.refundable)
  const done: string[] = []
  // Whether the order's ledger must be brought in line here: a refund's status changed, or a Medusa refund a crashed
  // run left behind was tied back to the record. A refund recorded through Medusa's refund workflow is not counted:
  // its `payment.refunded` brings the ledger in line (the ledger-payment-moved subscriber), once.
  let ledgerStale = false
  // The payment as read before any change: read again only after this run changed something.
  let fresh = true
  const money = (minor: number) => formatMoney(minor, payment.currency)

  for (const change of plan.status_changes) {
    await setRefundStatus(container, input.payment_id, change.id, change.to)
    ledgerStale = true
    fresh = false
    done.push(`refund ${change.id} ${change.from} → ${change.to}`)
    if (
      (change.to === "failed" || change.to === "canceled") &&
      change.from !== "failed" &&
      change.from !== "canceled"
    ) {
      await flagFailedRefund(container, payment, change)
    }
  }

  for (const item of plan.to_record) {
    if (!fresh) {
      payment = await readSyncedPayment(container, input)
    }
    fresh = false
    const { refund } = item
    const { medusa_refund_id, existed } = await recordRefundInMedusa(container, payment, {
      id: refund.id,
      amount: refund.amount,
      parts: item.parts,
      refund,
      note: `Refunded at ${payment.gateway} (${refund.id}), outside Medusa${refund.reason ? `: ${refund.reason}` : ""}.`,
      resume: item.resume,
    })
    ledgerStale ||= existed
    done.push(`refund ${refund.id} ${money(refund.amount)} recorded as ${medusa_refund_id}`)
    if (!existed) {
      await emitSyncEvent(container, SYNC_EVENTS.REFUND_SYNCED, {
        order_id: input.order_id,
        payment_id: input.payment_id,
        refund_id: medusa_refund_id,
        psp_refund_id: refund.id,
        gateway: payment.gateway,
        amount: refund.amount,
        currency: payment.currency,
        source: "psp",
      })
    }
  }

  for (const dispute of disputes.filter((d) => d.status === "lost")) {
    if (!fresh) {
      payment = await readSyncedPayment(container, input)
    }
    const result = await ensureChargebackRecorded(container, provider, payment, dispute, {
      refunds: pspRefunds,
      disputes,
    })
    if (result.recorded) {
      fresh = false
      done.push(`dispute ${dispute.id}: ${result.note}`)
    }
  }

  for (const { id } of plan.skipped.filter((s) => s.why === "issued_by_plugin")) {
    // Medusa's webhook delay makes an echo that overtakes the provider's own write of the refund all but
    // impossible: this is a refund the plugin made at the PSP whose recording in Medusa then failed.
    logger.warn(
      `[payment-orchestrator] ${payment.gateway} refund ${id} on order ${input.order_id} was issued by this plugin but is not in the payment's records, so it is not recorded again from the webhook. If Medusa shows no refund for it, the refund request's answer was lost after ${payment.gateway} refunded: retry the same refund with the same amount (transactions API or Medusa's refund), which records it without refunding again. Do not mark it as refunded: that would record it without its ${payment.gateway} id.`
    )
  }

  for (const { refund, refundable } of plan.unrecordable) {
    const message = `${payment.gateway} refund ${refund.id} of ${money(refund.amount)} on order ${input.order_id} cannot be recorded in Medusa: only ${money(refundable)} of what Medusa recorded as captured is left to refund. Capture the payment in Medusa as it was captured at ${payment.gateway}, then the next event of this payment records it.`
    logger.error(`[payment-orchestrator] ${message}`)
    done.push(`refund ${refund.id} not recorded: exceeds what Medusa can refund`)
  }
  return new StepResponse({
    outcome: done.length > 0 ? done.join("; ") : "refunds already in line, nothing changed",
    ledger_stale: ledgerStale,
  })
})
