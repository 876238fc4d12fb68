/**
 * The PaymentIntent state machine, shared by the API routes and the control routes: confirm (with test-card declines
 * and 3-D Secure), authorize, capture (incl. multicapture), cancel and authorization expiry. Behaves as API version
 * 2026-10-28: partial captures and cancellations create no Refund objects; expiry sets `cancellation_reason: "expired"`.
 */
import { randomId } from "../core/ids"
import type { StripeFakeContext } from "./context"
import { checkAmount } from "./currency"
import { invalidRequest, stripeErrorResponse } from "./errors"
import { buildCharge, descriptor } from "./objects"
import { clone } from "./params"
import {
  attachPaymentMethod,
  captureMethodFor,
  REDIRECT_CURRENCIES,
  resolvePayingMethod,
  resolvePaymentMethod,
  type PayingMethod,
  type ResolvedPaymentMethod,
} from "./payment-methods"
import type {
  ChargeObject,
  IntentRecord,
  Json,
  Metadata,
  PaymentIntentObject,
  PaymentIntentStatus,
  PaymentMethodObject,
  RequestMeta,
} from "./state"
import { AUTOMATIC } from "./state"
import { SandboxHttpError } from "../core/psp-fake"

/** Online card authorizations last 7 days. */
export const AUTHORIZATION_SECONDS = 7 * 86400

const CANCELABLE: PaymentIntentStatus[] = [
  "requires_payment_method",
  "requires_capture",
  "requires_confirmation",
  "requires_action",
  "processing",
]
const CONFIRMABLE: PaymentIntentStatus[] = ["requires_payment_method", "requires_confirmation", "requires_action"]

export function unexpectedState(rec: IntentRecord, message: string): SandboxHttpError {
  return invalidRequest(message, { code: "payment_intent_unexpected_state", payment_intent: clone(rec.pi) })
}

export function chargeOf(f: StripeFakeContext, rec: IntentRecord): ChargeObject | undefined {
  return rec.pi.latest_charge ? f.state.charges.get(rec.pi.latest_charge) : undefined
}

export interface ConfirmOptions {
  paymentMethod?: string
  offSession?: boolean
  returnUrl?: string
}

/**
 * Confirms an intent with its (or the given) PaymentMethod. Declines and off-session authentication failures change
 * the intent and then throw Stripe's 402 card error, as the real API answers.
 */
export function confirmIntent(
  f: StripeFakeContext,
  rec: IntentRecord,
  options: ConfirmOptions,
  meta: RequestMeta
): void {
  const pi = rec.pi
  if (!CONFIRMABLE.includes(pi.status)) {
    throw unexpectedState(
      rec,
      `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one ` +
        `of the following statuses may be confirmed: ${CONFIRMABLE.join(", ")}.`
    )
  }
  const pmId = options.paymentMethod ?? pi.payment_method
  if (!pmId) {
    throw unexpectedState(
      rec,
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the " +
        "PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method."
    )
  }
  const resolved = resolvePayingMethod(f, pmId)
  if (!pi.payment_method_types.includes(resolved.pm.type)) {
    throw invalidRequest(
      `The PaymentMethod provided (${resolved.pm.type}) is not allowed for this PaymentIntent. Please attach a ` +
        `PaymentMethod of one of the following types: ${pi.payment_method_types.join(", ")}. Alternatively update the ` +
        `allowed payment_method_types for this PaymentIntent to include "${resolved.pm.type}".`,
      { code: "payment_intent_incompatible_payment_method", param: "payment_method" }
    )
  }
  if (resolved.card === null) {
    checkRedirectConfirm(rec, resolved.pm, options)
  }
  if (pi.customer && resolved.pm.customer && resolved.pm.customer !== pi.customer) {
    throw invalidRequest(
      `The provided PaymentMethod ${resolved.pm.id} belongs to another Customer than ${pi.customer}.`,
      { param: "payment_method" }
    )
  }
  if (options.offSession !== undefined) {
    rec.offSession = options.offSession
  }
  if (options.returnUrl !== undefined) {
    rec.returnUrl = options.returnUrl
  }
  pi.payment_method = resolved.pm.id
  pi.last_payment_error = null
  pi.next_action = null
  const card = resolved.card
  if (card === null) {
    return requireRedirect(f, rec, meta)
  }
  switch (card.behaviour) {
    case "decline":
      return decline(
        f,
        rec,
        resolved,
        card.code ?? "card_declined",
        card.declineCode ?? "generic_decline",
        card.message ?? "Your card was declined.",
        meta
      )
    case "3ds":
      if (rec.offSession) {
        return decline(
          f,
          rec,
          resolved,
          "authentication_required",
          "authentication_required",
          "Your card was declined. This transaction requires authentication.",
          meta
        )
      }
      return requireAction(f, rec, meta)
    case "3ds_setup":
      return rec.offSession ? authorize(f, rec, resolved, meta, false) : requireAction(f, rec, meta)
    case "success":
      return authorize(f, rec, resolved, meta, false)
  }
}

