/** Control routes (`/_sandbox/paypal/...`): what buyers, PayPal itself and time do outside the merchant's API calls. */
import { SandboxHttpError } from "../core/psp-fake"
import type { Router, SandboxResponse } from "../core/router"
import { approveOrder, findOrder } from "./api-orders"
import { findAuthorization, findCapture, forceExpire, refundCapture } from "./api-payments"
import { paypalSigningIdentity } from "./certificate"
import { certUrl } from "./api-notifications"
import { DAY_MS, type PayPalFakeContext } from "./context"
import type { PayPalErrorBody } from "./errors"
import { money, parseMoney } from "./money"
import type { CaptureRecord, DisputeRecord, DisputeStatus } from "./state"

export const DISPUTE_REASONS = [
  "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
  "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED",
  "UNAUTHORISED",
  "CREDIT_NOT_PROCESSED",
  "DUPLICATE_TRANSACTION",
  "INCORRECT_AMOUNT",
  "PAYMENT_BY_OTHER_MEANS",
  "CANCELED_RECURRING_BILLING",
  "PROBLEM_WITH_REMITTANCE",
  "OTHER",
] as const

const OPEN_STATUSES: DisputeStatus[] = [
  "OPEN",
  "WAITING_FOR_SELLER_RESPONSE",
  "WAITING_FOR_BUYER_RESPONSE",
  "UNDER_REVIEW",
]
export const SELLER_RESPONSE_DAYS = 10

/** Runs a control action; PayPal-shaped API errors become the control API's plain 400 sentences. */
function run(action: () => SandboxResponse | Promise<SandboxResponse>): Promise<SandboxResponse> {
  return Promise.resolve()
    .then(action)
    .catch((e: unknown) => {
      if (e instanceof SandboxHttpError) {
        const body = e.response.body as Partial<PayPalErrorBody> | undefined
        const detail = body?.details?.[0]
        const message = detail
          ? `${detail.issue}: ${detail.description}`
          : (body?.message ?? "PayPal refused the action.")
        return { status: e.response.status === 404 ? 404 : 400, body: { error: { message, paypal_error: body } } }
      }
      throw e
    })
}

/** `{amount}` as a decimal string in the capture's currency ("10.00") or a PayPal money object. */
function controlAmount(raw: unknown, capture: CaptureRecord): unknown {
  if (raw === undefined || raw === null) {
    return undefined
  }
  if (typeof raw === "string" || typeof raw === "number") {
    return { currency_code: capture.currency, value: String(raw) }
  }
  if (typeof raw === "object") {
    return raw
  }
  throw new Error('`amount` must be a decimal string such as "10.00" or {currency_code, value}.')
}

