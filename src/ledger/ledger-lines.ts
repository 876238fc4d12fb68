import type { BigNumberInput } from "@medusajs/framework/types"
import type { GatewayName } from "../gateways/types"
import type { CaptureRecord, Mechanism, PaymentRecord, RefundRecord } from "../payment-record/schema"
import { capturedAtAuthorization, isLiveRefund } from "../planners/refund-planner"
import { toMinorUnits } from "../utils/money"
import { leftToCapture, reauthorizeRefusal } from "../planners/rules"

/**
 * Builds an order's ledger lines (authorize, capture, refund) from Medusa's own payment, capture and refund rows and
 * what the providers keep in `payment.data`. Pure: reads show the result as it is, and the step that moves money
 * persists the lines of the records it created (`src/workflows/ledger`). Because every amount comes from Medusa's rows,
 * the ledger cannot disagree with Medusa's totals. Each line also says since when it has its status (`status_at`),
 * from Medusa's timestamps, the record's authorization expiry and the disputes' timestamps.
 */

export type TransactionType = "authorize" | "capture" | "refund"
export type TransactionStatus = "pending" | "complete" | "failed" | "canceled"
export type NextAction = "capture" | "cancel" | "refund" | "reauthorize"

export interface MedusaCaptureRow {
  id: string
  amount: BigNumberInput
  raw_amount?: BigNumberInput | null
  created_at: Date | string
}

export interface MedusaRefundRow extends MedusaCaptureRow {
  refund_reason?: { code?: string | null } | null
}

export interface MedusaPaymentRow {
  id: string
  provider_id: string
  currency_code: string
  amount: BigNumberInput
  raw_amount?: BigNumberInput | null
  created_at: Date | string
  canceled_at?: Date | string | null
  data?: Record<string, unknown> | null
  captures?: MedusaCaptureRow[] | null
  refunds?: MedusaRefundRow[] | null
}

/** What the ledger needs to know of a dispute: which payment and capture, and whether it is still open or how it ended. */
export interface DisputeState {
  payment_id: string
  /** Medusa capture id of the disputed capture, when known. */
  capture_id: string | null
  open: boolean
  outcome: "won" | "lost" | null
  /** When the plugin learnt of the dispute (its row's creation). */
  opened_at?: string | null
  /** When it was decided. */
  closed_at?: string | null
}

export interface LedgerLine {
  source_id: string
  parent_source_id: string | null
  order_id: string
  payment_id: string
  /** The PSP reference of the payment (the record's `reference`: PaymentIntent, PayPal order). */
  payment_reference: string
  transaction_type: TransactionType
  gateway: GatewayName
  provider_id: string
  reference: string | null
  custom_reference: string | null
  capture_mechanism: Mechanism | null
  refund_mechanism: Mechanism | null
  amount: number
  currency: string
  status: TransactionStatus
  detailed_status: string
  psp_status: string | null
  statement_descriptor: string | null
  invoice_detail_ids: string[] | null
  expires_at: string | null
  occurred_at: string
  /**
   * Since when the line has its current status and detailed status, from Medusa's and the PSP's timestamps; null when
   * no timestamp tells (a failed refund, an expiry without a known date): the writer then takes the time it learns it.
   */
  status_at: string | null
  /** Derived on every build, never stored. */
  refunded_amount: number
  capturable_amount: number | null
  refundable_amount: number | null
  next_actions: NextAction[]
  /** capture: the PSP took the money when the buyer paid (a method it cannot capture later), not when Medusa asked. */
  captured_at_payment?: boolean
  /** authorize: whether the PSP captures it more than once (Stripe multicapture); null when unknown. */
  multicapture?: boolean | null
  /** authorize: what a final capture released uncaptured (the authorization's rest, given back to the buyer). */
  released_amount?: number
  /** authorize: when the authorization's honor period ends (PayPal); null where the PSP has no reauthorization. */
  honor_until?: string | null
  /** authorize: why it cannot be reauthorized now (a sentence saying what to do); null when `reauthorize` is offered. */
  reauthorize_refusal?: string | null
}