/**
 * What Stripe refuses before a redirect method (iDEAL) is confirmed: no `return_url` (on the confirm or the intent), a
 * currency the method does not take, an off-session payment (the buyer must be at their bank), saving it for later,
 * and manual capture (iDEAL is captured when the buyer pays). Nothing changes on a refusal.
 */
function checkRedirectConfirm(rec: IntentRecord, pm: PaymentMethodObject, options: ConfirmOptions): void {
  const pi = rec.pi
  const type = pm.type
  if (!(options.returnUrl ?? rec.returnUrl)) {
    throw invalidRequest(
      `A return_url must be specified to confirm this PaymentIntent with a payment method of type ${type}: the buyer ` +
        "is redirected to their bank to authorize the payment, then back to the return_url.",
      { code: "parameter_missing", param: "return_url" }
    )
  }
  const returnUrl = options.returnUrl ?? rec.returnUrl!
  if (!/^https?:\/\/[^\s]+$/i.test(returnUrl) || !URL.canParse(returnUrl)) {
    throw invalidRequest("Not a valid URL", { code: "url_invalid", param: "return_url" })
  }
  const currencies = REDIRECT_CURRENCIES[type] ?? []
  if (!currencies.includes(pi.currency)) {
    throw invalidRequest(
      `The currency provided (${pi.currency}) is invalid. Payments with ${type} support the following currencies: ` +
        `${currencies.join(", ")}.`,
      { code: "payment_intent_invalid_currency", param: "currency" }
    )
  }
  if (options.offSession ?? rec.offSession) {
    throw invalidRequest(
      `A payment method of type ${type} cannot be used off_session: the buyer must authorize it at their bank.`,
      { param: "off_session" }
    )
  }
  if (pi.setup_future_usage) {
    throw invalidRequest(
      `setup_future_usage is not supported by the sandbox for ${type}: Stripe would save a SEPA Direct Debit method ` +
        "in its place. Pay without saving the method.",
      { param: "setup_future_usage" }
    )
  }
  if (captureMethodFor(pi, type) === "manual") {
    throw invalidRequest(
      `The payment method type ${type} cannot be used with capture_method manual: it is captured when the buyer ` +
        "pays. Use capture_method automatic, and payment_method_options[<type>][capture_method] manual for the types " +
        "that support it.",
      { param: "capture_method" }
    )
  }
}

/**
 * A redirect method (iDEAL): the intent waits in `requires_action` with `next_action.redirect_to_url`, the sandbox's
 * bank page where the buyer authorizes or fails the payment, and the `return_url` the bank sends the buyer back to.
 */
function requireRedirect(f: StripeFakeContext, rec: IntentRecord, meta: RequestMeta): void {
  const pi = rec.pi
  pi.status = "requires_action"
  pi.next_action = {
    type: "redirect_to_url",
    redirect_to_url: {
      url: `${f.ctx.baseUrl()}/_sandbox/stripe/payment_intents/${pi.id}/redirect`,
      return_url: rec.returnUrl,
    },
  }
  f.events.emit("payment_intent.requires_action", pi, meta)
}

/**
 * The buyer authorized (or failed) a redirect payment at their bank: `succeeded` (iDEAL is captured at once, with a
 * charge whose `payment_method_details.type` is `ideal`) or back to `requires_payment_method` with
 * `last_payment_error`. Answers the URL the bank sends the browser to: the `return_url` with `payment_intent`,
 * `payment_intent_client_secret` and `redirect_status` (Stripe docs, "Accept an iDEAL payment": handle the redirect).
 */
