/**
 * The PayPal fake: Orders v2, Payments v2, OAuth, webhook signing and verification, disputes, served under `/paypal`
 * so the real `@paypal/paypal-server-sdk` (retargeted with `createPayPalClient`) talks to it unchanged.
 */
import type { PspFake } from "../core/psp-fake"
import { Router, header, type SandboxRequest, type SandboxResponse } from "../core/router"
import type { PspFactory } from "../core/server"
import { createPayPalBrowserRouter } from "../browser/paypal-routes"
import { authenticate, registerOAuthRoutes } from "./api-oauth"
import { registerOrderRoutes } from "./api-orders"
import { registerPaymentRoutes } from "./api-payments"
import { certUrl, registerNotificationRoutes } from "./api-notifications"
import { registerDisputeRoutes } from "./api-disputes"
import { paypalSigningIdentity } from "./certificate"
import type { PayPalFakeContext } from "./context"
import { registerControlRoutes } from "./control"
import { errorForStatus, paypalError } from "./errors"
import { PayPalEvents } from "./events"
import { PayPalRenderer } from "./objects"
import { signTransmission } from "./signature"
import { PayPalState } from "./state"

export const PAYPAL_PREFIX = "/paypal"

export const createPayPalFake: PspFactory = (sandbox) => {
  const state = new PayPalState()
  const render = new PayPalRenderer(state, () => `${sandbox.baseUrl()}${PAYPAL_PREFIX}`)
  const pp: PayPalFakeContext = {
    sandbox,
    state,
    render,
    events: new PayPalEvents(sandbox, render),
    now: () => sandbox.clock.now(),
  }

  const api = new Router()
  registerOAuthRoutes(api, pp)
  registerOrderRoutes(api, pp)
  registerPaymentRoutes(api, pp)
  registerNotificationRoutes(api, pp)
  registerDisputeRoutes(api, pp)

  const control = new Router()
  registerControlRoutes(control, pp)

  sandbox.webhooks.registerSigner("paypal", (payload, options) => {
    // Make the certificate on first use, so it is ready when the receiver fetches `paypal-cert-url`.
    void paypalSigningIdentity.certificates()
    return signTransmission({
      body: payload,
      webhookId: sandbox.options.paypal.webhookId,
      privateKey: paypalSigningIdentity.privateKey(),
      certUrl: certUrl(pp),
      now: Date.now() + (options.timestampOffsetSeconds ?? 0) * 1000,
    })
  })

  const fake: PspFake = {
    psp: "paypal",
    prefix: PAYPAL_PREFIX,
    api,
    control,
    browser: createPayPalBrowserRouter(pp),
    authenticate: (req: SandboxRequest) => authenticate(pp, req),
    idempotencyKey: (req: SandboxRequest) => header(req, "paypal-request-id") || undefined,
    idempotencyMismatch: (_req: SandboxRequest, original: SandboxResponse | undefined): SandboxResponse => {
      // PayPal answers a reused PayPal-Request-Id with the original request's answer, whatever the new body says.
      if (original) {
        return { ...original, headers: { ...original.headers, "idempotent-replayed": "true" } }
      }
      return paypalError(422, "UNPROCESSABLE_ENTITY", [
        { issue: "DUPLICATE_REQUEST_ID", description: "The value of PayPal-Request-Id header has already been used." },
      ])
    },
    idempotencyInProgress: (): SandboxResponse =>
      paypalError(409, "RESOURCE_CONFLICT", [
        {
          issue: "PREVIOUS_REQUEST_IN_PROGRESS",
          description: "A previous request with the same PayPal-Request-Id is still being processed. Retry later.",
        },
      ]),
    error: (status: number, message: string) => errorForStatus(status, message),
    reset: () => state.reset(),
  }
  return fake
}
