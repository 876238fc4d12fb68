/**
 * From what a person entered in the capture and refund forms to the request bodies of the transactions API.
 *
 * Capture (`POST …/transactions/:tid/capture`, body `{ data }`), with Elastic Path's `custom_reference` rules: the
 * field is prefilled with the authorization's reference; left as it is, it is omitted (the API keeps the previous
 * value); cleared, it is sent as "" (the API clears it); changed, the new value is sent. The amount is typed in MAJOR
 * units and sent as `capture_amount` in minor units. With order lines selected, their ids are sent as
 * `invoice_detail_ids` instead of an amount (the API takes one or the other: it captures the lines' total), and the
 * amount field, which the form fills with that total, must still show it.
 */
import { isCaptureFinal } from "../../planners/rules"
import {
  formatMinorAmount,
  majorValueToMinor,
  minorToMajorString,
  parseMajorAmount,
  sumMinor,
} from "./currency-amounts"
import type { CaptureRequestData, Transaction } from "./transaction-types"

export type CaptureType = "final" | "non-final"

export interface CaptureFormValues {
  /** Major units, as typed. */
  amount: string
  customReference: string
  statementDescriptor: string
  captureType: CaptureType
  lineItemIds: string[]
}

export interface CaptureFormContext {
  currency: string
  /** Minor units still capturable on the authorization. */
  capturableAmount: number
  /** The authorization's custom reference, which the field was prefilled with. */
  originalCustomReference: string | null
  /** The total of the selected order lines, in minor units (when some are selected). */
  selectedLinesTotal?: number | null
  /** The authorization's `multicapture`: false when the PSP captures it only once (no non-final capture). */
  multicapture?: boolean | null
}

export type CaptureFormErrors = Partial<
  Record<"amount" | "customReference" | "statementDescriptor" | "captureType", string>
>

export type CaptureBodyResult = { ok: true; data: CaptureRequestData } | { ok: false; errors: CaptureFormErrors }

