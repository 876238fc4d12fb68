/**
 * What the sandbox serves to browsers for PayPal: the JS SDK stand-in at the SDK's path (`/paypal/sdk/js?client-id=
 * ...`, reached with `sdkBaseUrl` in `@paypal/paypal-js` / `@paypal/react-paypal-js`) and the buyer's approval window
 * (`/paypal/checkoutnow?token=<order id>`, PayPal's own approval path).
 */
import { Router, type SandboxRequest, type SandboxResponse } from "../core/router"
import type { PayPalFakeContext } from "../paypal/context"
import { installPayPalStandIn } from "./paypal-js"
import { browserScript, escapeHtml, HTML, JAVASCRIPT, page } from "./script"

const INTENTS = ["capture", "authorize"]

/** The SDK refuses to load as PayPal's does: a 400 naming the query value it cannot take. */
function sdkError(message: string): SandboxResponse {
  return {
    status: 400,
    headers: JAVASCRIPT,
    body: `throw new Error(${JSON.stringify(`SDK Validation error: '${message}'`)});\n`,
  }
}

function sdkScript(pp: PayPalFakeContext, req: SandboxRequest): SandboxResponse {
  const clientId = req.query.get("client-id")
  if (!clientId) {
    return sdkError("Expected client-id to be passed")
  }
  if (clientId !== pp.sandbox.options.paypal.clientId) {
    return sdkError(`Invalid query value for client-id: ${clientId}`)
  }
  const intent = (req.query.get("intent") ?? "capture").toLowerCase()
  if (!INTENTS.includes(intent)) {
    return sdkError(`Invalid query value for intent: ${intent}`)
  }
  const currency = (req.query.get("currency") ?? "USD").toUpperCase()
  if (!/^[A-Z]{3}$/.test(currency)) {
    return sdkError(`Invalid query value for currency: ${currency}`)
  }
  const components = (req.query.get("components") ?? "buttons").split(",").map((c) => c.trim())
  return {
    status: 200,
    headers: JAVASCRIPT,
    body: browserScript(installPayPalStandIn, {
      sandboxBase: pp.sandbox.baseUrl(),
      clientId,
      intent,
      currency,
      buttons: components.includes("buttons"),
    }),
  }
}

/** The approval window's page that only reports a problem to the opener (as PayPal's SDK calls onError). */
function approvalError(orderId: string, message: string): SandboxResponse {
  const script = `window.opener && window.opener.postMessage(${JSON.stringify({
    type: "sandbox-paypal",
    event: "error",
    orderID: orderId,
    message,
  })}, "*"); setTimeout(() => window.close(), 50)`
  return {
    status: 200,
    headers: HTML,
    body: page("PayPal (sandbox)", `<p class="error">${escapeHtml(message)}</p>`, script),
  }
}

function approvalPage(pp: PayPalFakeContext, req: SandboxRequest): SandboxResponse {
  const orderId = req.query.get("token") ?? ""
  const order = pp.state.orders.get(orderId)
  if (!order) {
    return approvalError(orderId, `PayPal has no order ${orderId}: createOrder must return the id of an order.`)
  }
  const intent = req.query.get("intent")
  if (intent && intent.toUpperCase() !== order.intent) {
    return approvalError(
      orderId,
      `Unexpected intent: ${order.intent} passed to order.create. Please ensure you are passing ` +
        `/sdk/js?intent=${order.intent.toLowerCase()} in the paypal script tag.`
    )
  }
  const unit = pp.render.order(order).purchase_units?.[0] as
    { amount?: { currency_code?: string; value?: string } } | undefined
  const currency = unit?.amount?.currency_code ?? ""
  const expectedCurrency = req.query.get("currency")
  if (expectedCurrency && expectedCurrency.toUpperCase() !== currency) {
    return approvalError(
      orderId,
      `Unexpected currency: ${currency} passed to order.create. Please ensure you are passing ` +
        `/sdk/js?currency=${currency} in the paypal script tag.`
    )
  }
  if (order.status !== "CREATED") {
    return approvalError(orderId, `Order ${orderId} is ${order.status}: the buyer can approve a CREATED order only.`)
  }
  const body =
    `<h1>PayPal (sandbox)</h1><p>Logged in as <strong>sb-buyer@personal.example.com</strong>.</p>` +
    `<p>Pay <strong>${escapeHtml(`${unit?.amount?.value} ${currency}`)}</strong> ` +
    `(order ${escapeHtml(orderId)}, ${escapeHtml(order.intent.toLowerCase())}).</p>` +
    `<div class="row"><button class="primary" id="approve">Approve and continue</button>` +
    `<button id="cancel">Cancel and return to merchant</button></div><p id="status" class="error"></p>` +
    `<p class="note">This window stands in for PayPal's: nothing leaves this machine.</p>`
  const script = `
const orderID = ${JSON.stringify(orderId)}
const tell = (message) => window.opener && window.opener.postMessage({ type: "sandbox-paypal", orderID, ...message }, "*")
document.getElementById("approve").onclick = async () => {
  document.querySelectorAll("button").forEach((b) => (b.disabled = true))
  const res = await fetch("/_sandbox/paypal/orders/" + encodeURIComponent(orderID) + "/approve", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })
  const body = await res.json()
  if (!res.ok) {
    document.getElementById("status").textContent = body.error.message
    tell({ event: "error", message: body.error.message })
    return
  }
  tell({ event: "approve", payerID: body.payer && body.payer.payer_id })
  window.close()
}
document.getElementById("cancel").onclick = () => { tell({ event: "cancel" }); window.close() }`
  return { status: 200, headers: HTML, body: page("PayPal (sandbox)", body, script) }
}

export function createPayPalBrowserRouter(pp: PayPalFakeContext): Router {
  const r = new Router()
  r.get("/sdk/js", (req) => sdkScript(pp, req))
  r.get("/checkoutnow", (req) => approvalPage(pp, req))
  return r
}