const TYPE_ORDER: Record<TransactionType, number> = { authorize: 0, capture: 1, refund: 2 }

/** Whether a Medusa payment was made by one of this plugin's providers (its data names the gateway). */
export function isOrchestratorPayment(payment: MedusaPaymentRow): boolean {
  const gateway = (payment.data as Partial<PaymentRecord> | null | undefined)?.gateway
  return (gateway === "stripe" || gateway === "paypal") && typeof payment.data?.reference === "string"
}

export function buildLedgerLines(
  orderId: string,
  payments: MedusaPaymentRow[],
  disputes: DisputeState[] = [],
  now: number = Date.now()
): LedgerLine[] {
  const lines = payments.filter(isOrchestratorPayment).flatMap((p) => paymentLines(orderId, p, disputes, now))
  return lines.sort(
    (a, b) =>
      a.occurred_at.localeCompare(b.occurred_at) ||
      TYPE_ORDER[a.transaction_type] - TYPE_ORDER[b.transaction_type] ||
      a.source_id.localeCompare(b.source_id)
  )
}

function paymentLines(orderId: string, payment: MedusaPaymentRow, disputes: DisputeState[], now: number): LedgerLine[] {
  const data = withDefaults(payment.data as Partial<PaymentRecord>)
  const currency = payment.currency_code.toLowerCase()
  const minor = (row: { amount: BigNumberInput; raw_amount?: BigNumberInput | null }) =>
    toMinorUnits(row.raw_amount ?? row.amount, currency)
  const captureRows = [...(payment.captures ?? [])].sort(byCreatedAt)
  const refundRows = [...(payment.refunds ?? [])].sort(byCreatedAt)
  const paymentDisputes = disputes.filter((d) => d.payment_id === payment.id)
  const base = {
    order_id: orderId,
    payment_id: payment.id,
    payment_reference: data.reference,
    gateway: data.gateway,
    provider_id: payment.provider_id,
    currency: currency.toUpperCase(),
    psp_status: null as string | null,
    statement_descriptor: null as string | null,
    invoice_detail_ids: null as string[] | null,
    expires_at: null as string | null,
    capture_mechanism: null as Mechanism | null,
    refund_mechanism: null as Mechanism | null,
    capturable_amount: null as number | null,
    refundable_amount: null as number | null,
  }

  const refundLines = refundRows.flatMap((row) =>
    refundParts(row, minor(row), data, captureRows, minor).map((part, i): LedgerLine => {
      const failed = part.record ? !isLiveRefund(part.record) : false
      return {
        ...base,
        source_id: i === 0 ? row.id : `${row.id}~${i}`,
        parent_source_id: part.capture_id,
        transaction_type: "refund",
        reference: part.record && part.record.mechanism !== "manual" ? part.record.id : null,
        custom_reference: null,
        refund_mechanism: part.record?.mechanism ?? "automatic",
        amount: part.amount,
        status: failed ? "failed" : part.record?.status === "pending" ? "pending" : "complete",
        detailed_status: failed ? "failed" : row.refund_reason?.code === "chargeback" ? "reversed" : "refunded",
        psp_status: part.record?.status ?? null,
        occurred_at: iso(row.created_at),
        status_at: failed ? null : iso(row.created_at),
        refunded_amount: 0,
        next_actions: [],
      }
    })
  )

  const authorizeSourceId = payment.id
  const captured = captureRows.reduce((sum, row) => sum + minor(row), 0)
  const amount = minor(payment)
  const captureLines = captureRows.map((row): LedgerLine => {
    const record = data.captures.find((c) => c.medusa_capture_id === row.id)
    const mechanism = record?.mechanism ?? "automatic"
    const lineAmount = minor(row)
    const refunded = refundLines
      .filter((r) => r.parent_source_id === row.id && r.status !== "failed")
      .reduce((sum, r) => sum + r.amount, 0)
    const dispute = paymentDisputes.find((d) => d.capture_id === row.id || d.capture_id === null)
    const refundable = Math.max(0, lineAmount - refunded)
    const lastRefund = latest(
      refundLines.filter((r) => r.parent_source_id === row.id && r.status !== "failed").map((r) => r.occurred_at)
    )
    const detailed_status = dispute?.open
      ? "chargeback-initiated"
      : dispute?.outcome === "lost"
        ? "reversed"
        : refunded >= lineAmount && refunded > 0
          ? "refunded"
          : refunded > 0
            ? "partially-refunded"
            : "completed"
    const status_at =
      detailed_status === "chargeback-initiated"
        ? (dispute?.opened_at ?? null)
        : detailed_status === "reversed"
          ? (dispute?.closed_at ?? null)
          : detailed_status === "completed"
            ? latest([iso(row.created_at), ...closedAt(paymentDisputes, row.id)])
            : lastRefund
    return {
      ...base,
      source_id: row.id,
      parent_source_id: authorizeSourceId,
      transaction_type: "capture",
      reference: data.gateway === "paypal" && mechanism === "automatic" && record ? record.id : data.reference,
      custom_reference: record ? (record.custom_reference ?? null) : data.custom_reference,
      capture_mechanism: mechanism,
      // Recorded at payment when Medusa's capture answered the PSP's own (at_payment), or when Medusa recorded the
      // payment as captured at authorization, without asking the provider.
      captured_at_payment: record ? record.at_payment === true : capturedAtAuthorization(data),
      amount: lineAmount,
      status: "complete",
      detailed_status,
      statement_descriptor: record?.statement_descriptor ?? null,
      invoice_detail_ids: record?.invoice_detail_ids ?? null,
      occurred_at: iso(row.created_at),
      status_at,
      refunded_amount: refunded,
      refundable_amount: refundable,
      next_actions: refundable > 0 && !dispute?.open ? ["refund"] : [],
    }
  })

  const canceled = Boolean(payment.canceled_at)
  const left = leftToCapture({
    authorized: amount,
    captures: captureRows.map((row) => ({
      amount: minor(row),
      final: data.captures.some((c) => c.final && c.medusa_capture_id === row.id),
    })),
  })
  const capturable = canceled || (captured > 0 && data.status === "captured") ? 0 : left
  const closedByFinal = data.captures.some((c) => c.final && captureRows.some((row) => row.id === c.medusa_capture_id))
  const released = !canceled && closedByFinal ? Math.max(0, amount - captured) : 0
  const expired = data.status === "expired" && captured === 0 && !canceled
  const failed = data.status === "failed" && captured === 0 && !canceled
  const disputed = paymentDisputes.some((d) => d.open)
  const detailed_status = canceled
    ? "voided"
    : failed
      ? "failed"
      : expired
        ? "expired_uncaptured_charge"
        : disputed
          ? "chargeback-initiated"
          : captured > 0 && capturable === 0
            ? "completed"
            : "authorized"
  const reauthorize_refusal = reauthorizeRefusal({
    psp: data.gateway === "paypal" ? "PayPal" : "Stripe",
    honor_until: data.honor_until ?? null,
    expires_at: data.expires_at,
    reauthorized: data.reauthorized === true,
    status: data.status,
    captured,
    canceled,
    now,
  })
  const decided = closedAt(paymentDisputes, null)
  const authorize_status_at: Record<string, string | null> = {
    voided: payment.canceled_at ? iso(payment.canceled_at) : null,
    failed: iso(payment.created_at),
    expired_uncaptured_charge: data.expires_at ? iso(data.expires_at) : null,
    "chargeback-initiated": latest(paymentDisputes.filter((d) => d.open).map((d) => d.opened_at ?? null)),
    completed: latest([...captureRows.map((row) => iso(row.created_at)), ...decided]),
    authorized: latest([iso(payment.created_at), ...decided]),
  }
  const authorize: LedgerLine = {
    ...base,
    source_id: authorizeSourceId,
    parent_source_id: null,
    transaction_type: "authorize",
    reference: data.authorization_id ?? data.reference,
    custom_reference: data.custom_reference,
    amount,
    status: canceled ? "canceled" : failed ? "failed" : "complete",
    detailed_status,
    psp_status: data.psp_status ?? null,
    expires_at: data.expires_at,
    occurred_at: iso(payment.created_at),
    status_at: authorize_status_at[detailed_status] ?? null,
    refunded_amount: 0,
    capturable_amount: expired || failed ? 0 : capturable,
    multicapture: data.multicapture ?? null,
    released_amount: released,
    honor_until: data.honor_until ?? null,
    reauthorize_refusal,
    next_actions: [
      ...(capturable > 0 && !expired && !failed ? (["capture"] as const) : []),
      ...(reauthorize_refusal === null ? (["reauthorize"] as const) : []),
      ...(captured === 0 && !canceled ? (["cancel"] as const) : []),
    ],
  }
  return [authorize, ...captureLines, ...refundLines]
}

