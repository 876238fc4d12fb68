/** `/v1/refunds`: create, retrieve, update, list; plus refunds "from the dashboard" and refunds that fail later. */
import type { StripeFakeContext } from "./context"
import { checkAmount, formatAmount } from "./currency"
import { invalidRequest, resourceMissing } from "./errors"
import type { ApiRoutes } from "./http"
import { buildRefund } from "./objects"
import { allowParams, int, list, mergeMetadata, ok, oneOf, str } from "./params"
import type { ChargeObject, Metadata, RefundObject, RequestMeta } from "./state"
import { AUTOMATIC } from "./state"

export const REFUND_REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const
export const REFUND_FAILURE_REASONS = [
  "charge_for_pending_refund_disputed",
  "declined",
  "expired_or_canceled_card",
  "insufficient_funds",
  "lost_or_stolen_card",
  "merchant_request",
  "unknown",
] as const
const OPEN_DISPUTE = ["warning_needs_response", "warning_under_review", "needs_response", "under_review"]

export interface RefundParams {
  paymentIntent?: string
  charge?: string
  amount?: number
  reason?: string | null
  metadata?: Metadata
}

/** The charge a refund is for, from `payment_intent` (its latest charge) or `charge`. */
function chargeFor(f: StripeFakeContext, params: RefundParams): ChargeObject {
  if (params.charge) {
    const charge = f.state.charges.get(params.charge)
    if (!charge) {
      throw invalidRequest(`No such charge: '${params.charge}'`, { code: "resource_missing", param: "charge" })
    }
    return charge
  }
  if (!params.paymentIntent) {
    throw invalidRequest("One of the following params should be provided for this request: payment_intent or charge.", {
      code: "parameter_missing",
    })
  }
  const rec = f.state.intents.get(params.paymentIntent)
  if (!rec) {
    throw invalidRequest(`No such payment_intent: '${params.paymentIntent}'`, {
      code: "resource_missing",
      param: "payment_intent",
    })
  }
  const charge = rec.pi.latest_charge ? f.state.charges.get(rec.pi.latest_charge) : undefined
  if (rec.pi.status === "requires_capture" && charge && !charge.captured) {
    throw invalidRequest(
      `This PaymentIntent (${rec.pi.id}) has a status of requires_capture and nothing was captured yet, so it ` +
        "cannot be refunded. Cancel the PaymentIntent to release the uncaptured funds instead.",
      { code: "charge_not_refundable", param: "payment_intent" }
    )
  }
  if (!charge || charge.status !== "succeeded") {
    throw invalidRequest(`This PaymentIntent (${rec.pi.id}) does not have a successful charge to refund.`, {
      code: "charge_not_refundable",
      param: "payment_intent",
    })
  }
  return charge
}

/** Succeeded and pending refunds count against what is left to refund. */
function refundedSoFar(f: StripeFakeContext, charge: ChargeObject): number {
  return [...f.state.refunds.values()]
    .filter((r) => r.charge === charge.id && (r.status === "succeeded" || r.status === "pending"))
    .reduce((sum, r) => sum + r.amount, 0)
}

export function createRefund(f: StripeFakeContext, params: RefundParams, meta: RequestMeta): RefundObject {
  const charge = chargeFor(f, params)
  if (!charge.captured || charge.amount_captured === 0) {
    throw invalidRequest(`Charge ${charge.id} has not been captured, so there is nothing to refund.`, {
      code: "charge_not_refundable",
    })
  }
  const openDispute = [...f.state.disputes.values()].find(
    (d) => d.charge === charge.id && OPEN_DISPUTE.includes(d.status)
  )
  if (openDispute) {
    throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, {
      code: "charge_disputed",
    })
  }
  const remaining = charge.amount_captured - refundedSoFar(f, charge)
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" })
  }
  const amount = params.amount ?? remaining
  checkAmount(amount, charge.currency)
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge ` +
        `(${formatAmount(remaining, charge.currency)})`,
      { code: "amount_too_large", param: "amount" }
    )
  }
  const refund = buildRefund(charge, amount, params.reason ?? null, params.metadata ?? {}, f.ctx.clock.unix())
  f.state.refunds.set(refund.id, refund)
  charge.refunds.data.unshift(refund)
  charge.refunds.total_count += 1
  syncRefunded(f, charge)
  f.events.emit("refund.created", refund, meta)
  f.events.emit("charge.refunded", charge, meta)
  return refund
}

function syncRefunded(f: StripeFakeContext, charge: ChargeObject): void {
  charge.amount_refunded = refundedSoFar(f, charge)
  charge.refunded = charge.amount_refunded > 0 && charge.amount_refunded >= charge.amount_captured
}

/** A refund the card network rejects after the fact: the money comes back to the merchant's balance. */
export function failRefund(f: StripeFakeContext, refund: RefundObject, reason: string, meta = AUTOMATIC): RefundObject {
  if (refund.status !== "succeeded" && refund.status !== "pending") {
    throw invalidRequest(`Refund ${refund.id} is ${refund.status}; only a succeeded or pending refund can fail.`)
  }
  const previousStatus = refund.status
  refund.status = "failed"
  refund.failure_reason = reason
  refund.failure_balance_transaction = `txn_${refund.id.slice(3)}`
  const charge = f.state.charges.get(refund.charge)
  if (charge) {
    syncRefunded(f, charge)
  }
  f.events.emit("refund.failed", refund, meta, { status: previousStatus })
  f.events.emit("refund.updated", refund, meta, { status: previousStatus })
  f.events.emit("charge.refund.updated", refund, meta, { status: previousStatus })
  return refund
}

export function findRefund(f: StripeFakeContext, id: string): RefundObject {
  const refund = f.state.refunds.get(id)
  if (!refund) {
    throw resourceMissing("refund", id)
  }
  return refund
}

export function registerRefundRoutes(f: StripeFakeContext, api: ApiRoutes): void {
  api.post("/refunds", (req, meta) => {
    const body = req.body
    allowParams(body, [
      "payment_intent",
      "charge",
      "amount",
      "reason",
      "metadata",
      "instructions_email",
      "origin",
      "refund_application_fee",
      "reverse_transfer",
    ])
    const refund = createRefund(
      f,
      {
        paymentIntent: str(body, "payment_intent"),
        charge: str(body, "charge"),
        amount: int(body, "amount"),
        reason: oneOf(body, "reason", REFUND_REASONS) ?? null,
        metadata: mergeMetadata({}, body),
      },
      meta
    )
    return ok(refund, meta)
  })

  api.get("/refunds", (req, meta) => {
    const pi = req.query.get("payment_intent")
    const charge = req.query.get("charge")
    const items = [...f.state.refunds.values()]
      .filter((r) => (!pi || r.payment_intent === pi) && (!charge || r.charge === charge))
      .reverse()
    return ok(list(req, items, "/v1/refunds"), meta)
  })

  api.get("/refunds/:id", (req, meta) => ok(findRefund(f, req.params.id), meta))

  api.post("/refunds/:id", (req, meta) => {
    const refund = findRefund(f, req.params.id)
    allowParams(req.body, ["metadata"])
    const previous = refund.metadata
    refund.metadata = mergeMetadata(refund.metadata, req.body)
    f.events.emit("refund.updated", refund, meta, { metadata: previous })
    return ok(refund, meta)
  })

  api.post("/refunds/:id/cancel", (req) => {
    const refund = findRefund(f, req.params.id)
    throw invalidRequest(
      `Refund ${refund.id} cannot be canceled: only refunds with status requires_action can be canceled.`,
      { code: "refund_unexpected_state" }
    )
  })
}
