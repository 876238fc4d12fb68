/** The `Stripe-Signature` header: `t=<unix>,v1=<hex HMAC-SHA256 of "${t}.${payload}" with the endpoint secret>`. */
import { createHmac } from "node:crypto"
import type { SandboxContext } from "../core/psp-fake"

export function signStripePayload(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex")
  return `t=${timestamp},v1=${v1}`
}

export function registerStripeSigner(ctx: SandboxContext): void {
  ctx.webhooks.registerSigner("stripe", (payload, options) => {
    const timestamp = ctx.clock.unix() + Math.trunc(options.timestampOffsetSeconds ?? 0)
    return { "Stripe-Signature": signStripePayload(payload, ctx.options.stripe.webhookSecret, timestamp) }
  })
}