export function registerControlRoutes(control: Router, pp: PayPalFakeContext): void {
  const { state, render, events } = pp

  const captureView = (c: CaptureRecord) => ({
    ...render.capture(c),
    refunds: c.refundIds
      .map((id) => state.refunds.get(id))
      .filter((r) => !!r)
      .map((r) => render.refund(r!)),
    dispute_ids: c.disputeIds,
    // Not in PayPal's capture JSON, but what the merchant sent: tests check the descriptor reached PayPal.
    soft_descriptor: c.softDescriptor ?? null,
  })

  const findDispute = (id: string): DisputeRecord => {
    const d = state.disputes.get(id)
    if (!d) {
      throw new Error(`No PayPal dispute ${id} exists in the sandbox.`)
    }
    return d
  }

  control.post("/orders/:id/approve", (req) =>
    run(() => {
      const payer = req.body.payer
      if (payer !== undefined && (typeof payer !== "object" || payer === null || Array.isArray(payer))) {
        throw new Error("`payer` must be an object such as {email_address, payer_id, name: {given_name, surname}}.")
      }
      const order = approveOrder(pp, findOrder(pp, req.params.id), payer as Record<string, unknown> | undefined)
      return { status: 200, body: render.order(order) }
    })
  )

  control.post("/orders/:id/decline", (req) =>
    run(() => {
      const order = findOrder(pp, req.params.id)
      if (order.status !== "CREATED" && order.status !== "APPROVED") {
        throw new Error(
          `Order ${order.id} is ${order.status}; only a CREATED or APPROVED order can have its instrument declined.`
        )
      }
      order.declineInstrument = true
      if (order.status === "CREATED") {
        approveOrder(pp, order)
      }
      return { status: 200, body: render.order(order) }
    })
  )

  control.get("/orders/:id", (req) => run(() => ({ status: 200, body: render.order(findOrder(pp, req.params.id)) })))

  control.get("/authorizations/:id", (req) =>
    run(() => {
      const a = findAuthorization(pp, req.params.id)
      const captures = a.captureIds
        .map((id) => state.captures.get(id))
        .filter((c) => !!c)
        .map((c) => captureView(c!))
      return { status: 200, body: { ...render.authorization(a), captures } }
    })
  )

  control.post("/authorizations/:id/expire", (req) =>
    run(() => ({ status: 200, body: render.authorization(forceExpire(pp, findAuthorization(pp, req.params.id))) }))
  )

  control.get("/captures/:id", (req) => run(() => ({ status: 200, body: captureView(findCapture(pp, req.params.id)) })))

  control.post("/captures/:id/refund", (req) =>
    run(() => {
      const capture = findCapture(pp, req.params.id)
      const refund = refundCapture(pp, capture, {
        amount: controlAmount(req.body.amount, capture),
        source: "dashboard",
      })
      return { status: 200, body: render.refund(refund) }
    })
  )

  control.post("/captures/:id/reverse", (req) =>
    run(() => {
      const capture = findCapture(pp, req.params.id)
      const refund = refundCapture(pp, capture, {
        amount: controlAmount(req.body.amount, capture),
        source: "reversal",
        noteToPayer: "Payment reversed",
      })
      return { status: 200, body: render.refund(refund) }
    })
  )

  control.post("/disputes", (req) =>
    run(() => {
      const captureId = req.body.capture_id
      if (typeof captureId !== "string") {
        throw new Error("Body needs `capture_id`, the id of the capture the buyer disputes.")
      }
      const capture = findCapture(pp, captureId)
      const remaining = capture.amountMinor - capture.refundedMinor
      if (capture.status === "DECLINED" || remaining <= 0) {
        throw new Error(`Capture ${capture.id} is ${capture.status}; there is nothing left to dispute.`)
      }
      const reason = (req.body.reason as string | undefined) ?? "MERCHANDISE_OR_SERVICE_NOT_RECEIVED"
      if (!(DISPUTE_REASONS as readonly string[]).includes(reason)) {
        throw new Error(`\`reason\` must be one of ${DISPUTE_REASONS.join(", ")}.`)
      }
      const status = (req.body.status as DisputeStatus | undefined) ?? "WAITING_FOR_SELLER_RESPONSE"
      if (!OPEN_STATUSES.includes(status)) {
        throw new Error(`\`status\` of a new dispute must be one of ${OPEN_STATUSES.join(", ")}.`)
      }
      let amountMinor = remaining
      const amount = controlAmount(req.body.amount, capture)
      if (amount !== undefined) {
        const parsed = parseMoney(amount, "amount")
        if (parsed.currency !== capture.currency) {
          throw new Error(`\`amount\` must be in the capture's currency, ${capture.currency}.`)
        }
        amountMinor = parsed.minor
        if (!(amountMinor > 0 && amountMinor <= remaining)) {
          throw new Error("`amount` must be more than 0 and at most the capture's unrefunded amount.")
        }
      }
      const now = pp.now()
      const dispute: DisputeRecord = {
        id: `PP-D-${10000 + Math.floor(Math.random() * 90000)}`,
        captureId: capture.id,
        currency: capture.currency,
        amountMinor,
        reason,
        status,
        createTime: now,
        updateTime: now,
        sellerResponseDueTime: now + SELLER_RESPONSE_DAYS * DAY_MS,
      }
      state.disputes.set(dispute.id, dispute)
      capture.disputeIds.push(dispute.id)
      events.dispute("CREATED", dispute)
      return { status: 201, body: render.dispute(dispute) }
    })
  )

  control.get("/disputes/:id", (req) => run(() => ({ status: 200, body: render.dispute(findDispute(req.params.id)) })))

  control.post("/disputes/:id", (req) =>
    run(() => {
      const dispute = findDispute(req.params.id)
      const status = req.body.status as DisputeStatus
      if (!OPEN_STATUSES.includes(status)) {
        throw new Error(`Body needs \`status\`: one of ${OPEN_STATUSES.join(", ")} (use /resolve to resolve).`)
      }
      if (dispute.status === "RESOLVED") {
        throw new Error(`Dispute ${dispute.id} is already resolved.`)
      }
      dispute.status = status
      dispute.updateTime = pp.now()
      events.dispute("UPDATED", dispute)
      return { status: 200, body: render.dispute(dispute) }
    })
  )

  control.post("/disputes/:id/resolve", (req) =>
    run(() => {
      const dispute = findDispute(req.params.id)
      const outcome = req.body.outcome
      if (outcome !== "won" && outcome !== "lost") {
        throw new Error(
          'Body needs `outcome`: "won" (seller\'s favour) or "lost" (buyer\'s favour: the capture is reversed).'
        )
      }
      if (dispute.status === "RESOLVED") {
        throw new Error(`Dispute ${dispute.id} is already resolved.`)
      }
      dispute.status = "RESOLVED"
      dispute.outcome = outcome === "won" ? "RESOLVED_SELLER_FAVOUR" : "RESOLVED_BUYER_FAVOUR"
      if (outcome === "lost") {
        const capture = findCapture(pp, dispute.captureId)
        const remaining = capture.amountMinor - capture.refundedMinor
        if (remaining > 0) {
          const refund = refundCapture(pp, capture, {
            amount: money(Math.min(dispute.amountMinor, remaining), capture.currency),
            source: "dispute",
            noteToPayer: `Dispute ${dispute.id} resolved in the buyer's favour`,
          })
          dispute.refundId = refund.id
        }
      }
      dispute.updateTime = pp.now()
      events.dispute("RESOLVED", dispute)
      return { status: 200, body: render.dispute(dispute) }
    })
  )

  control.get("/state", () => ({
    status: 200,
    body: {
      orders: [...state.orders.values()].map((o) => render.order(o)),
      authorizations: [...state.authorizations.values()].map((a) => render.authorization(a)),
      captures: [...state.captures.values()].map((c) => render.capture(c)),
      refunds: [...state.refunds.values()].map((r) => ({ ...render.refund(r), source: r.source })),
      disputes: [...state.disputes.values()].map((d) => render.dispute(d)),
    },
  }))

  control.get("/certificates", async () => {
    const { cert, caCert } = await paypalSigningIdentity.certificates()
    return {
      status: 200,
      body: {
        cert_id: paypalSigningIdentity.certId(),
        cert_url: certUrl(pp),
        certificate: cert,
        ca_certificate: caCert,
        webhook_id: pp.sandbox.options.paypal.webhookId,
      },
    }
  })
}
