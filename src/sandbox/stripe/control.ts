/** Control routes (`/_sandbox/stripe/...`): what buyers, banks and the dashboard do, for tests and the demo. */
import { redirectPage, threeDSecurePage } from "../browser/stripe-routes"
import { header, Router, type SandboxResponse } from "../core/router"
import { SandboxHttpError } from "../core/psp-fake"
import { completeSetupThreeDSecure, findSetupIntent } from "./api-setup-intents"
import {
  closeDispute,
  DISPUTE_REASONS,
  DISPUTE_STATUSES,
  findDispute,
  openDispute,
  setDisputeStatus,
} from "./api-disputes"
import { createRefund, failRefund, REFUND_FAILURE_REASONS, REFUND_REASONS } from "./api-refunds"
import type { StripeFakeContext } from "./context"
import { clone } from "./params"
import {
  completeRedirect,
  completeThreeDSecure,
  confirmIntent,
  expireIntent,
  expireLapsedAuthorizations,
} from "./payments"
import { AUTOMATIC, type DisputeStatus, type IntentRecord } from "./state"

function bad(message: string): SandboxHttpError {
  return new SandboxHttpError({ status: 400, body: { error: { message } } })
}

function json(body: unknown, status = 200): SandboxResponse {
  return { status, body: clone(body) }
}

/** Stripe-shaped errors from the shared logic become control errors carrying Stripe's message. */
function run<T>(action: () => T): T {
  try {
    return action()
  } catch (e) {
    if (e instanceof SandboxHttpError) {
      const body = e.response.body as { error?: { message?: string; code?: string } } | undefined
      const message = body?.error?.message ?? "The sandbox refused this action."
      throw new SandboxHttpError({ status: 400, body: { error: { message, code: body?.error?.code ?? null } } })
    }
    throw e
  }
}

