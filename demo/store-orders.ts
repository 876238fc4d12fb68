/**
 * Orders placed the way a storefront places them, over HTTP against a running store (the demo, the browser test): a
 * cart, shipping, a payment session with one of the plugin's providers, the buyer's step at the PSP played through the
 * sandbox's control API (card confirmed at Stripe, order approved at PayPal), then cart completion. Plus the few admin
 * calls the demo's tour makes before handing over to the person at the admin (log in, list transactions, capture).
 */
import type { SandboxControl } from "../src/sandbox"

export const STRIPE_PROVIDER = "pp_stripe_stripe"
export const PAYPAL_PROVIDER = "pp_paypal_paypal"

/** What `demo/seed.ts` writes (see `SeededStore` in demo/seed-store.ts). */
export interface SeededStoreRefs {
  region_id: string
  publishable_key: string
  shipping_option_id: string
  variant_id: string
}

export interface PlacedOrder {
  orderId: string
  provider: string
  /** Stripe PaymentIntent id or PayPal order id. */
  reference: string
  /** Order total in major units (Medusa's amounts). */
  total: number
  currency: string
}

/** The shopper's shipping and billing address in every demo, test and bench order. */
export const ADDRESS = {
  first_name: "Ada",
  last_name: "Lovelace",
  address_1: "1 Analytical Way",
  city: "London",
  country_code: "gb",
  postal_code: "N1 9GU",
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown
  ) {
    super(message)
  }
}

