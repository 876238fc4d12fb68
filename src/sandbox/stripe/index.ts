/**
 * The Stripe fake: Stripe's `/v1` API at the sandbox root, stateful, for the real `stripe` SDK. Layout:
 * state.ts (objects kept), objects.ts (builders), cards.ts (test tokens), payments.ts (PaymentIntent state machine),
 * api-*.ts (routes), events.ts + signature.ts (webhooks), control.ts (control routes), errors.ts (Stripe error JSON).
 */
import { header, Router, type SandboxRequest, type SandboxResponse } from "../core/router"
import type { PspFake } from "../core/psp-fake"
import type { PspFactory } from "../core/server"
import { createStripeBrowserRouter } from "../browser/stripe-routes"
import { registerCustomerRoutes } from "./api-customers"
import { registerDisputeRoutes } from "./api-disputes"
import { registerEventRoutes } from "./api-events"
import { allowedWithPublishableKey, registerPaymentIntentRoutes } from "./api-payment-intents"
import { registerRefundRoutes } from "./api-refunds"
import { registerSetupIntentRoutes } from "./api-setup-intents"
import type { StripeFakeContext } from "./context"
import { createControlRouter } from "./control"
import { genericError, maskKey, stripeErrorResponse } from "./errors"
import { StripeEvents } from "./events"
import { apiRoutes } from "./http"
import { registerStripeSigner } from "./signature"
import { StripeState } from "./state"

export { signStripePayload } from "./signature"
export { TEST_CARDS } from "./cards"

function bearer(req: SandboxRequest): string | undefined {
  const value = header(req, "authorization")
  if (!value) {
    return undefined
  }
  if (/^bearer /i.test(value)) {
    return value.slice(7).trim()
  }
  if (/^basic /i.test(value)) {
    return Buffer.from(value.slice(6).trim(), "base64").toString("utf8").split(":")[0]
  }
  return value.trim()
}

function unauthorized(message: string): SandboxResponse {
  return stripeErrorResponse(401, { type: "invalid_request_error", message })
}

export const createStripeFake: PspFactory = (ctx) => {
  const state = new StripeState()
  const f: StripeFakeContext = { ctx, state, events: new StripeEvents(ctx, state) }
  registerStripeSigner(ctx)

  const api = new Router()
  const routes = apiRoutes(f, api)
  registerPaymentIntentRoutes(f, routes)
  registerRefundRoutes(f, routes)
  registerCustomerRoutes(f, routes)
  registerSetupIntentRoutes(f, routes)
  registerDisputeRoutes(f, routes)
  registerEventRoutes(f, routes)

  const fake: PspFake = {
    psp: "stripe",
    prefix: "",
    api,
    control: createControlRouter(f),
    browser: createStripeBrowserRouter(f),

    authenticate(req) {
      const key = bearer(req)
      const { apiKey, publishableKey } = ctx.options.stripe
      if (!key) {
        return unauthorized(
          "You did not provide an API key. You need to provide your API key in the Authorization header, using " +
            "Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
        )
      }
      if (key === apiKey) {
        return undefined
      }
      if (key === publishableKey) {
        return allowedWithPublishableKey(f, req)
          ? undefined
          : unauthorized("This API call cannot be made with a publishable API key. Please use a secret API key.")
      }
      return unauthorized(`Invalid API Key provided: ${maskKey(key)}`)
    },

    idempotencyKey(req) {
      return header(req, "idempotency-key")
    },

    idempotencyMismatch(req) {
      const key = header(req, "idempotency-key") ?? ""
      return stripeErrorResponse(400, {
        type: "idempotency_error",
        message:
          "Keys for idempotent requests can only be used with the same parameters they were first used with. Try " +
          `using a key other than '${key}' if you meant to execute a different request.`,
      })
    },

    idempotencyInProgress() {
      return stripeErrorResponse(409, {
        type: "invalid_request_error",
        code: "idempotency_key_in_use",
        message:
          "There is currently another in-progress request using this idempotency key (that probably means you " +
          "submitted the same request twice in quick succession). Please try this request again later.",
      })
    },

    error(status, message) {
      return genericError(status, message)
    },

    reset() {
      state.reset()
    },
  }
  return fake
}
