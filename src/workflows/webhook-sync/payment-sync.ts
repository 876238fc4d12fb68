/**
 * What the webhook sync's steps share: reading a payment as the sync needs it, recording a refund made at the PSP in
 * Medusa (recipe A: a RefundRecord in the payment's record and an instruction in the plugin's module naming the PSP
 * refund, then Medusa's own `refundPaymentWorkflow`, whose provider call claims the instruction and does not call the
 * PSP), flagging refunds that failed
 * after Medusa recorded them, and recording lost disputes. Every step runs under the order's lock.
 */
import type { IEventBusModuleService, IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import { refundPaymentWorkflow, type RefundPaymentWorkflowInput } from "@medusajs/medusa/core-flows"
import type { GatewayDispute, GatewayName, GatewayRefund } from "../../gateways/types"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../modules/payment-orchestrator"
import type PaymentOrchestratorModuleService from "../../modules/payment-orchestrator/service"
import {
  readRecord,
  recordGateway,
  withOpenDispute,
  withoutRefund,
  withRefundLinked,
  withRefunds,
  withRefundStatus,
  type PaymentRecord,
} from "../../payment-record/record"
import type { WebhookSyncProvider } from "../../providers/webhook-sync-types"
import { formatMoney, majorUnitsString, toMinorUnits } from "../../utils/money"
import { updatePaymentRecord } from "../transactions/steps/payment-data-access"
import {
  chargebackRefunds,
  disputedMedusaCapture,
  planChargeback,
  refundRecords,
  type RefundPartPlan,
} from "./refund-sync-plan"
import { CAPTURE_AND_REFUND_FIELDS } from "../payment-queries"

/** The events the sync emits, beside Medusa's own `payment.refunded`. */
export const SYNC_EVENTS = {
  REFUND_SYNCED: "payment_orchestrator.refund.synced",
  REFUND_FAILED: "payment_orchestrator.refund.failed",
  DISPUTE_CREATED: "payment_orchestrator.dispute.created",
  DISPUTE_CLOSED: "payment_orchestrator.dispute.closed",
} as const

/** The refund reason Medusa records lost disputes with; the ledger shows such refunds as `reversed`. */
export const CHARGEBACK_REASON_CODE = "chargeback"

/** Marks the Medusa refunds the sync records (`refund.metadata`), so a replay after a crash finds them. */
export const SYNC_METADATA_KEY = "psp_refund_id"

/** Where a PSP event's payment is in Medusa. */
export interface PaymentTarget {
  payment_id: string
  order_id: string
  provider_id: string
}

/** A payment as the sync reads it: the provider's data, Medusa's captures and refunds, what is left to refund. */
export interface SyncedPayment extends PaymentTarget {
  gateway: GatewayName
  currency: string
  data: PaymentRecord
  /** Medusa capture ids, oldest first. */
  capture_ids: string[]
  /** Medusa's captured amount less its refunded amount, in minor units: the most Medusa will let be refunded. */
  refundable: number
  medusa_refunds: { id: string; amount: number; metadata: Record<string, unknown> | null }[]
}

interface PaymentRow {
  id: string
  currency_code: string
  data: Record<string, unknown> | null
  captures?: { id: string; amount: unknown; raw_amount?: unknown; created_at: string | Date }[]
  refunds?: { id: string; amount: unknown; raw_amount?: unknown; metadata?: Record<string, unknown> | null }[]
}

export async function readSyncedPayment(container: MedusaContainer, target: PaymentTarget): Promise<SyncedPayment> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "payment",
    fields: ["id", "currency_code", "data", ...CAPTURE_AND_REFUND_FIELDS, "refunds.metadata"],
    filters: { id: target.payment_id },
  })
  const row = data[0] as PaymentRow | undefined
  if (!row) {
    throw new Error(`Payment ${target.payment_id} was not found, so the PSP's changes to it cannot be recorded.`)
  }
  const currency = row.currency_code.toLowerCase()
  const minor = (r: { amount: unknown; raw_amount?: unknown }) =>
    toMinorUnits((r.raw_amount ?? r.amount) as never, currency)
  const captures = [...(row.captures ?? [])].sort(
    (a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime()
  )
  const refunds = (row.refunds ?? []).map((r) => ({ id: r.id, amount: minor(r), metadata: r.metadata ?? null }))
  const captured = captures.reduce((sum, c) => sum + minor(c), 0)
  const refunded = refunds.reduce((sum, r) => sum + r.amount, 0)
  const gateway = recordGateway(row.data)
  if (!gateway) {
    throw new Error(`Payment ${row.id} was not made by medusa-payment-orchestrator's providers.`)
  }
  return {
    ...target,
    gateway,
    currency,
    data: readRecord(row.data, gateway),
    capture_ids: captures.map((c) => c.id),
    refundable: Math.max(0, captured - refunded),
    medusa_refunds: refunds,
  }
}