export function createControlRouter(f: StripeFakeContext): Router {
  const c = new Router()
  const intent = (id: string): IntentRecord => {
    expireLapsedAuthorizations(f)
    const rec = f.state.intents.get(id)
    if (!rec) {
      throw bad(`No PaymentIntent ${id} exists in the sandbox.`)
    }
    return rec
  }
  const optionalString = (value: unknown, name: string): string | undefined => {
    if (value === undefined || value === null) return undefined
    if (typeof value !== "string" || !value) throw bad(`\`${name}\` must be a non-empty string.`)
    return value
  }
  const optionalAmount = (value: unknown): number | undefined => {
    if (value === undefined || value === null) return undefined
    const n = Number(value)
    if (!Number.isInteger(n) || n < 1)
      throw bad("`amount` must be a positive whole number in the smallest currency unit.")
    return n
  }

  // The buyer confirms in the browser (Stripe.js). Declines answer 200 with the intent back in
  // requires_payment_method and its last_payment_error, as Stripe.js resolves `{ error }` rather than throwing.
  c.post("/payment_intents/:id/confirm", (req) => {
    const rec = intent(req.params.id)
    const paymentMethod = optionalString(req.body.payment_method, "payment_method") ?? "pm_card_visa"
    try {
      confirmIntent(f, rec, { paymentMethod, offSession: false }, AUTOMATIC)
    } catch (e) {
      if (!(e instanceof SandboxHttpError && e.response.status === 402)) {
        return run(() => {
          throw e
        })
      }
    }
    return json(rec.pi)
  })

  // The issuer's challenge page that the Stripe.js stand-in frames (next_action.use_stripe_sdk.stripe_js).
  c.get("/payment_intents/:id/three_d_secure", (req) => threeDSecurePage(f, req.params.id))

  c.post("/payment_intents/:id/three_d_secure", (req) => {
    const rec = intent(req.params.id)
    const result = req.body.result ?? "pass"
    if (result !== "pass" && result !== "fail") {
      throw bad('`result` must be "pass" or "fail".')
    }
    run(() => completeThreeDSecure(f, rec, result === "pass", AUTOMATIC))
    return json(rec.pi)
  })

  // The bank page of a redirect method (next_action.redirect_to_url.url). Its form answers with a 302 to the return_url,
  // as the bank sends the browser back; the control client (JSON) gets the intent and that URL instead.
  c.get("/payment_intents/:id/redirect", (req) => redirectPage(f, req.params.id))

  c.post("/payment_intents/:id/redirect", (req) => {
    const rec = intent(req.params.id)
    const result = req.body.result
    if (result !== "succeeded" && result !== "failed") {
      throw bad('`result` must be "succeeded" or "failed".')
    }
    const returnUrl = run(() => completeRedirect(f, rec, result, AUTOMATIC))
    if ((header(req, "content-type") ?? "").includes("application/x-www-form-urlencoded")) {
      return { status: 302, headers: { location: returnUrl } }
    }
    return json({ payment_intent: rec.pi, return_url: returnUrl })
  })

  c.post("/payment_intents/:id/expire", (req) => {
    const rec = intent(req.params.id)
    run(() => expireIntent(f, rec, AUTOMATIC))
    return json(rec.pi)
  })

  c.get("/payment_intents/:id", (req) => {
    const rec = intent(req.params.id)
    const charges = [...f.state.charges.values()].filter((ch) => ch.payment_intent === rec.pi.id)
    return json({
      payment_intent: rec.pi,
      captures: rec.captures,
      charges,
      refunds: [...f.state.refunds.values()].filter((r) => r.payment_intent === rec.pi.id),
      disputes: [...f.state.disputes.values()].filter((d) => d.payment_intent === rec.pi.id),
      off_session: rec.offSession,
      capture_before: rec.captureBefore,
    })
  })

  c.post("/setup_intents/:id/three_d_secure", (req) => {
    const si = run(() => findSetupIntent(f, req.params.id))
    const result = req.body.result ?? "pass"
    if (result !== "pass" && result !== "fail") {
      throw bad('`result` must be "pass" or "fail".')
    }
    run(() => completeSetupThreeDSecure(f, si, result === "pass", AUTOMATIC))
    return json(si)
  })

  c.post("/refunds", (req) => {
    const paymentIntent = optionalString(req.body.payment_intent, "payment_intent")
    if (!paymentIntent) {
      throw bad("Body needs `payment_intent`, the id of the PaymentIntent to refund.")
    }
    intent(paymentIntent)
    const reason = optionalString(req.body.reason, "reason")
    if (reason && !(REFUND_REASONS as readonly string[]).includes(reason)) {
      throw bad(`\`reason\` must be one of ${REFUND_REASONS.join(", ")}.`)
    }
    const refund = run(() =>
      createRefund(f, { paymentIntent, amount: optionalAmount(req.body.amount), reason: reason ?? null }, AUTOMATIC)
    )
    return json(refund)
  })

  c.post("/refunds/:id/fail", (req) => {
    const refund = f.state.refunds.get(req.params.id)
    if (!refund) {
      throw bad(`No refund ${req.params.id} exists in the sandbox.`)
    }
    const reason = optionalString(req.body.failure_reason, "failure_reason") ?? "unknown"
    if (!(REFUND_FAILURE_REASONS as readonly string[]).includes(reason)) {
      throw bad(`\`failure_reason\` must be one of ${REFUND_FAILURE_REASONS.join(", ")}.`)
    }
    return json(run(() => failRefund(f, refund, reason)))
  })

  c.post("/disputes", (req) => {
    const paymentIntent = optionalString(req.body.payment_intent, "payment_intent")
    if (!paymentIntent) {
      throw bad("Body needs `payment_intent`, the id of the PaymentIntent whose charge is disputed.")
    }
    const reason = optionalString(req.body.reason, "reason") ?? "fraudulent"
    if (!(DISPUTE_REASONS as readonly string[]).includes(reason)) {
      throw bad(`\`reason\` must be one of ${DISPUTE_REASONS.join(", ")}.`)
    }
    return json(
      run(() => openDispute(f, paymentIntent, optionalAmount(req.body.amount), reason)),
      201
    )
  })

  c.post("/disputes/:id", (req) => {
    const dispute = run(() => findDispute(f, req.params.id))
    const status = req.body.status as DisputeStatus
    if (!DISPUTE_STATUSES.includes(status)) {
      throw bad(`\`status\` must be one of ${DISPUTE_STATUSES.join(", ")}.`)
    }
    if (status === "won" || status === "lost") {
      return json(run(() => closeDispute(f, dispute, status)))
    }
    return json(run(() => setDisputeStatus(f, dispute, status)))
  })

  c.post("/disputes/:id/close", (req) => {
    const dispute = run(() => findDispute(f, req.params.id))
    const outcome = req.body.outcome
    if (outcome !== "won" && outcome !== "lost") {
      throw bad('`outcome` must be "won" or "lost".')
    }
    return json(run(() => closeDispute(f, dispute, outcome)))
  })

  c.get("/state", () => json(f.state.counts()))

  return c
}
