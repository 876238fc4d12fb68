/** `/v1/disputes` (retrieve, list, update, close) and the dispute life cycle the control API drives. */
import type { StripeFakeContext } from "./context"
import { invalidRequest, resourceMissing } from "./errors"
import type { ApiRoutes } from "./http"
import { EVIDENCE_FIELDS, balanceTransaction, buildDispute } from "./objects"
import { allowParams, bool, list, mergeMetadata, obj, ok } from "./params"
import type { DisputeObject, DisputeStatus, Json, RequestMeta } from "./state"
import { AUTOMATIC } from "./state"

export const DISPUTE_REASONS = [
  "bank_cannot_process",
  "check_returned",
  "credit_not_processed",
  "customer_initiated",
  "debit_not_authorized",
  "duplicate",
  "fraudulent",
  "general",
  "incorrect_account_details",
  "insufficient_funds",
  "noncompliant",
  "product_not_received",
  "product_unacceptable",
  "subscription_canceled",
  "unrecognized",
] as const
export const DISPUTE_STATUSES: DisputeStatus[] = [
  "warning_needs_response",
  "warning_under_review",
  "warning_closed",
  "needs_response",
  "under_review",
  "won",
  "lost",
]
const CLOSED: DisputeStatus[] = ["won", "lost", "warning_closed"]

export function findDispute(f: StripeFakeContext, id: string): DisputeObject {
  const dispute = f.state.disputes.get(id)
  if (!dispute) {
    throw resourceMissing("dispute", id)
  }
  return dispute
}

/** The buyer's bank opens a chargeback on the latest charge of an intent. */
export function openDispute(
  f: StripeFakeContext,
  paymentIntentId: string,
  amount: number | undefined,
  reason: string,
  meta: RequestMeta = AUTOMATIC
): DisputeObject {
  const rec = f.state.intents.get(paymentIntentId)
  if (!rec) {
    throw invalidRequest(`No PaymentIntent ${paymentIntentId} exists in the sandbox.`)
  }
  const charge = rec.pi.latest_charge ? f.state.charges.get(rec.pi.latest_charge) : undefined
  if (!charge || !charge.captured) {
    throw invalidRequest(`PaymentIntent ${paymentIntentId} has no captured charge that could be disputed.`)
  }
  if ([...f.state.disputes.values()].some((d) => d.charge === charge.id)) {
    throw invalidRequest(`Charge ${charge.id} is already disputed; a charge can only be disputed once.`)
  }
  if (!(DISPUTE_REASONS as readonly string[]).includes(reason)) {
    throw invalidRequest(`Unknown dispute reason "${reason}": use one of ${DISPUTE_REASONS.join(", ")}.`)
  }
  const disputed = amount ?? charge.amount_captured - charge.amount_refunded
  if (!Number.isInteger(disputed) || disputed < 1 || disputed > charge.amount_captured) {
    throw invalidRequest(
      `A dispute amount must be a whole number from 1 to ${charge.amount_captured} (what was captured).`
    )
  }
  const now = f.ctx.clock.unix()
  const details = charge.payment_method_details
  if (details.type !== "card") {
    // Stripe ("iDEAL payments"): iDEAL payments cannot be disputed by the buyer; no chargeback exists for them.
    throw invalidRequest(`A ${details.type} payment cannot be disputed: only card payments have chargebacks.`)
  }
  const dispute = buildDispute(charge, disputed, reason, now, details.card)
  dispute.balance_transactions.push(
    balanceTransaction(-disputed, charge.currency, now, `Chargeback withdrawal for ${charge.id}`)
  )
  f.state.disputes.set(dispute.id, dispute)
  charge.disputed = true
  f.events.emit("charge.dispute.created", dispute, meta)
  f.events.emit("charge.dispute.funds_withdrawn", dispute, meta)
  return dispute
}

/** Moves an open dispute to another open status (e.g. `under_review`). */
export function setDisputeStatus(
  f: StripeFakeContext,
  dispute: DisputeObject,
  status: DisputeStatus,
  meta = AUTOMATIC
) {
  if (CLOSED.includes(dispute.status)) {
    throw invalidRequest(`Dispute ${dispute.id} is already closed (${dispute.status}).`)
  }
  const previous = dispute.status
  dispute.status = status
  f.events.emit("charge.dispute.updated", dispute, meta, { status: previous })
  return dispute
}

/** The card network decides: won reinstates the funds, lost keeps them withdrawn. */
export function closeDispute(
  f: StripeFakeContext,
  dispute: DisputeObject,
  outcome: "won" | "lost",
  meta: RequestMeta = AUTOMATIC
): DisputeObject {
  if (CLOSED.includes(dispute.status)) {
    throw invalidRequest(`This dispute is already closed (${dispute.status}).`, { code: "dispute_already_closed" })
  }
  const previous = dispute.status
  dispute.status = outcome
  const now = f.ctx.clock.unix()
  if (outcome === "won") {
    dispute.balance_transactions.push(
      balanceTransaction(dispute.amount, dispute.currency, now, `Chargeback reversal for ${dispute.charge}`)
    )
  }
  f.events.emit("charge.dispute.closed", dispute, meta, { status: previous })
  if (outcome === "won") {
    f.events.emit("charge.dispute.funds_reinstated", dispute, meta)
  }
  return dispute
}

export function registerDisputeRoutes(f: StripeFakeContext, api: ApiRoutes): void {
  api.get("/disputes", (req, meta) => {
    const pi = req.query.get("payment_intent")
    const charge = req.query.get("charge")
    const items = [...f.state.disputes.values()]
      .filter((d) => (!pi || d.payment_intent === pi) && (!charge || d.charge === charge))
      .reverse()
    return ok(list(req, items, "/v1/disputes"), meta)
  })

  api.get("/disputes/:id", (req, meta) => ok(findDispute(f, req.params.id), meta))

  api.post("/disputes/:id", (req, meta) => {
    const dispute = findDispute(f, req.params.id)
    const body = req.body
    allowParams(body, ["evidence", "metadata", "submit", "intended_submission_method"])
    if (CLOSED.includes(dispute.status)) {
      throw invalidRequest(`This dispute is already closed (${dispute.status}); it can no longer be updated.`, {
        code: "dispute_already_closed",
      })
    }
    const previous: Json = {}
    const evidence = obj(body, "evidence")
    if (evidence) {
      for (const key of Object.keys(evidence)) {
        if (!(EVIDENCE_FIELDS as readonly string[]).includes(key) && key !== "enhanced_evidence") {
          throw invalidRequest(`Received unknown parameter: evidence[${key}]`, { param: `evidence[${key}]` })
        }
      }
      previous.evidence = { ...dispute.evidence }
      dispute.evidence = { ...dispute.evidence, ...evidence }
      dispute.evidence_details.has_evidence = true
    }
    if ("metadata" in body) {
      previous.metadata = dispute.metadata
      dispute.metadata = mergeMetadata(dispute.metadata, body)
    }
    if (bool(body, "submit") ?? true) {
      if (evidence || bool(body, "submit")) {
        previous.status = dispute.status
        dispute.status = dispute.status.startsWith("warning_") ? "warning_under_review" : "under_review"
        dispute.evidence_details.submission_count += 1
        dispute.is_charge_refundable = false
      }
    }
    f.events.emit("charge.dispute.updated", dispute, meta, previous)
    return ok(dispute, meta)
  })

  api.post("/disputes/:id/close", (req, meta) => {
    const dispute = findDispute(f, req.params.id)
    closeDispute(f, dispute, "lost", meta)
    return ok(dispute, meta)
  })
}
