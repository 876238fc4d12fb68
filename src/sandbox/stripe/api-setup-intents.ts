/** `/v1/setup_intents`: saving a card for later (off-session) payments. */
import { randomId } from "../core/ids"
import { SandboxHttpError } from "../core/psp-fake"
import type { StripeFakeContext } from "./context"
import { invalidRequest, resourceMissing, stripeErrorResponse } from "./errors"
import type { ApiRoutes } from "./http"
import { buildSetupIntent } from "./objects"
import { allowParams, bool, clone, list, mergeMetadata, ok, oneOf, str } from "./params"
import { attachPaymentMethod, requireCustomer, resolvePaymentMethod } from "./payment-methods"
import type { RequestMeta, SetupIntentObject } from "./state"

const CONFIRMABLE = ["requires_payment_method", "requires_confirmation", "requires_action"]

export function findSetupIntent(f: StripeFakeContext, id: string): SetupIntentObject {
  const si = f.state.setupIntents.get(id)
  if (!si) {
    throw resourceMissing("setup_intent", id, "intent")
  }
  return si
}

export function confirmSetupIntent(
  f: StripeFakeContext,
  si: SetupIntentObject,
  paymentMethod: string | undefined,
  meta: RequestMeta
): void {
  if (!CONFIRMABLE.includes(si.status)) {
    throw invalidRequest(`You cannot confirm this SetupIntent because it has a status of ${si.status}.`, {
      code: "setup_intent_unexpected_state",
      setup_intent: clone(si),
    })
  }
  const pmId = paymentMethod ?? si.payment_method
  if (!pmId) {
    throw invalidRequest("You cannot confirm this SetupIntent because it's missing a payment method.", {
      code: "setup_intent_unexpected_state",
      setup_intent: clone(si),
    })
  }
  const resolved = resolvePaymentMethod(f, pmId)
  si.payment_method = resolved.pm.id
  si.last_setup_error = null
  si.next_action = null
  si.latest_attempt = randomId("setatt")
  const card = resolved.card
  if (card.behaviour === "decline") {
    const message = card.message ?? "Your card was declined."
    si.status = "requires_payment_method"
    si.payment_method = null
    si.last_setup_error = {
      type: "card_error",
      code: card.code,
      decline_code: card.declineCode,
      message,
      payment_method: clone(resolved.pm),
    }
    f.events.emit("setup_intent.setup_failed", si, meta)
    throw new SandboxHttpError(
      stripeErrorResponse(402, {
        type: "card_error",
        message,
        code: card.code,
        decline_code: card.declineCode,
        setup_intent: clone(si),
      })
    )
  }
  if (card.behaviour === "3ds" || card.behaviour === "3ds_setup") {
    si.status = "requires_action"
    si.next_action = {
      type: "use_stripe_sdk",
      use_stripe_sdk: {
        type: "three_d_secure_redirect",
        source: randomId("src"),
        stripe_js: `${f.ctx.baseUrl()}/_sandbox/stripe/setup_intents/${si.id}/three_d_secure`,
      },
    }
    f.events.emit("setup_intent.requires_action", si, meta)
    return
  }
  succeed(f, si, meta)
}

function succeed(f: StripeFakeContext, si: SetupIntentObject, meta: RequestMeta): void {
  si.status = "succeeded"
  si.next_action = null
  if (si.customer && si.payment_method) {
    attachPaymentMethod(f, resolvePaymentMethod(f, si.payment_method), si.customer, meta)
  }
  f.events.emit("setup_intent.succeeded", si, meta)
}

export function completeSetupThreeDSecure(
  f: StripeFakeContext,
  si: SetupIntentObject,
  pass: boolean,
  meta: RequestMeta
) {
  if (si.status !== "requires_action") {
    throw invalidRequest(`SetupIntent ${si.id} is ${si.status}; 3-D Secure can only be completed in requires_action.`)
  }
  if (pass) {
    succeed(f, si, meta)
    return
  }
  const pm = si.payment_method ? f.state.paymentMethods.get(si.payment_method) : undefined
  si.status = "requires_payment_method"
  si.payment_method = null
  si.next_action = null
  si.last_setup_error = {
    type: "invalid_request_error",
    code: "setup_intent_authentication_failure",
    message:
      "The latest attempt to set up the payment method has failed because authentication failed. Provide a new " +
      "payment method to attempt to set it up again.",
    payment_method: clone(pm ?? null),
  }
  f.events.emit("setup_intent.setup_failed", si, meta)
}

