/** `/v1/payment_intents`: create, retrieve, update, confirm, capture, cancel, list. */
import { header, type SandboxRequest } from "../core/router"
import { testTokenForNumber } from "./cards"
import { stripeError } from "./errors"
import type { StripeFakeContext } from "./context"
import { checkAmount } from "./currency"
import { invalidRequest, resourceMissing } from "./errors"
import type { ApiRoutes } from "./http"
import { buildPaymentIntent } from "./objects"
import {
  allowParams,
  bool,
  clone,
  expansions,
  int,
  list,
  mergeMetadata,
  obj,
  ok,
  oneOf,
  str,
  requireStr,
} from "./params"
import { createIdealPaymentMethod, REDIRECT_CURRENCIES, requireCustomer, resolvePayingMethod } from "./payment-methods"
import { CANCELLATION_REASONS, cancelIntent, captureIntent, confirmIntent, unexpectedState } from "./payments"
import type { IntentRecord, Json, PaymentIntentObject } from "./state"
import type { ParsedBody } from "../core/body"
import { SandboxHttpError } from "../core/psp-fake"
import { MANUAL_CAPTURE_TYPES } from "./payment-methods"

const CAPTURE_METHODS = ["automatic", "automatic_async", "manual"] as const
const SETUP_FUTURE_USAGE = ["off_session", "on_session"] as const
const CREATE_PARAMS = [
  "amount",
  "currency",
  "capture_method",
  "confirm",
  "confirmation_method",
  "payment_method",
  "customer",
  "off_session",
  "setup_future_usage",
  "metadata",
  "description",
  "statement_descriptor",
  "statement_descriptor_suffix",
  "automatic_payment_methods",
  "return_url",
  "receipt_email",
  "shipping",
  "payment_method_options",
  "payment_method_types",
  "allowed_payment_method_types",
  "transfer_group",
  "application_fee_amount",
  "error_on_requires_action",
  "use_stripe_sdk",
  "mandate_data",
  "radar_options",
]
const UPDATE_PARAMS = [
  "amount",
  "currency",
  "capture_method",
  "payment_method",
  "customer",
  "setup_future_usage",
  "metadata",
  "description",
  "statement_descriptor",
  "statement_descriptor_suffix",
  "receipt_email",
  "shipping",
  "payment_method_options",
  "transfer_group",
  "application_fee_amount",
]
const CONFIRM_PARAMS = [
  "payment_method",
  "payment_method_data",
  "off_session",
  "return_url",
  "client_secret",
  "setup_future_usage",
  "receipt_email",
  "shipping",
  "payment_method_options",
  "error_on_requires_action",
  "use_stripe_sdk",
  "mandate_data",
  "radar_options",
  "capture_method",
]

/**
 * The payment method types of a new intent (`allowed_payment_method_types`, or its older name
 * `payment_method_types`; card when neither is given) and the capture each allows. As Stripe: a type's
 * `payment_method_options.<type>.capture_method` accepts only `manual`, and only for the types Stripe can capture
 * later; an intent whose own capture_method is manual cannot offer a type Stripe captures at once.
 */
function paymentMethodTypes(body: ParsedBody, captureMethod: string, currency: string): string[] {
  const given = body.allowed_payment_method_types ?? body.payment_method_types
  const types = Array.isArray(given)
    ? given.map(String)
    : given && typeof given === "object"
      ? Object.values(given).map(String)
      : ["card"]
  const options = obj(body, "payment_method_options") ?? {}
  for (const [type, value] of Object.entries(options)) {
    const method = (value as Record<string, unknown> | null)?.capture_method
    if (method === undefined || method === "") {
      continue
    }
    if (method !== "manual" || !MANUAL_CAPTURE_TYPES.has(type)) {
      throw invalidRequest(
        `payment_method_options[${type}][capture_method] cannot be ${String(method)}: ` +
          (MANUAL_CAPTURE_TYPES.has(type) ? "the only value is manual." : `${type} does not support manual capture.`),
        { param: `payment_method_options[${type}][capture_method]` }
      )
    }
  }
  for (const type of types) {
    const currencies = REDIRECT_CURRENCIES[type]
    if (currencies && !currencies.includes(currency)) {
      throw invalidRequest(
        `The currency provided (${currency}) is invalid for the payment method type ${type}, which supports the ` +
          `following currencies: ${currencies.join(", ")}. Remove ${type} from payment_method_types, or use one of ` +
          "those currencies.",
        { code: "payment_intent_invalid_currency", param: "payment_method_types" }
      )
    }
  }
  const immediate = types.filter((t) => !MANUAL_CAPTURE_TYPES.has(t))
  if (captureMethod === "manual" && immediate.length > 0) {
    throw invalidRequest(
      `The payment method type${immediate.length > 1 ? "s" : ""} ${immediate.join(", ")} cannot be used with ` +
        "capture_method manual. Use capture_method automatic, and payment_method_options[<type>][capture_method] " +
        "manual for the types that support it.",
      { param: "capture_method" }
    )
  }
  return types
}