export function completeRedirect(
  f: StripeFakeContext,
  rec: IntentRecord,
  result: "succeeded" | "failed",
  meta: RequestMeta
): string {
  const pi = rec.pi
  const action = pi.next_action as { type?: string } | null
  if (pi.status !== "requires_action" || action?.type !== "redirect_to_url" || !pi.payment_method || !rec.returnUrl) {
    throw invalidRequest(
      `PaymentIntent ${pi.id} is ${pi.status} and waits for no redirect; a redirect payment can only be completed ` +
        "while it is requires_action with next_action redirect_to_url."
    )
  }
  const resolved = resolvePayingMethod(f, pi.payment_method)
  const returnUrl = new URL(rec.returnUrl)
  returnUrl.searchParams.set("payment_intent", pi.id)
  returnUrl.searchParams.set("payment_intent_client_secret", pi.client_secret)
  returnUrl.searchParams.set("redirect_status", result)
  pi.next_action = null
  if (result === "succeeded") {
    authorize(f, rec, resolved, meta, false)
    return returnUrl.toString()
  }
  failAuthentication(f, rec, resolved, meta)
  return returnUrl.toString()
}

/** The buyer failed 3-D Secure or the bank's redirect page: Stripe's `payment_intent_authentication_failure`. */
function failAuthentication(
  f: StripeFakeContext,
  rec: IntentRecord,
  resolved: { pm: PaymentMethodObject },
  meta: RequestMeta
): void {
  const pi = rec.pi
  pi.status = "requires_payment_method"
  pi.payment_method = null
  pi.last_payment_error = {
    type: "invalid_request_error",
    code: "payment_intent_authentication_failure",
    doc_url: "https://stripe.com/docs/error-codes/payment-intent-authentication-failure",
    message:
      "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new " +
      "PaymentMethod to attempt to fulfill this PaymentIntent again.",
    payment_method: clone(resolved.pm),
  }
  f.events.emit("payment_intent.payment_failed", pi, meta)
}

function requireAction(f: StripeFakeContext, rec: IntentRecord, meta: RequestMeta): void {
  const pi = rec.pi
  pi.status = "requires_action"
  pi.next_action = {
    type: "use_stripe_sdk",
    use_stripe_sdk: {
      type: "three_d_secure_redirect",
      source: randomId("src"),
      stripe_js: `${f.ctx.baseUrl()}/_sandbox/stripe/payment_intents/${pi.id}/three_d_secure`,
      directory_server_name: "visa",
    },
  }
  f.events.emit("payment_intent.requires_action", pi, meta)
}

/** The buyer finished (or failed) the 3-D Secure challenge of an intent in `requires_action`. */
export function completeThreeDSecure(f: StripeFakeContext, rec: IntentRecord, pass: boolean, meta: RequestMeta): void {
  const pi = rec.pi
  if (pi.status !== "requires_action" || !pi.payment_method) {
    throw invalidRequest(`PaymentIntent ${pi.id} is ${pi.status}; 3-D Secure can only be completed in requires_action.`)
  }
  const resolved = resolvePaymentMethod(f, pi.payment_method)
  pi.next_action = null
  if (pass) {
    authorize(f, rec, resolved, meta, true)
    return
  }
  failAuthentication(f, rec, resolved, meta)
}