export function registerSetupIntentRoutes(f: StripeFakeContext, api: ApiRoutes): void {
  api.post("/setup_intents", (req, meta) => {
    const body = req.body
    allowParams(body, [
      "customer",
      "payment_method",
      "confirm",
      "usage",
      "metadata",
      "description",
      "automatic_payment_methods",
      "return_url",
      "payment_method_types",
      "payment_method_options",
      "mandate_data",
      "use_stripe_sdk",
      "single_use",
    ])
    const customer = str(body, "customer") ?? null
    if (customer) {
      requireCustomer(f, customer)
    }
    const pmParam = str(body, "payment_method")
    const pm = pmParam ? resolvePaymentMethod(f, pmParam).pm.id : null
    const si = buildSetupIntent(f.ctx.clock.unix(), {
      customer,
      payment_method: pm,
      description: str(body, "description") ?? null,
      usage: oneOf(body, "usage", ["off_session", "on_session"] as const) ?? "off_session",
      metadata: mergeMetadata({}, body),
      status: pm ? "requires_confirmation" : "requires_payment_method",
      automatic_payment_methods: body.automatic_payment_methods ? { enabled: true, allow_redirects: "always" } : null,
    })
    f.state.setupIntents.set(si.id, si)
    f.events.emit("setup_intent.created", si, meta)
    if (bool(body, "confirm")) {
      confirmSetupIntent(f, si, undefined, meta)
    }
    return ok(si, meta)
  })

  api.get("/setup_intents", (req, meta) => {
    const customer = req.query.get("customer")
    const items = [...f.state.setupIntents.values()].filter((s) => !customer || s.customer === customer).reverse()
    return ok(list(req, items, "/v1/setup_intents"), meta)
  })

  api.get("/setup_intents/:id", (req, meta) => ok(findSetupIntent(f, req.params.id), meta))

  api.post("/setup_intents/:id", (req, meta) => {
    const si = findSetupIntent(f, req.params.id)
    allowParams(req.body, ["metadata", "description", "customer", "payment_method"])
    si.metadata = mergeMetadata(si.metadata, req.body)
    if ("description" in req.body) si.description = str(req.body, "description") ?? null
    const customer = str(req.body, "customer")
    if (customer) {
      requireCustomer(f, customer)
      si.customer = customer
    }
    const pmParam = str(req.body, "payment_method")
    if (pmParam) {
      si.payment_method = resolvePaymentMethod(f, pmParam).pm.id
      if (si.status === "requires_payment_method") si.status = "requires_confirmation"
    }
    return ok(si, meta)
  })

  api.post("/setup_intents/:id/confirm", (req, meta) => {
    const si = findSetupIntent(f, req.params.id)
    allowParams(req.body, ["payment_method", "return_url", "client_secret", "mandate_data", "use_stripe_sdk"])
    confirmSetupIntent(f, si, str(req.body, "payment_method"), meta)
    return ok(si, meta)
  })

  api.post("/setup_intents/:id/cancel", (req, meta) => {
    const si = findSetupIntent(f, req.params.id)
    if (!["requires_payment_method", "requires_confirmation", "requires_action"].includes(si.status)) {
      throw invalidRequest(`You cannot cancel this SetupIntent because it has a status of ${si.status}.`, {
        code: "setup_intent_unexpected_state",
      })
    }
    si.status = "canceled"
    si.cancellation_reason =
      oneOf(req.body, "cancellation_reason", ["abandoned", "duplicate", "requested_by_customer"] as const) ?? null
    f.events.emit("setup_intent.canceled", si, meta)
    return ok(si, meta)
  })
}
