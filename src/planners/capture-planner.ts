import type { InstructionOptions } from "../modules/payment-orchestrator/instruction-store"
import type { CaptureRecord, PaymentRecord } from "../payment-record/schema"
import { inheritCustomReference, isCaptureFinal, leftToCapture } from "./rules"

/** Why a planner refuses: `not_allowed` (the payment's state forbids it) or `invalid` (the request cannot be carried). */
export interface Refusal {
  kind: "refuse"
  type: "not_allowed" | "invalid" | "unexpected_state"
  message: string
}

export interface CapturePlanInput {
  record: PaymentRecord
  /** Medusa's capture id (the PSP call's idempotency key). */
  medusa_capture_id: string | null
  /** Minor units: the workflow's instruction, or Medusa's capture row when Medusa started the capture itself. */
  amount: number | null
  /** The workflow's instruction; `{}` when Medusa started the capture itself. */
  options: InstructionOptions
  default_statement_descriptor: string | null
  /** `money(minor)`: the amount as the merchant reads it (`USD 25.00`). */
  money: (minor: number) => string
  gateway: string
  now: string
}

/** The capture to make at the PSP, and the record of it once the PSP answered (its `id`, `created_at` added then). */
export interface PspCapture {
  kind: "capture"
  amount: number
  final: boolean
  statement_descriptor: string | null
  custom_reference: string | null
  record: Omit<CaptureRecord, "id" | "created_at">
}

export type CapturePlan =
  | { kind: "already_recorded" }
  | Refusal
  | { kind: "record"; capture: CaptureRecord; custom_reference: string | null }
  | PspCapture

/**
 * Whether the PSP captures this authorization only once (Stripe without multicapture): the record says so from the
 * PSP's answer at authorization. Unknown (older records) keeps the earlier behaviour.
 */
export function singleCaptureOnly(record: Pick<PaymentRecord, "multicapture">): boolean {
  return record.multicapture === false
}

/** The captures the PSP knows of (a manual capture took its money outside the gateway). */
export function pspCapturedAmount(record: PaymentRecord): number {
  return record.captures.filter((c) => c.mechanism !== "manual").reduce((sum, c) => sum + c.amount, 0)
}

/**
 * Decides one capture: how much, final or not, the custom reference (Elastic Path's inheritance), the descriptor, and
 * whether the PSP is called at all (a manual capture only records money taken outside the gateway). Refuses, moving
 * nothing, a capture of more than is left or of an authorization a final capture already closed.
 */
export function planCapture(input: CapturePlanInput): CapturePlan {
  const { record, options } = input
  if (input.medusa_capture_id && record.captures.some((c) => c.medusa_capture_id === input.medusa_capture_id)) {
    return { kind: "already_recorded" }
  }
  const left = leftToCapture({ authorized: record.amount, captures: record.captures })
  if (input.amount === null) {
    return {
      kind: "refuse",
      type: "unexpected_state",
      message: `Could not read Medusa's capture ${input.medusa_capture_id ?? ""} to learn its amount, so nothing was captured at ${input.gateway}. Retry the capture.`,
    }
  }
  if (input.amount <= 0) {
    return { kind: "refuse", type: "invalid", message: "The amount to capture must be greater than zero." }
  }
  const single = singleCaptureOnly(record)
  if (input.amount > left) {
    return {
      kind: "refuse",
      type: "not_allowed",
      message:
        left === 0 && single && record.captures.length > 0
          ? `Cannot capture ${input.money(input.amount)}: this payment has no multicapture at ${input.gateway}, so its first capture was final and ${input.gateway} released the rest of the authorization. Nothing is left to capture; ask the customer to pay the difference with a new payment.`
          : left === 0
            ? `Cannot capture ${input.money(input.amount)}: nothing is left to capture on this authorization (it is fully captured, or a final capture closed it).`
            : `Cannot capture ${input.money(input.amount)}: only ${input.money(left)} of the authorization is left to capture.`,
    }
  }
  const manual = options.mechanism === "manual"
  if (single && !manual && options.final === false && input.amount < left) {
    return {
      kind: "refuse",
      type: "invalid",
      message: `A non-final capture needs multicapture, which ${input.gateway} does not offer for this payment (its card or account has none), so nothing was captured. Capture with capture_type final: the amount is captured and the rest of the authorization (${input.money(left - input.amount)}) is released.`,
    }
  }
  const customReference = inheritCustomReference(options.custom_reference, record.custom_reference, record.captures)
  const details: Omit<CaptureRecord, "id" | "created_at"> = {
    medusa_capture_id: input.medusa_capture_id,
    amount: input.amount,
    // Without multicapture the PSP captures once: a partial capture is final and releases the rest.
    final:
      (single && !manual) ||
      isCaptureFinal({ requested_final: options.final, amount: input.amount, left_to_capture: left }),
    mechanism: manual ? "manual" : "automatic",
    custom_reference: customReference,
    statement_descriptor: manual ? null : (options.statement_descriptor ?? input.default_statement_descriptor),
    invoice_detail_ids: options.invoice_detail_ids ?? null,
  }
  if (manual) {
    // Elastic Path's manual capture: the money was taken outside the gateway, so nothing is sent to the PSP.
    return {
      kind: "record",
      capture: { ...details, id: `manual_${input.medusa_capture_id ?? input.now}`, created_at: input.now },
      custom_reference: customReference,
    }
  }
  return {
    kind: "capture",
    amount: input.amount,
    final: details.final,
    statement_descriptor: details.statement_descriptor ?? null,
    custom_reference: customReference,
    record: details,
  }
}

export interface LostCaptureInput {
  record: PaymentRecord
  amount: number
  /** What the PSP holds now. */
  psp: { amount_captured: number; captures: { id: string; amount: number; status: string; created_at: string }[] }
  /**
   * Money of earlier attempts that Medusa still holds rows for but the record lacks (a process that died after the
   * PSP answered): Medusa already accounts for it, so it is not this capture's lost answer.
   */
  crash_leftovers: number
  money: (minor: number) => string
  gateway: string
}

export type LostCapturePlan =
  { kind: "none" } | Refusal | { kind: "recover"; psp_capture_id: string | null; created_at: string | null }

/**
 * An earlier capture attempt left its mark and was never recorded: its answer was lost (timeout, reset, 5xx after the
 * PSP acted), so Medusa deleted its row and retries with a new capture id, hence a new idempotency key. Money the PSP
 * captured beyond what Medusa knows of, of exactly this amount, is that lost answer: it is recorded instead of
 * captured again. Any other surplus is refused, capturing nothing, so money is never taken twice.
 */
export function planLostCapture(input: LostCaptureInput): LostCapturePlan {
  const known = pspCapturedAmount(input.record) + input.crash_leftovers
  const surplus = input.psp.amount_captured - known
  if (surplus <= 0) {
    return { kind: "none" }
  }
  if (surplus !== input.amount) {
    return {
      kind: "refuse",
      type: "not_allowed",
      message: `${input.gateway} has already captured ${input.money(surplus)} of this payment that Medusa has no record of, most likely an earlier capture whose answer was lost. Nothing was captured now: capture exactly ${input.money(surplus)} to record it, or check the payment at ${input.gateway} first.`,
    }
  }
  const recorded = new Set(input.record.captures.map((c) => c.id))
  const match = input.psp.captures.find(
    (c) => c.status !== "failed" && c.amount === input.amount && !recorded.has(c.id)
  )
  return { kind: "recover", psp_capture_id: match?.id ?? null, created_at: match?.created_at ?? null }
}