function decline(
  f: StripeFakeContext,
  rec: IntentRecord,
  resolved: ResolvedPaymentMethod,
  code: string,
  declineCode: string,
  message: string,
  meta: RequestMeta
): never {
  const pi = rec.pi
  const now = f.ctx.clock.unix()
  const charge = buildCharge(pi, resolved.pm, now)
  charge.status = "failed"
  charge.paid = false
  charge.failure_code = code
  charge.failure_message = message
  charge.outcome = {
    advice_code: "try_again_later",
    network_advice_code: null,
    network_decline_code: null,
    network_status: "declined_by_network",
    reason: declineCode,
    risk_level: "normal",
    risk_score: 40,
    seller_message: "The bank did not return any further details with this decline.",
    type: "issuer_declined",
  }
  f.state.charges.set(charge.id, charge)
  pi.latest_charge = charge.id
  pi.status = "requires_payment_method"
  pi.payment_method = null
  const error: Json = {
    type: "card_error",
    code,
    decline_code: declineCode,
    message,
    charge: charge.id,
    doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}`,
    payment_method: clone(resolved.pm),
  }
  pi.last_payment_error = error
  f.events.emit("charge.failed", charge, meta)
  f.events.emit("payment_intent.payment_failed", pi, meta)
  const { type: _type, message: _message, ...rest } = error
  throw new SandboxHttpError(
    stripeErrorResponse(
      402,
      { type: "card_error", message, ...rest, payment_intent: clone(pi) },
      meta.requestId ?? undefined
    )
  )
}

function authorize(
  f: StripeFakeContext,
  rec: IntentRecord,
  resolved: PayingMethod,
  meta: RequestMeta,
  threeDSecure: boolean
): void {
  const pi = rec.pi
  const now = f.ctx.clock.unix()
  const charge = buildCharge(pi, resolved.pm, now)
  const card = charge.payment_method_details.card ?? {}
  if (resolved.card && (threeDSecure || resolved.card.behaviour !== "success")) {
    card.three_d_secure = threeDSecure
      ? { authentication_flow: "challenge", result: "authenticated", result_reason: null, version: "2.2.0" }
      : null
  }
  f.state.charges.set(charge.id, charge)
  pi.latest_charge = charge.id
  pi.last_payment_error = null
  pi.next_action = null
  if (captureMethodFor(pi, resolved.pm.type) === "manual") {
    rec.captureBefore = now + AUTHORIZATION_SECONDS
    card.capture_before = rec.captureBefore
    card.multicapture = { status: multicaptureGranted(pi, resolved) ? "available" : "unavailable" }
    pi.status = "requires_capture"
    pi.amount_capturable = pi.amount
    f.events.emit("charge.succeeded", charge, meta)
    f.events.emit("payment_intent.amount_capturable_updated", pi, meta)
  } else {
    charge.captured = true
    charge.amount_captured = pi.amount
    charge.balance_transaction = randomId("txn")
    pi.status = "succeeded"
    pi.amount_received = pi.amount
    f.events.emit("charge.succeeded", charge, meta)
    f.events.emit("payment_intent.succeeded", pi, meta)
  }
  if (pi.setup_future_usage && pi.customer && !resolved.pm.customer && resolved.card) {
    attachPaymentMethod(f, resolved, pi.customer, meta)
  }
}

export interface CaptureParams {
  amountToCapture?: number
  finalCapture?: boolean
  statementDescriptor?: string
  statementDescriptorSuffix?: string
  metadata?: Metadata
}

export function captureIntent(f: StripeFakeContext, rec: IntentRecord, params: CaptureParams, meta: RequestMeta): void {
  const pi = rec.pi
  if (pi.status !== "requires_capture") {
    throw unexpectedState(
      rec,
      `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with ` +
        "one of the following statuses may be captured: requires_capture."
    )
  }
  const charge = chargeOf(f, rec)
  if (!charge) {
    throw unexpectedState(rec, "This PaymentIntent has no authorized charge to capture.")
  }
  const amount = params.amountToCapture ?? pi.amount_capturable
  checkAmount(amount, pi.currency, "amount_to_capture")
  if (amount > pi.amount_capturable) {
    throw invalidRequest(
      `The amount_to_capture (${amount}) is greater than the amount_capturable (${pi.amount_capturable}) of this ` +
        "PaymentIntent.",
      { code: "amount_too_large", param: "amount_to_capture" }
    )
  }
  const final = params.finalCapture ?? true
  const multicapture = (charge.payment_method_details.card as { multicapture?: { status?: string } } | undefined)
    ?.multicapture
  if (!final && multicapture?.status !== "available") {
    // Stripe: final_capture=false needs multicapture, which most accounts and cards do not have. Nothing is captured.
    throw invalidRequest(
      "final_capture cannot be false on this PaymentIntent: multicapture is not available for it " +
        "(latest_charge.payment_method_details.card.multicapture.status is not available). Capture it once, as final.",
      { param: "final_capture" }
    )
  }
  if (params.statementDescriptor !== undefined) {
    pi.statement_descriptor = params.statementDescriptor
    charge.statement_descriptor = params.statementDescriptor
  }
  if (params.statementDescriptorSuffix !== undefined) {
    pi.statement_descriptor_suffix = params.statementDescriptorSuffix
    charge.statement_descriptor_suffix = params.statementDescriptorSuffix
  }
  charge.calculated_statement_descriptor = descriptor(pi.statement_descriptor, pi.statement_descriptor_suffix)
  if (params.metadata) {
    pi.metadata = params.metadata
  }
  rec.captures.push({
    amount,
    final,
    statement_descriptor_suffix: pi.statement_descriptor_suffix,
    metadata: { ...pi.metadata },
    captured_at: f.ctx.clock.unix(),
    request_id: meta.requestId,
    idempotency_key: meta.idempotencyKey,
  })
  charge.captured = true
  charge.amount_captured += amount
  charge.balance_transaction ??= randomId("txn")
  pi.amount_received += amount
  pi.amount_capturable -= amount
  if (final || pi.amount_capturable === 0) {
    pi.amount_capturable = 0
    pi.status = "succeeded"
    f.events.emit("charge.captured", charge, meta)
    f.events.emit("payment_intent.succeeded", pi, meta)
  } else {
    f.events.emit("charge.captured", charge, meta)
    f.events.emit("payment_intent.amount_capturable_updated", pi, meta)
  }
}

export const CANCELLATION_REASONS = ["duplicate", "fraudulent", "requested_by_customer", "abandoned"] as const

export function cancelIntent(f: StripeFakeContext, rec: IntentRecord, reason: string | null, meta: RequestMeta): void {
  const pi = rec.pi
  if (!CANCELABLE.includes(pi.status)) {
    throw unexpectedState(
      rec,
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of ` +
        `the following statuses may be canceled: ${CANCELABLE.join(", ")}.`
    )
  }
  release(f, rec, reason, meta)
}