async function request<T>(
  baseUrl: string,
  method: "GET" | "POST",
  path: string,
  headers: Record<string, string>,
  body?: unknown
): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  let parsed: unknown = null
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    parsed = text
  }
  if (!res.ok) {
    throw new HttpError(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`, res.status, parsed)
  }
  return parsed as T
}

/**
 * A storefront checkout of `quantity` T-shirts through the store API, paid with `provider`, the buyer's confirmation
 * at the PSP through the sandbox, and cart completion: an order whose payment is authorized (not captured).
 */
export async function placeOrder(options: {
  baseUrl: string
  store: SeededStoreRefs
  control: SandboxControl
  provider: string
  quantity?: number
  email?: string
  sessionData?: Record<string, unknown>
}): Promise<PlacedOrder> {
  const { baseUrl, store, control, provider } = options
  const headers = { "x-publishable-api-key": store.publishable_key }
  const call = <T>(method: "GET" | "POST", path: string, body?: unknown) =>
    request<T>(baseUrl, method, path, headers, body)

  const { cart } = await call<{ cart: { id: string } }>("POST", "/store/carts", {
    region_id: store.region_id,
    email: options.email ?? "ada@example.com",
    items: [{ variant_id: store.variant_id, quantity: options.quantity ?? 1 }],
    shipping_address: ADDRESS,
    billing_address: ADDRESS,
  })
  await call("POST", `/store/carts/${cart.id}/shipping-methods`, { option_id: store.shipping_option_id })
  const { payment_collection: collection } = await call<{ payment_collection: { id: string } }>(
    "POST",
    "/store/payment-collections",
    { cart_id: cart.id }
  )
  const { payment_collection: withSession } = await call<{
    payment_collection: { payment_sessions: { provider_id: string; data: Record<string, unknown> }[] }
  }>("POST", `/store/payment-collections/${collection.id}/payment-sessions`, {
    provider_id: provider,
    data: options.sessionData ?? {},
  })
  const session = withSession.payment_sessions.find((s) => s.provider_id === provider)
  const reference = session?.data.reference
  if (typeof reference !== "string") {
    throw new Error(`The ${provider} payment session has no PSP reference: ${JSON.stringify(session?.data)}`)
  }
  if (provider.startsWith("pp_paypal_")) {
    await control.paypal.approveOrder(reference)
  } else {
    await control.stripe.confirmPaymentIntent(reference)
  }
  const completed = await call<{
    type: string
    order?: { id: string; total: number; currency_code: string }
    error?: unknown
  }>("POST", `/store/carts/${cart.id}/complete`)
  if (completed.type !== "order" || !completed.order) {
    throw new Error(`The cart was not completed: ${JSON.stringify(completed.error ?? completed)}`)
  }
  return {
    orderId: completed.order.id,
    provider,
    reference,
    total: Number(completed.order.total),
    currency: completed.order.currency_code,
  }
}

/** A Transaction of the transactions API, the fields the demo reads. */
export interface TransactionSummary {
  id: string
  transaction_type: "authorize" | "capture" | "refund"
  status: string
  amount: number
  refunded_amount: number
  custom_reference: string | null
  payment_details: { detailed_status: string }
}

export interface DisputeSummary {
  id: string
  status: string
  amount: number
  reference: string
}

/** The admin API with a logged-in admin's token (`POST /auth/user/emailpass`). */
export class AdminClient {
  private constructor(
    private readonly baseUrl: string,
    private readonly token: string
  ) {}

  static async login(baseUrl: string, email: string, password: string): Promise<AdminClient> {
    const { token } = await request<{ token: string }>(baseUrl, "POST", "/auth/user/emailpass", {}, { email, password })
    return new AdminClient(baseUrl, token)
  }

  private call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    return request<T>(this.baseUrl, method, path, { authorization: `Bearer ${this.token}` }, body)
  }

  async transactions(orderId: string): Promise<TransactionSummary[]> {
    return (await this.call<{ data: TransactionSummary[] }>("GET", `/admin/orders/${orderId}/transactions`)).data
  }

  /** `GET /admin/orders/:id/disputes` (the webhook sync's route). */
  async disputes(orderId: string): Promise<DisputeSummary[]> {
    return (await this.call<{ data: DisputeSummary[] }>("GET", `/admin/orders/${orderId}/disputes`)).data
  }

  /** Captures on the order's authorization (`POST …/transactions/:tid/capture`); returns the capture transaction. */
  async capture(orderId: string, data: Record<string, unknown> = {}): Promise<TransactionSummary> {
    const auth = (await this.transactions(orderId)).find((t) => t.transaction_type === "authorize")
    if (!auth) {
      throw new Error(`Order ${orderId} has no authorize transaction.`)
    }
    const path = `/admin/orders/${orderId}/transactions/${auth.id}/capture`
    return (await this.call<{ data: TransactionSummary }>("POST", path, { data })).data
  }
}

/** Polls `check` until it returns a value other than null/undefined/false, or gives up at the deadline (null). */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  { timeoutMs, intervalMs = 1000 }: { timeoutMs: number; intervalMs?: number }
): Promise<T | null> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const value = await check()
      if (value) {
        return value
      }
    } catch {
      // not there yet (e.g. the route answers 404 until it exists)
    }
    if (Date.now() >= deadline) {
      return null
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

export interface DemoTour {
  /** 1. Authorized (Stripe): capture part of it with a custom reference in the widget. */
  captureWithReference: PlacedOrder
  /** 2. Authorized (PayPal): capture it manually (money taken outside PayPal), then mark it as refunded. */
  captureManually: PlacedOrder
  /** 3. Captured through the transactions API, then partly refunded from the Stripe dashboard (the sandbox). */
  dashboardRefund: PlacedOrder & { refundId: string; refundAmountMinor: number }
  /** 4. Captured through the transactions API, then disputed by the buyer's bank (a chargeback, from the sandbox). */
  chargeback: PlacedOrder & { disputeId: string }
}

/**
 * The demo's four orders, each at the step the tour starts from. The dashboard refund and the chargeback happen at the
 * sandbox, which delivers them to the store as signed webhooks (Medusa processes webhooks 5 s after they arrive).
 */
export async function placeDemoOrders(options: {
  baseUrl: string
  store: SeededStoreRefs
  control: SandboxControl
  admin: AdminClient
}): Promise<DemoTour> {
  const { baseUrl, store, control, admin } = options
  const place = (provider: string, email: string, quantity = 1) =>
    placeOrder({ baseUrl, store, control, provider, email, quantity })

  const captureWithReference = await place(STRIPE_PROVIDER, "grace@example.com", 2)
  const captureManually = await place(PAYPAL_PROVIDER, "alan@example.com")

  const refunded = await place(STRIPE_PROVIDER, "edsger@example.com")
  await admin.capture(refunded.orderId, { custom_reference: "INV-DEMO-3" })
  const refundAmountMinor = 1500
  const refund = await control.stripe.dashboardRefund({
    payment_intent: refunded.reference,
    amount: refundAmountMinor,
    reason: "requested_by_customer",
  })

  const disputed = await place(STRIPE_PROVIDER, "barbara@example.com")
  await admin.capture(disputed.orderId, { custom_reference: "INV-DEMO-4" })
  const dispute = await control.stripe.openDispute({ payment_intent: disputed.reference, reason: "fraudulent" })

  return {
    captureWithReference,
    captureManually,
    dashboardRefund: { ...refunded, refundId: refund.id, refundAmountMinor },
    chargeback: { ...disputed, disputeId: dispute.id },
  }
}

/**
 * Whether the sandbox's webhooks reached the order: a refund transaction on the dashboard-refunded order, a dispute on
 * the disputed one. Waits up to `timeoutMs` (Medusa's 5 s webhook delay, then the sync).
 */
export async function checkWebhookDeliveries(
  admin: AdminClient,
  tour: DemoTour,
  timeoutMs: number
): Promise<{ refundSeen: boolean; disputeSeen: boolean }> {
  const [refund, dispute] = await Promise.all([
    waitFor(
      async () =>
        (await admin.transactions(tour.dashboardRefund.orderId)).find((t) => t.transaction_type === "refund") ?? null,
      { timeoutMs }
    ),
    waitFor(async () => (await admin.disputes(tour.chargeback.orderId))[0] ?? null, { timeoutMs }),
  ])
  return { refundSeen: refund !== null, disputeSeen: dispute !== null }
}
