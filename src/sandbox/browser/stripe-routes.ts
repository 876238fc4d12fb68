/**
 * What the sandbox serves to browsers for Stripe: the Stripe.js stand-in (at Stripe.js's own paths, `/v3` and
 * `/<release>/stripe.js`) and the 3-D Secure challenge page that the stand-in shows in a modal frame.
 */
import { Router, type SandboxResponse } from "../core/router"
import type { StripeFakeContext } from "../stripe/context"
import { browserScript, escapeHtml, HTML, JAVASCRIPT, page } from "./script"
import { installStripeStandIn } from "./stripe-js"

/** The Stripe.js release that `@stripe/stripe-js` 10 loads (`https://js.stripe.com/endive/stripe.js`). */
export const STRIPE_JS_RELEASE = "endive"

export function stripeJsScript(f: StripeFakeContext, release = STRIPE_JS_RELEASE): SandboxResponse {
  return {
    status: 200,
    headers: { ...JAVASCRIPT, "access-control-allow-origin": "*" },
    body: browserScript(installStripeStandIn, { apiBase: f.ctx.baseUrl(), version: release }),
  }
}

export function createStripeBrowserRouter(f: StripeFakeContext): Router {
  const r = new Router()
  r.get("/v3", () => stripeJsScript(f, "v3"))
  r.get("/:release/stripe.js", (req) => stripeJsScript(f, req.params.release))
  return r
}

/**
 * The issuer's 3-D Secure challenge for a PaymentIntent in `requires_action` (the page `next_action.use_stripe_sdk
 * .stripe_js` names): "Complete" or "Fail", as on Stripe's test page. It posts the answer to the control route of the
 * same path, then tells the page that framed it (the Stripe.js stand-in) that the challenge is over.
 */
export function threeDSecurePage(f: StripeFakeContext, intentId: string): SandboxResponse {
  const rec = f.state.intents.get(intentId)
  if (!rec) {
    return {
      status: 404,
      headers: HTML,
      body: page("3D Secure", `<p class="error">No PaymentIntent ${escapeHtml(intentId)}.</p>`),
    }
  }
  const amount = `${(rec.pi.amount / 100).toFixed(2)} ${rec.pi.currency.toUpperCase()}`
  const body =
    `<h1>3D Secure 2 test page</h1><p>The sandbox's bank asks the buyer to authenticate a payment of ` +
    `<strong>${escapeHtml(amount)}</strong> (${escapeHtml(intentId)}).</p>` +
    `<div class="row"><button class="primary" id="complete">Complete authentication</button>` +
    `<button id="fail">Fail authentication</button></div><p id="status" class="error"></p>`
  const script = `
const answer = async (result) => {
  document.querySelectorAll("button").forEach((b) => (b.disabled = true))
  try {
    const res = await fetch(location.pathname, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ result }) })
    if (!res.ok) document.getElementById("status").textContent = (await res.json()).error.message
  } finally {
    const to = window.parent !== window ? window.parent : window.opener
    if (to) to.postMessage({ type: "sandbox-stripe-3ds-complete", payment_intent: ${JSON.stringify(intentId)}, result }, "*")
  }
}
document.getElementById("complete").onclick = () => answer("pass")
document.getElementById("fail").onclick = () => answer("fail")`
  return { status: 200, headers: HTML, body: page("3D Secure", body, script) }
}

/**
 * The buyer's bank page for a redirect payment (iDEAL) in `requires_action` (the page `next_action.redirect_to_url.url`
 * names): "Authorize test payment" or "Fail test payment", as on Stripe's test redirect page. The form posts to the
 * same path; the sandbox answers 302 to the intent's `return_url` with `payment_intent`, `payment_intent_client_secret`
 * and `redirect_status`.
 */
export function redirectPage(f: StripeFakeContext, intentId: string): SandboxResponse {
  const rec = f.state.intents.get(intentId)
  const action = rec?.pi.next_action as { type?: string } | null | undefined
  if (!rec || rec.pi.status !== "requires_action" || action?.type !== "redirect_to_url") {
    return {
      status: 404,
      headers: HTML,
      body: page(
        "Bank",
        `<p class="error">No payment ${escapeHtml(intentId)} waits for the buyer at the bank: it is not ` +
          "requires_action with a redirect.</p>"
      ),
    }
  }
  const pm = rec.pi.payment_method ? f.state.paymentMethods.get(rec.pi.payment_method) : undefined
  const method = pm?.type === "ideal" ? "iDEAL" : (pm?.type ?? "bank")
  const amount = `${(rec.pi.amount / 100).toFixed(2)} ${rec.pi.currency.toUpperCase()}`
  const body =
    `<h1>${escapeHtml(method)} test payment page</h1><p>The sandbox's bank asks the buyer to authorize a payment of ` +
    `<strong>${escapeHtml(amount)}</strong> (${escapeHtml(intentId)}).</p>` +
    `<form method="post" class="row"><button class="primary" name="result" value="succeeded" id="authorize">` +
    `Authorize test payment</button><button name="result" value="failed" id="fail">Fail test payment</button></form>`
  return { status: 200, headers: HTML, body: page(`${method} test payment`, body) }
}