/** Stripe lets an authorization lapse: the remaining funds are released and the intent is canceled (`expired`). */
export function expireIntent(f: StripeFakeContext, rec: IntentRecord, meta: RequestMeta = AUTOMATIC): void {
  if (rec.pi.status !== "requires_capture") {
    throw invalidRequest(
      `Only an authorized PaymentIntent (status requires_capture) can expire; ${rec.pi.id} is ${rec.pi.status}.`
    )
  }
  const charge = chargeOf(f, rec)
  if (charge && !charge.captured) {
    f.events.emit("charge.expired", charge, meta)
  }
  release(f, rec, "expired", meta)
}

function release(f: StripeFakeContext, rec: IntentRecord, reason: string | null, meta: RequestMeta): void {
  const pi = rec.pi
  pi.amount_capturable = 0
  pi.next_action = null
  if (pi.amount_received > 0) {
    // A partially captured (multicapture) intent keeps what was captured: it ends as succeeded.
    pi.status = "succeeded"
    f.events.emit("payment_intent.succeeded", pi, meta)
    return
  }
  pi.status = "canceled"
  pi.canceled_at = f.ctx.clock.unix()
  pi.cancellation_reason = reason
  f.events.emit("payment_intent.canceled", pi, meta)
}

/** Lets authorizations lapse once the sandbox clock passes their `capture_before`. */
export function expireLapsedAuthorizations(f: StripeFakeContext): void {
  const now = f.ctx.clock.unix()
  for (const rec of f.state.intents.values()) {
    if (rec.pi.status === "requires_capture" && rec.captureBefore !== null && now >= rec.captureBefore) {
      expireIntent(f, rec)
    }
  }
}

/**
 * Whether Stripe grants multicapture to this authorization: the intent asked for it
 * (`payment_method_options[card][request_multicapture]=if_available`) and the account and card have it, which in the
 * sandbox is only the multicapture test card (`pm_card_visa_multicapture`). Stripe: "Capture a payment multiple times".
 */
function multicaptureGranted(pi: PaymentIntentObject, resolved: PayingMethod): boolean {
  const options = (pi.payment_method_options as { card?: { request_multicapture?: unknown } } | undefined)?.card
  return options?.request_multicapture === "if_available" && resolved.card?.multicapture === true
}