export function findIntent(f: StripeFakeContext, id: string): IntentRecord {
  const rec = f.state.intents.get(id)
  if (!rec) {
    throw resourceMissing("payment_intent", id, "intent")
  }
  return rec
}

/** The intent as answered: `latest_charge`, `payment_method`, `customer` expanded when asked. */
export function presentIntent(f: StripeFakeContext, pi: PaymentIntentObject, expand: string[]): Json {
  const out = clone(pi) as unknown as Json
  if (expand.includes("latest_charge") && pi.latest_charge) {
    out.latest_charge = clone(f.state.charges.get(pi.latest_charge) ?? null)
  }
  if (expand.includes("payment_method") && pi.payment_method) {
    out.payment_method = clone(f.state.paymentMethods.get(pi.payment_method) ?? null)
  }
  if (expand.includes("customer") && pi.customer) {
    out.customer = clone(f.state.customers.get(pi.customer) ?? null)
  }
  return out
}

function applySharedFields(pi: PaymentIntentObject, body: ParsedBody): void {
  if ("description" in body) pi.description = str(body, "description") ?? null
  if ("receipt_email" in body) pi.receipt_email = str(body, "receipt_email") ?? null
  if ("statement_descriptor" in body) pi.statement_descriptor = str(body, "statement_descriptor") ?? null
  if ("statement_descriptor_suffix" in body) {
    const suffix = str(body, "statement_descriptor_suffix") ?? null
    if (suffix && suffix.length > 22) {
      throw invalidRequest("The statement_descriptor_suffix must be at most 22 characters.", {
        param: "statement_descriptor_suffix",
      })
    }
    pi.statement_descriptor_suffix = suffix
  }
  if ("shipping" in body) pi.shipping = obj(body, "shipping") ?? null
  if ("transfer_group" in body) pi.transfer_group = str(body, "transfer_group") ?? null
  pi.metadata = mergeMetadata(pi.metadata, body)
}