/** What one refund recording needs: the PSP id it is recorded under, its parts, and how Medusa should label it. */
export interface RefundToWrite {
  id: string
  amount: number
  parts: RefundPartPlan[]
  refund: Pick<GatewayRefund, "id" | "capture_id" | "status" | "created_at">
  dispute_id?: string | null
  note: string
  refund_reason_id?: string
  resume: boolean
}

/**
 * Records one PSP refund in Medusa exactly once. A Medusa refund already tagged with the PSP id (a run that crashed
 * after Medusa recorded it) is only tied back to the payment's record. Otherwise the record goes into the payment's
 * record, an instruction naming the PSP refund into the plugin's module, and Medusa's refund workflow records the
 * refund, the order transaction, the credit line and `payment.refunded`; the provider claims the instruction and ties
 * the record to the new Medusa refund without calling the PSP. If it fails, the record is put back as it was.
 */
export async function recordRefundInMedusa(
  container: MedusaContainer,
  payment: SyncedPayment,
  entry: RefundToWrite
): Promise<{ medusa_refund_id: string; existed: boolean }> {
  const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const existing = payment.medusa_refunds.find((r) => r.metadata?.[SYNC_METADATA_KEY] === entry.id)
  if (existing) {
    await updatePaymentRecord(payments, payment.payment_id, (record) =>
      withRefundLinked(withEntry(record, entry), entry.id, existing.id)
    )
    return { medusa_refund_id: existing.id, existed: true }
  }

  await updatePaymentRecord(payments, payment.payment_id, (record) => withEntry(record, entry))
  const orchestrator = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
  const instruction = await orchestrator.instructions.plan({
    kind: "refund",
    payment_id: payment.payment_id,
    reference: payment.data.reference,
    options: {
      amount: entry.amount,
      external_refunds: [
        {
          id: entry.id,
          amount: entry.amount,
          medusa_capture_id: entry.parts.length === 1 ? entry.parts[0].medusa_capture_id : null,
        },
      ],
    },
  })
  try {
    await refundPaymentWorkflow(container).run({
      input: {
        payment_id: payment.payment_id,
        amount: majorUnitsString(entry.amount, payment.currency),
        note: entry.note,
        ...(entry.refund_reason_id ? { refund_reason_id: entry.refund_reason_id } : {}),
        // Forwarded as-is to the payment module, which stores it on the refund (the workflow's type omits it).
        metadata: {
          [SYNC_METADATA_KEY]: entry.id,
          gateway: payment.gateway,
          ...(entry.dispute_id ? { dispute_id: entry.dispute_id } : {}),
        },
      } as RefundPaymentWorkflowInput,
    })
  } catch (e) {
    await orchestrator.instructions.withdraw(instruction.id)
    if (!entry.resume) {
      await updatePaymentRecord(payments, payment.payment_id, (record) => withoutRefund(record, entry.id))
    }
    throw e
  }
  const medusaRefundId = await orchestrator.instructions.complete(instruction.id)
  if (!medusaRefundId) {
    throw new Error(
      `Medusa recorded refund ${entry.id} of payment ${payment.payment_id}, but the provider did not claim its instruction. Check that the payment's provider is medusa-payment-orchestrator's.`
    )
  }
  return { medusa_refund_id: medusaRefundId, existed: false }
}

