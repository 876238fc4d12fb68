import type { MedusaContainer } from "@medusajs/framework/types"
import type { AxiosInstance } from "axios"
import { seedDemoStore, type SeededStore } from "../../demo/seed-store"
import { ADDRESS } from "../../demo/store-orders"

export interface Checkout {
  store: SeededStore
  headers: Record<string, string>
  cart: { id: string; total: number; currency_code: string }
  paymentCollection: { id: string; amount: number }
  session: { id: string; provider_id: string; data: Record<string, unknown>; status: string }
}

/**
 * What a storefront does up to the payment step, through the store API: a cart with one item (or the given items),
 * addresses, shipping, a payment collection and a payment session with the given provider. Seeds the store first (the
 * test database is reset before every test).
 */
export async function startCheckout(
  api: AxiosInstance,
  container: MedusaContainer,
  options: {
    provider_id: string
    quantity?: number
    /** Line items by T-shirt size instead of one line of the first size (`quantity` of it). */
    items?: { size: "M" | "L"; quantity: number }[]
    session_data?: Record<string, unknown>
  }
): Promise<Checkout> {
  const store = await seedDemoStore(container)
  const headers = { "x-publishable-api-key": store.publishable_key }
  let items = [{ variant_id: store.variant_id, quantity: options.quantity ?? 1 }]
  if (options.items) {
    const { data: variants } = await container
      .resolve("query")
      .graph({ entity: "product_variant", fields: ["id", "sku"], filters: { product_id: store.product_id } })
    const bySku = new Map((variants as { id: string; sku: string }[]).map((v) => [v.sku, v.id]))
    items = options.items.map((i) => ({ variant_id: bySku.get(`ORCH-TSHIRT-${i.size}`)!, quantity: i.quantity }))
  }
  const {
    data: { cart },
  } = await api.post(
    "/store/carts",
    {
      region_id: store.region_id,
      email: "ada@example.com",
      items,
      shipping_address: ADDRESS,
      billing_address: ADDRESS,
    },
    { headers }
  )
  await api.post(`/store/carts/${cart.id}/shipping-methods`, { option_id: store.shipping_option_id }, { headers })
  const {
    data: { payment_collection: paymentCollection },
  } = await api.post("/store/payment-collections", { cart_id: cart.id }, { headers })
  const {
    data: { payment_collection: withSession },
  } = await api.post(
    `/store/payment-collections/${paymentCollection.id}/payment-sessions`,
    { provider_id: options.provider_id, data: options.session_data ?? {} },
    { headers }
  )
  const session = withSession.payment_sessions.find(
    (s: { provider_id: string }) => s.provider_id === options.provider_id
  )
  const {
    data: { cart: updated },
  } = await api.get(`/store/carts/${cart.id}`, { headers })
  return { store, headers, cart: updated, paymentCollection: withSession, session }
}

/** Completes the cart as the storefront does after the buyer confirmed; returns the order or the error body. */
export async function completeCart(
  api: AxiosInstance,
  checkout: Pick<Checkout, "headers" | "cart">
): Promise<{ type: string; order?: { id: string }; error?: { message: string } }> {
  const res = await api
    .post(`/store/carts/${checkout.cart.id}/complete`, {}, { headers: checkout.headers })
    .catch((e) => e.response)
  return res.data
}