/** Statement descriptors (Stripe `statement_descriptor_suffix`, PayPal `soft_descriptor`): at most 22 characters. */
export const STATEMENT_DESCRIPTOR_MAX_LENGTH = 22
const STATEMENT_DESCRIPTOR_FORBIDDEN = /[<>\\'"*]/

/** What can still be captured on an authorization, in minor units. */
export function capturableAmountOf(tx: Transaction): number {
  if (typeof tx.capturable_amount === "number") {
    return tx.capturable_amount
  }
  return Math.max(0, tx.amount - (tx.refunded_amount ?? 0))
}

/** What can still be refunded on a capture, in minor units. */
export function refundableAmountOf(tx: Transaction): number {
  if (typeof tx.refundable_amount === "number") {
    return tx.refundable_amount
  }
  return Math.max(0, tx.amount - (tx.refunded_amount ?? 0))
}

/**
 * Whether the authorization can be captured more than once (a non-final capture): not when the API says the payment
 * has no multicapture (Stripe without it: a partial capture is final and releases the rest); unknown counts as yes,
 * and the API refuses a non-final capture it cannot make, before anything is captured.
 */
export function allowsNonFinalCapture(tx: Pick<Transaction, "multicapture">): boolean {
  return tx.multicapture !== false
}

/** The capture types the form offers for this authorization. */
export function captureTypeOptions(tx: Pick<Transaction, "multicapture">): CaptureType[] {
  return allowsNonFinalCapture(tx) ? ["final", "non-final"] : ["final"]
}

/**
 * A final capture when it takes all that is left, or when the payment cannot be captured again (no multicapture);
 * a non-final one (more captures may follow) otherwise.
 */
export function defaultCaptureType(
  amountMinor: number | null,
  capturableAmount: number,
  multicapture?: boolean | null
): CaptureType {
  const amount = amountMinor ?? capturableAmount
  if (multicapture === false) {
    return "final"
  }
  return isCaptureFinal({ amount, left_to_capture: capturableAmount }) ? "final" : "non-final"
}

/**
 * What the form says when a capture takes less than is left and closes the authorization (final, or no
 * multicapture): the rest is released to the customer. Null when nothing would be released (or the amount is not a
 * valid one yet).
 */
export function releaseNotice(input: {
  amountMinor: number | null
  capturableAmount: number
  captureType: CaptureType
  currency: string
  multicapture?: boolean | null
}): string | null {
  const { amountMinor, capturableAmount, currency } = input
  if (amountMinor === null || amountMinor <= 0 || amountMinor >= capturableAmount) {
    return null
  }
  const closes = input.captureType === "final" || input.multicapture === false
  if (!closes) {
    return null
  }
  const rest = formatMinorAmount(capturableAmount - amountMinor, currency)
  return input.multicapture === false
    ? `This payment can be captured only once (no multicapture), so the rest, ${rest}, will be released to the customer and cannot be captured later.`
    : `This capture is final: the rest, ${rest}, will be released to the customer and cannot be captured later.`
}

export function initialCaptureFormValues(tx: Transaction): CaptureFormValues {
  return {
    amount: minorToMajorString(capturableAmountOf(tx), tx.currency),
    customReference: tx.custom_reference ?? "",
    statementDescriptor: "",
    captureType: "final",
    lineItemIds: [],
  }
}

/** `undefined`: leave the reference as it is (omit the field); "": clear it; anything else: set it. */
export function customReferenceToSend(value: string, original: string | null): string | undefined {
  const next = value.trim()
  const previous = (original ?? "").trim()
  if (next === previous) {
    return undefined
  }
  return next
}

export function validateStatementDescriptor(value: string): string | undefined {
  const descriptor = value.trim()
  if (!descriptor) {
    return undefined
  }
  if (descriptor.length > STATEMENT_DESCRIPTOR_MAX_LENGTH) {
    return `At most ${STATEMENT_DESCRIPTOR_MAX_LENGTH} characters.`
  }
  if (STATEMENT_DESCRIPTOR_FORBIDDEN.test(descriptor)) {
    return "These characters are not allowed: < > \\ ' \" *"
  }
  if (!/[A-Za-z]/.test(descriptor)) {
    return "Include at least one letter."
  }
  return undefined
}

export function buildCaptureRequestBody(values: CaptureFormValues, context: CaptureFormContext): CaptureBodyResult {
  const errors: CaptureFormErrors = {}
  const amount = parseMajorAmount(values.amount, context.currency, { max: context.capturableAmount })
  if (!amount.ok) {
    errors.amount = amount.error
  }
  const descriptorError = validateStatementDescriptor(values.statementDescriptor)
  if (descriptorError) {
    errors.statementDescriptor = descriptorError
  }
  if (values.captureType === "non-final" && context.multicapture === false) {
    errors.captureType =
      "This payment can be captured only once (no multicapture): capture it as final, and the rest is released."
  }
  if (!amount.ok || Object.keys(errors).length) {
    return { ok: false, errors }
  }
  const ids = [...new Set(values.lineItemIds)]
  if (ids.length && context.selectedLinesTotal != null && amount.minor !== context.selectedLinesTotal) {
    return {
      ok: false,
      errors: {
        amount: `The selected order lines come to ${minorToMajorString(context.selectedLinesTotal, context.currency)}: capture that amount, or untick the lines to capture another.`,
      },
    }
  }
  const data: CaptureRequestData = ids.length
    ? { invoice_detail_ids: ids, capture_type: values.captureType }
    : { capture_amount: amount.minor, capture_type: values.captureType }
  const reference = customReferenceToSend(values.customReference, context.originalCustomReference)
  if (reference !== undefined) {
    data.custom_reference = reference
  }
  const descriptor = values.statementDescriptor.trim()
  if (descriptor) {
    data.capture_statement_descriptor = descriptor
  }
  return { ok: true, data }
}

/** The manual capture (money taken outside the gateway): Elastic Path's `capture_mechanism: "manual"`. */
export function manualCaptureRequestBody(): { data: CaptureRequestData } {
  return { data: { capture_mechanism: "manual" } }
}

export type RefundBodyResult = { ok: true; body: { data: { amount: number } } } | { ok: false; error: string }

/** The automatic refund of `amount` (major units, as typed), at most what is still refundable. */
export function buildRefundRequestBody(
  amount: string,
  context: { currency: string; refundableAmount: number }
): RefundBodyResult {
  const parsed = parseMajorAmount(amount, context.currency, { max: context.refundableAmount })
  return parsed.ok ? { ok: true, body: { data: { amount: parsed.minor } } } : { ok: false, error: parsed.error }
}

/** "Mark as refunded" (for manual captures): an empty body marks the rest of the capture as refunded. */
export function markAsRefundedRequestBody(): Record<string, never> {
  return {}
}

/** An order line as the capture form lists it, its total in minor units of the transaction's currency. */
export interface CaptureLineItem {
  id: string
  title: string
  quantity: number
  totalMinor: number | null
}

interface OrderLineLike {
  id: string
  title?: string | null
  product_title?: string | null
  variant_title?: string | null
  quantity?: number | string | null
  total?: unknown
}

function numericValue(value: unknown): number | string | null {
  if (typeof value === "number" || typeof value === "string") {
    return value
  }
  if (value && typeof value === "object") {
    const raw = (value as { value?: unknown }).value
    if (typeof raw === "number" || typeof raw === "string") {
      return raw
    }
  }
  return null
}

/** The order's lines (Medusa major-unit totals) for the capture form. */
export function toCaptureLineItems(items: ReadonlyArray<OrderLineLike> | null | undefined, currency: string) {
  return (items ?? []).map((item): CaptureLineItem => ({
    id: item.id,
    title: [item.product_title ?? item.title, item.variant_title].filter(Boolean).join(" · ") || item.title || item.id,
    quantity: Number(item.quantity ?? 0),
    totalMinor: majorValueToMinor(numericValue(item.total), currency),
  }))
}

/** Total of the selected lines in minor units (lines without a known total count as 0). */
export function selectedLineItemsTotal(items: ReadonlyArray<CaptureLineItem>, selectedIds: ReadonlyArray<string>) {
  const selected = new Set(selectedIds)
  return sumMinor(items.filter((i) => selected.has(i.id)).map((i) => i.totalMinor ?? 0))
}
