/** Registers Stripe API routes: each handler gets the request's id and idempotency key, and lapsed authorizations expire first. */
import { header, type Router, type SandboxRequest, type SandboxResponse } from "../core/router"
import type { StripeFakeContext } from "./context"
import { requestId } from "./errors"
import { expireLapsedAuthorizations } from "./payments"
import type { RequestMeta } from "./state"

export type StripeHandler = (req: SandboxRequest, meta: RequestMeta) => SandboxResponse

export function apiRoutes(f: StripeFakeContext, router: Router) {
  const on = (method: string, path: string, handler: StripeHandler) =>
    router.on(method, `/v1${path}`, (req) => {
      expireLapsedAuthorizations(f)
      const meta: RequestMeta = {
        requestId: requestId(),
        idempotencyKey: req.method === "POST" ? (header(req, "idempotency-key") ?? null) : null,
      }
      return handler(req, meta)
    })
  return {
    get: (path: string, handler: StripeHandler) => on("GET", path, handler),
    post: (path: string, handler: StripeHandler) => on("POST", path, handler),
    delete: (path: string, handler: StripeHandler) => on("DELETE", path, handler),
  }
}

export type ApiRoutes = ReturnType<typeof apiRoutes>
