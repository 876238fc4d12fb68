import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { webhookClaims } from "../../webhook-sync/steps/claim-webhook-event"
import type { ReconcileTarget } from "../reconcile-data"
import type { Repair } from "../reconcile-plan"

/**
 * Webhook claims of this payment whose processing never finished (still `processing` after their lease ran out: the
 * process died between the claim and its effect) are taken over: this pass re-read the payment's whole state at the
 * PSP and recorded what they were about, so they end `done` with the reconciliation as their outcome.
 */
export const takeOverStrandedClaimsStep = createStep(
  "take-over-stranded-claims",
  async (target: ReconcileTarget, { container }) => {
    const events = await webhookClaims(container).takeOverExpired(
      target.payment_id,
      `processing never finished (lease expired); taken over by the reconciliation of payment ${target.payment_id}, which re-read the PSP's state and recorded it`
    )
    return new StepResponse<Repair[]>(
      events.length
        ? [
            {
              code: "stranded_webhook_claims_taken_over",
              detail: `webhook event${events.length > 1 ? "s" : ""} ${events.join(", ")} had been claimed and never processed; this reconciliation recorded their effect.`,
            },
          ]
        : []
    )
  }
)
