/**
 * What the bench does over HTTP, as a storefront and an admin would: the storefront checkout through the store API,
 * and the two capture routes. Each timed function returns how long the Medusa calls took (the buyer's step at the PSP
 * and untimed reads excluded).
 */
import { performance } from "node:perf_hooks"
import type { SandboxControl } from "../src/sandbox"
import { ADDRESS, HttpError } from "../demo/store-orders"

export interface SeededStore {
  region_id: string
  publishable_key: string
  shipping_option_id: string
  variant_id: string
}

/** A small JSON client for one Medusa app. */
export class MedusaHttp {
  constructor(readonly baseUrl: string) {}

  async request<T = Record<string, unknown>>(
    method: "GET" | "POST",
    path: string,
    headers: Record<string, string>,
    body?: unknown
  ): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : {}
    } catch {
      // not JSON: keep the text
    }
    if (!res.ok) {
      throw new HttpError(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`, res.status, parsed)
    }
    return parsed as T
  }
}

export interface PlacedOrder {
  provider: string
  orderId: string
  paymentId: string
  /** The Stripe PaymentIntent id. */
  intentId: string
}

export interface CheckoutTiming {
  /** Every store API call of the checkout. */
  totalMs: number
  /** The calls that reach the payment provider: payment session creation and cart completion. */
  paymentMs: number
}

/**
 * A guest checkout through the store API: cart with one item and addresses, shipping method, payment collection,
 * payment session with `provider`, the buyer confirming the card at the sandbox (not timed: browser to PSP), cart
 * completion. Resolves once the order exists with an authorized payment.
 */
export async function checkout(
  http: MedusaHttp,
  admin: Record<string, string>,
  control: SandboxControl,
  store: SeededStore,
  provider: string
): Promise<{ order: PlacedOrder; timing: CheckoutTiming }> {
  const headers = { "x-publishable-api-key": store.publishable_key }
  const t0 = performance.now()
  const { cart } = await http.request<{ cart: { id: string } }>("POST", "/store/carts", headers, {
    region_id: store.region_id,
    email: "ada@example.com",
    items: [{ variant_id: store.variant_id, quantity: 1 }],
    shipping_address: ADDRESS,
    billing_address: ADDRESS,
  })
  await http.request("POST", `/store/carts/${cart.id}/shipping-methods`, headers, {
    option_id: store.shipping_option_id,
  })
  const { payment_collection: collection } = await http.request<{ payment_collection: { id: string } }>(
    "POST",
    "/store/payment-collections",
    headers,
    { cart_id: cart.id }
  )
  const t1 = performance.now()
  const { payment_collection: withSession } = await http.request<{
    payment_collection: { payment_sessions: { provider_id: string; data: { id?: string } }[] }
  }>("POST", `/store/payment-collections/${collection.id}/payment-sessions`, headers, { provider_id: provider })
  const t2 = performance.now()
  const session = withSession.payment_sessions.find((s) => s.provider_id === provider)
  const intentId = session?.data.id
  if (!intentId) {
    throw new Error(`The ${provider} payment session has no PaymentIntent id: ${JSON.stringify(session)}`)
  }
  await control.stripe.confirmPaymentIntent(intentId)
  const t3 = performance.now()
  const completed = await http.request<{ type: string; order?: { id: string }; error?: unknown }>(
    "POST",
    `/store/carts/${cart.id}/complete`,
    headers,
    {}
  )
  const t4 = performance.now()
  if (completed.type !== "order" || !completed.order) {
    throw new Error(`Cart completion with ${provider} placed no order: ${JSON.stringify(completed.error)}`)
  }
  const paymentId = await orderPaymentId(http, admin, completed.order.id)
  return {
    order: { provider, orderId: completed.order.id, paymentId, intentId },
    timing: { totalMs: t2 - t0 + (t4 - t3), paymentMs: t2 - t1 + (t4 - t3) },
  }
}

async function orderPaymentId(http: MedusaHttp, admin: Record<string, string>, orderId: string): Promise<string> {
  const { order } = await http.request<{
    order: { payment_collections: { payments: { id: string }[] }[] }
  }>("GET", `/admin/orders/${orderId}?fields=id,payment_collections.payments.id`, admin)
  const id = order.payment_collections?.[0]?.payments?.[0]?.id
  if (!id) {
    throw new Error(`Order ${orderId} has no payment.`)
  }
  return id
}

/** Medusa's own full capture: `POST /admin/payments/:id/capture`. */
export async function captureThroughMedusa(
  http: MedusaHttp,
  admin: Record<string, string>,
  order: PlacedOrder
): Promise<number> {
  const t0 = performance.now()
  const { payment } = await http.request<{ payment: { captured_at: string | null } }>(
    "POST",
    `/admin/payments/${order.paymentId}/capture`,
    admin,
    {}
  )
  const ms = performance.now() - t0
  if (!payment.captured_at) {
    throw new Error(`Capturing ${order.paymentId} (${order.provider}) left it uncaptured.`)
  }
  return ms
}

/** The order's authorize transaction in the plugin's ledger (an untimed read, as the admin page does before). */
export async function authorizeTransactionId(
  http: MedusaHttp,
  admin: Record<string, string>,
  order: PlacedOrder
): Promise<string> {
  const { data } = await http.request<{ data: { id: string; transaction_type: string }[] }>(
    "GET",
    `/admin/orders/${order.orderId}/transactions`,
    admin
  )
  const tx = data.find((t) => t.transaction_type === "authorize")
  if (!tx) {
    throw new Error(`Order ${order.orderId} has no authorize transaction.`)
  }
  return tx.id
}

/** The plugin's capture route with `custom_reference` (full amount, final). */
export async function captureThroughTransactions(
  http: MedusaHttp,
  admin: Record<string, string>,
  order: PlacedOrder,
  transactionId: string,
  customReference: string
): Promise<number> {
  const t0 = performance.now()
  const { data } = await http.request<{ data: { transaction_type: string; status: string; custom_reference: string } }>(
    "POST",
    `/admin/orders/${order.orderId}/transactions/${transactionId}/capture`,
    admin,
    { data: { custom_reference: customReference } }
  )
  const ms = performance.now() - t0
  if (data.transaction_type !== "capture" || data.status !== "complete" || data.custom_reference !== customReference) {
    throw new Error(`The transactions capture of ${order.orderId} answered ${JSON.stringify(data)}.`)
  }
  return ms
}

/** Logs the bench admin in: the headers of a logged-in admin. */
export async function adminLogin(http: MedusaHttp, email: string, password: string): Promise<Record<string, string>> {
  const { token } = await http.request<{ token: string }>("POST", "/auth/user/emailpass", {}, { email, password })
  return { authorization: `Bearer ${token}` }
}