export function registerPaymentIntentRoutes(f: StripeFakeContext, api: ApiRoutes): void {
  const now = () => f.ctx.clock.unix()

  api.post("/payment_intents", (req, meta) => {
    const body = req.body
    allowParams(body, CREATE_PARAMS)
    const currency = requireStr(body, "currency").toLowerCase()
    if (!/^[a-z]{3}$/.test(currency)) {
      throw invalidRequest(`Invalid currency: ${currency}.`, { param: "currency" })
    }
    const amount = int(body, "amount")
    if (amount === undefined) {
      throw invalidRequest("Missing required param: amount.", { code: "parameter_missing", param: "amount" })
    }
    checkAmount(amount, currency)
    const customer = str(body, "customer") ?? null
    if (customer) {
      requireCustomer(f, customer)
    }
    const pmParam = str(body, "payment_method")
    const pm = pmParam ? resolvePayingMethod(f, pmParam).pm : undefined
    const offSession = bool(body, "off_session")
    const confirm = bool(body, "confirm") ?? false
    if (offSession && !confirm) {
      throw invalidRequest("off_session can only be set when confirm is true.", { param: "off_session" })
    }
    const captureMethod = oneOf(body, "capture_method", CAPTURE_METHODS) ?? "automatic_async"
    const methodTypes = paymentMethodTypes(body, captureMethod, currency)
    const pi = buildPaymentIntent({
      amount,
      currency,
      created: now(),
      captureMethod,
      paymentMethodTypes: methodTypes,
      confirmationMethod: oneOf(body, "confirmation_method", ["automatic", "manual"] as const) ?? "automatic",
      customer,
      description: null,
      metadata: {},
      paymentMethod: pm?.id ?? null,
      paymentMethodOptions: obj(body, "payment_method_options") ?? {},
      automaticPaymentMethods: (() => {
        const apm = obj(body, "automatic_payment_methods")
        return apm
          ? {
              enabled: apm.enabled === true || apm.enabled === "true",
              ...(apm.allow_redirects ? { allow_redirects: String(apm.allow_redirects) } : {}),
            }
          : null
      })(),
      receiptEmail: null,
      setupFutureUsage: oneOf(body, "setup_future_usage", SETUP_FUTURE_USAGE) ?? null,
      shipping: null,
      statementDescriptor: null,
      statementDescriptorSuffix: null,
      transferGroup: null,
      applicationFeeAmount: int(body, "application_fee_amount") ?? null,
    })
    applySharedFields(pi, body)
    const rec: IntentRecord = {
      pi,
      captures: [],
      offSession: offSession ?? false,
      returnUrl: str(body, "return_url") ?? null,
      captureBefore: null,
    }
    f.state.intents.set(pi.id, rec)
    f.events.emit("payment_intent.created", pi, meta)
    if (confirm) {
      confirmIntent(f, rec, {}, meta)
    }
    return ok(presentIntent(f, pi, expansions(req)), meta)
  })

  api.get("/payment_intents", (req, meta) => {
    const customer = req.query.get("customer")
    const items = [...f.state.intents.values()]
      .map((r) => r.pi)
      .filter((pi) => !customer || pi.customer === customer)
      .reverse()
    return ok(list(req, items, "/v1/payment_intents"), meta)
  })

  api.get("/payment_intents/:id", (req, meta) => {
    const rec = findIntent(f, req.params.id)
    return ok(presentIntent(f, rec.pi, expansions(req)), meta)
  })

  api.post("/payment_intents/:id", (req, meta) => {
    const rec = findIntent(f, req.params.id)
    const pi = rec.pi
    const body = req.body
    allowParams(body, UPDATE_PARAMS)
    const changesPayment = [
      "amount",
      "currency",
      "capture_method",
      "payment_method",
      "customer",
      "setup_future_usage",
    ].some((k) => k in body)
    const open: string[] = ["requires_payment_method", "requires_confirmation", "requires_action"]
    if (pi.status === "canceled" || pi.status === "succeeded" || (changesPayment && !open.includes(pi.status))) {
      throw unexpectedState(
        rec,
        `You cannot update this PaymentIntent because it has a status of ${pi.status}. ` +
          (changesPayment
            ? `Its amount, currency and payment method can only be updated while it is ${open.join(", ")}.`
            : "A PaymentIntent can only be updated before it is captured or canceled.")
      )
    }
    const currency = str(body, "currency")?.toLowerCase() ?? pi.currency
    const amount = int(body, "amount") ?? pi.amount
    checkAmount(amount, currency)
    pi.amount = amount
    pi.currency = currency
    pi.capture_method = oneOf(body, "capture_method", CAPTURE_METHODS) ?? pi.capture_method
    pi.setup_future_usage = oneOf(body, "setup_future_usage", SETUP_FUTURE_USAGE) ?? pi.setup_future_usage
    const customer = str(body, "customer")
    if (customer) {
      requireCustomer(f, customer)
      pi.customer = customer
    }
    const pmParam = str(body, "payment_method")
    if (pmParam) {
      pi.payment_method = resolvePayingMethod(f, pmParam).pm.id
      if (pi.status === "requires_payment_method") {
        pi.status = "requires_confirmation"
      }
    }
    const pmo = obj(body, "payment_method_options")
    if (pmo) {
      pi.payment_method_options = { ...pi.payment_method_options, ...pmo }
    }
    applySharedFields(pi, body)
    if (pi.application_fee_amount !== null || "application_fee_amount" in body) {
      pi.application_fee_amount = int(body, "application_fee_amount") ?? pi.application_fee_amount
    }
    return ok(presentIntent(f, pi, expansions(req)), meta)
  })

  api.post("/payment_intents/:id/confirm", (req, meta) => {
    const rec = findIntent(f, req.params.id)
    const body = req.body
    allowParams(body, CONFIRM_PARAMS)
    const before = { capture: rec.pi.capture_method, sfu: rec.pi.setup_future_usage }
    const captureMethod = oneOf(body, "capture_method", CAPTURE_METHODS)
    if (captureMethod) {
      rec.pi.capture_method = captureMethod
    }
    const sfu = oneOf(body, "setup_future_usage", SETUP_FUTURE_USAGE)
    if (sfu) {
      rec.pi.setup_future_usage = sfu
    }
    try {
      confirmIntent(
        f,
        rec,
        {
          paymentMethod: str(body, "payment_method") ?? methodFromPaymentMethodData(f, req),
          offSession: bool(body, "off_session"),
          returnUrl: str(body, "return_url"),
        },
        meta
      )
    } catch (e) {
      // A refused confirm (400) changes nothing, not even the parameters it carried; a decline (402) keeps them.
      if (e instanceof SandboxHttpError && e.response.status === 400) {
        rec.pi.capture_method = before.capture
        rec.pi.setup_future_usage = before.sfu
      }
      throw e
    }
    return ok(presentIntent(f, rec.pi, expansions(req)), meta)
  })

  api.post("/payment_intents/:id/capture", (req, meta) => {
    const rec = findIntent(f, req.params.id)
    const body = req.body
    allowParams(body, [
      "amount_to_capture",
      "final_capture",
      "statement_descriptor",
      "statement_descriptor_suffix",
      "metadata",
      "application_fee_amount",
    ])
    const metadata = "metadata" in body ? mergeMetadata(rec.pi.metadata, body) : undefined
    captureIntent(
      f,
      rec,
      {
        amountToCapture: int(body, "amount_to_capture"),
        finalCapture: bool(body, "final_capture"),
        statementDescriptor: str(body, "statement_descriptor"),
        statementDescriptorSuffix: str(body, "statement_descriptor_suffix"),
        metadata,
      },
      meta
    )
    return ok(presentIntent(f, rec.pi, expansions(req)), meta)
  })

  api.post("/payment_intents/:id/cancel", (req, meta) => {
    const rec = findIntent(f, req.params.id)
    allowParams(req.body, ["cancellation_reason"])
    cancelIntent(f, rec, oneOf(req.body, "cancellation_reason", CANCELLATION_REASONS) ?? null, meta)
    return ok(presentIntent(f, rec.pi, expansions(req)), meta)
  })
}