function withEntry(record: PaymentRecord, entry: RefundToWrite): PaymentRecord {
  if (record.refunds.some((r) => r.id === entry.id)) {
    return record
  }
  return withRefunds(
    record,
    refundRecords(entry.refund, entry.parts, entry.dispute_id ? { dispute_id: entry.dispute_id } : {})
  )
}

/** Sets the PSP status of a known refund (every part of it) in the payment's record. */
export async function setRefundStatus(
  container: MedusaContainer,
  paymentId: string,
  refundId: string,
  status: string
): Promise<void> {
  const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  await updatePaymentRecord(payments, paymentId, (record) => withRefundStatus(record, refundId, status))
}

/** Puts a dispute on, or takes it off, the payment's list of open disputes (the provider refuses refunds meanwhile). */
export async function setOpenDispute(
  container: MedusaContainer,
  paymentId: string,
  disputeId: string,
  open: boolean
): Promise<void> {
  const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  await updatePaymentRecord(payments, paymentId, (record) => withOpenDispute(record, disputeId, open))
}

/** The `chargeback` refund reason, created once (under a lock: Medusa does not make refund reason codes unique). */
export async function chargebackReasonId(container: MedusaContainer): Promise<string> {
  const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const find = async () =>
    (await payments.listRefundReasons({ code: CHARGEBACK_REASON_CODE } as never, { take: 1 }))[0]?.id
  const found = await find()
  if (found) {
    return found
  }
  const locking = container.resolve(Modules.LOCKING)
  return locking.execute(
    "payment-orchestrator:refund-reason:chargeback",
    async () =>
      (await find()) ??
      (
        await payments.createRefundReasons({
          label: "Chargeback",
          code: CHARGEBACK_REASON_CODE,
          description:
            "A dispute (chargeback) the merchant lost at the PSP: the card network gave the money back to the customer.",
        })
      ).id,
    { timeout: 10 }
  )
}

export async function emitSyncEvent(
  container: MedusaContainer,
  name: (typeof SYNC_EVENTS)[keyof typeof SYNC_EVENTS],
  data: Record<string, unknown>
): Promise<void> {
  const eventBus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
  await eventBus.emit({ name, data })
}

/** Logs and emits that a refund Medusa recorded failed afterwards at the PSP. Medusa cannot delete a refund. */
export async function flagFailedRefund(
  container: MedusaContainer,
  payment: SyncedPayment,
  change: { id: string; to: string; amount: number; medusa_refund_id: string | null; source: string }
): Promise<void> {
  const amount = formatMoney(change.amount, payment.currency)
  const explanation =
    `${payment.gateway} refund ${change.id} of ${amount} on order ${payment.order_id} ${change.to === "canceled" ? "was canceled" : "failed"} after Medusa recorded it` +
    `${change.medusa_refund_id ? ` as refund ${change.medusa_refund_id}` : ""}: the customer did not get the money back and it is in your ${payment.gateway} balance again. ` +
    `Medusa cannot delete a refund, so the order's refunded total overstates by ${amount} (the transactions API shows the refund as failed). ` +
    `Pay the customer back another way, or refund again at ${payment.gateway} once the cause is fixed.`
  container.resolve(ContainerRegistrationKeys.LOGGER).warn(`[payment-orchestrator] ${explanation}`)
  await emitSyncEvent(container, SYNC_EVENTS.REFUND_FAILED, {
    order_id: payment.order_id,
    payment_id: payment.payment_id,
    refund_id: change.medusa_refund_id,
    psp_refund_id: change.id,
    gateway: payment.gateway,
    amount: change.amount,
    currency: payment.currency,
    status: change.to,
    explanation,
  })
}