interface RefundPartLine {
  capture_id: string | null
  amount: number
  record: RefundRecord | null
}

/**
 * The parts of one Medusa refund, each against one capture: as the provider recorded them, or, for a refund the
 * provider has no record of, against the newest capture that has enough left.
 */
function refundParts(
  row: MedusaRefundRow,
  amount: number,
  data: PaymentRecord,
  captureRows: MedusaCaptureRow[],
  minor: (row: MedusaCaptureRow) => number
): RefundPartLine[] {
  const records = data.refunds.filter((r) => r.medusa_refund_id === row.id)
  const recorded = records.reduce((sum, r) => sum + r.amount, 0)
  if (records.length > 0 && recorded === amount) {
    return records.map((record) => ({
      capture_id: medusaCaptureOf(record, data.captures, captureRows),
      amount: record.amount,
      record,
    }))
  }
  const newestFirst = [...captureRows].reverse()
  const target = newestFirst.find((c) => minor(c) >= amount) ?? newestFirst[0]
  return [{ capture_id: target?.id ?? null, amount, record: records[0] ?? null }]
}

function medusaCaptureOf(
  refund: RefundRecord,
  captures: CaptureRecord[],
  captureRows: MedusaCaptureRow[]
): string | null {
  if (refund.medusa_capture_id) {
    return refund.medusa_capture_id
  }
  const record = captures.find((c) => c.id === refund.capture_id)
  if (record?.medusa_capture_id) {
    return record.medusa_capture_id
  }
  return captureRows.length > 0 ? captureRows[captureRows.length - 1].id : null
}

function withDefaults(data: Partial<PaymentRecord>): PaymentRecord {
  return {
    captures: [],
    refunds: [],
    custom_reference: null,
    authorization_id: null,
    session_id: null,
    expires_at: null,
    ...data,
  } as PaymentRecord
}

function byCreatedAt(a: { created_at: Date | string }, b: { created_at: Date | string }): number {
  return iso(a.created_at).localeCompare(iso(b.created_at))
}

function iso(value: Date | string): string {
  return new Date(value).toISOString()
}

/** The latest of some ISO timestamps (null when none is known). */
function latest(values: (string | null | undefined)[]): string | null {
  const known = values.filter((v): v is string => Boolean(v)).map(iso)
  return known.length ? known.reduce((a, b) => (a > b ? a : b)) : null
}

/** When the payment's decided disputes (of that capture, or of any capture for null) were decided. */
function closedAt(disputes: DisputeState[], captureId: string | null): string[] {
  return disputes
    .filter(
      (d) => !d.open && d.closed_at && (captureId === null || d.capture_id === captureId || d.capture_id === null)
    )
    .map((d) => d.closed_at as string)
}