/** Whether a publishable-key request is one Stripe.js may make: confirming or reading an intent with its client secret. */
export function allowedWithPublishableKey(f: StripeFakeContext, req: SandboxRequest): boolean {
  const match = /^\/v1\/payment_intents\/([^/]+)(\/confirm)?\/?$/.exec(req.path)
  if (!match) {
    return false
  }
  const isConfirm = Boolean(match[2])
  if ((isConfirm && req.method !== "POST") || (!isConfirm && req.method !== "GET")) {
    return false
  }
  const secret = isConfirm ? req.body.client_secret : req.query.get("client_secret")
  const rec = f.state.intents.get(decodeURIComponent(match[1]))
  return Boolean(rec && typeof secret === "string" && secret === rec.pi.client_secret)
}

/**
 * `payment_method_data` of a confirm: an iDEAL method (`type=ideal`, optional `ideal[bank]`), or the card a buyer typed,
 * as Stripe.js sends it (type card, number, expiry, CVC). As on Stripe, only a publishable-key request (Stripe.js) may
 * carry a card number; an unknown number or a past expiry is a card error (402), as Stripe answers it. Returns the id
 * of the new iDEAL PaymentMethod, or the test token the card number stands for.
 */
function methodFromPaymentMethodData(f: StripeFakeContext, req: SandboxRequest): string | undefined {
  const data = obj(req.body, "payment_method_data")
  if (!data) {
    return undefined
  }
  if (data.type === "ideal") {
    return createIdealPaymentMethod(f, data, "payment_method_data").id
  }
  if (data.type !== "card") {
    throw invalidRequest(
      `The sandbox takes payment_method_data of type card or ideal only, not ${String(data.type)}.`,
      { param: "payment_method_data[type]" }
    )
  }
  const key = (header(req, "authorization") ?? "").replace(/^bearer /i, "").trim()
  if (key !== f.ctx.options.stripe.publishableKey) {
    throw invalidRequest(
      "Sending credit card numbers directly to the Stripe API is generally unsafe. We suggest you use test tokens " +
        "that map to the test card you are using, see https://stripe.com/docs/testing.",
      { param: "payment_method_data[card][number]" }
    )
  }
  const card = (data.card ?? {}) as Record<string, unknown>
  const token = typeof card.number === "string" ? testTokenForNumber(card.number) : undefined
  if (!token) {
    throw stripeError(402, {
      type: "card_error",
      code: "incorrect_number",
      param: "payment_method_data[card][number]",
      message: "Your card number is incorrect.",
    })
  }
  const month = Number(card.exp_month)
  const year = Number(card.exp_year) < 100 ? 2000 + Number(card.exp_year) : Number(card.exp_year)
  const now = new Date(f.ctx.clock.now())
  if (
    !Number.isInteger(month) ||
    month < 1 ||
    month > 12 ||
    !Number.isInteger(year) ||
    year * 12 + month < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1
  ) {
    throw stripeError(402, {
      type: "card_error",
      code: "invalid_expiry_year",
      param: "payment_method_data[card][exp_year]",
      message: "Your card's expiration year is invalid.",
    })
  }
  if (typeof card.cvc !== "string" || !/^\d{3,4}$/.test(card.cvc)) {
    throw stripeError(402, {
      type: "card_error",
      code: "invalid_cvc",
      param: "payment_method_data[card][cvc]",
      message: "Your card's security code is invalid.",
    })
  }
  return token
}