/**
 * Records a lost dispute in Medusa as a refund with the `chargeback` reason, once, so the order's totals tell the
 * truth. Called by the dispute sync and by the refund sync (PayPal's reversal can arrive before, or without, the
 * dispute's own events). Returns the Medusa refund id, or null when nothing is to be recorded.
 */
export async function ensureChargebackRecorded(
  container: MedusaContainer,
  provider: WebhookSyncProvider,
  payment: SyncedPayment,
  dispute: GatewayDispute,
  known?: { refunds: GatewayRefund[]; disputes: GatewayDispute[] }
): Promise<{ medusa_refund_id: string | null; recorded: boolean; note: string }> {
  if (dispute.status !== "lost") {
    return { medusa_refund_id: null, recorded: false, note: "" }
  }
  const already = payment.data.refunds.find((r) => r.dispute_id === dispute.id && r.medusa_refund_id)
  if (already) {
    return { medusa_refund_id: already.medusa_refund_id, recorded: false, note: "chargeback already recorded" }
  }
  let reversalId: string | null = null
  if (provider.lostDisputesAppearAsRefunds) {
    const refunds = known?.refunds ?? (await provider.listPspRefunds(payment.data.reference))
    const disputes = known?.disputes ?? (await provider.listPspDisputes(payment.data.reference))
    const all = disputes.some((d) => d.id === dispute.id) ? disputes : [...disputes, dispute]
    reversalId = [...chargebackRefunds(refunds, all)].find(([, disputeId]) => disputeId === dispute.id)?.[0] ?? null
  }
  const target = disputedMedusaCapture(payment.data, dispute, payment.capture_ids)
  const plan = planChargeback(payment.data, dispute, reversalId, payment.refundable, target)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  if (!plan) {
    const message = `${payment.gateway} dispute ${dispute.id} on order ${payment.order_id} was lost, but Medusa has nothing left to refund on the payment: no chargeback refund was recorded. The customer may have been refunded and charged back for the same money; check the payment at ${payment.gateway}.`
    logger.warn(`[payment-orchestrator] ${message}`)
    return { medusa_refund_id: null, recorded: false, note: "lost, nothing left to refund in Medusa" }
  }
  if (plan.capped_from !== null) {
    logger.warn(
      `[payment-orchestrator] ${payment.gateway} dispute ${dispute.id} on order ${payment.order_id} was lost for ${formatMoney(plan.capped_from, payment.currency)}, but Medusa had only ${formatMoney(plan.amount, payment.currency)} left to refund: that much is recorded as the chargeback.`
    )
  }
  const { medusa_refund_id } = await recordRefundInMedusa(container, payment, {
    id: plan.id,
    amount: plan.amount,
    parts: plan.parts,
    refund: {
      id: plan.id,
      capture_id: dispute.capture_id,
      status: "succeeded",
      created_at: new Date().toISOString(),
    },
    dispute_id: dispute.id,
    note: `Chargeback: ${payment.gateway} dispute ${dispute.id} was lost${dispute.reason ? ` (reason: ${dispute.reason})` : ""}.`,
    refund_reason_id: await chargebackReasonId(container),
    resume: plan.resume,
  })
  await emitSyncEvent(container, SYNC_EVENTS.REFUND_SYNCED, {
    order_id: payment.order_id,
    payment_id: payment.payment_id,
    refund_id: medusa_refund_id,
    psp_refund_id: plan.id,
    dispute_id: dispute.id,
    gateway: payment.gateway,
    amount: plan.amount,
    currency: payment.currency,
    source: "chargeback",
  })
  return {
    medusa_refund_id,
    recorded: true,
    note: `chargeback ${formatMoney(plan.amount, payment.currency)} recorded as refund ${medusa_refund_id}`,
  }
}

/** A stored bigNumber (minor units) back as an integer. */
export function storedMinor(value: unknown): number {
  const n = MathBN.convert(value as never).toNumber()
  if (!Number.isSafeInteger(n)) {
    throw new Error(`Stored amount ${String(value)} is not a whole number of minor units.`)
  }
  return n
}
