/**
 * Planted payment-session data: what a storefront (anyone with the publishable key) can put into
 * `POST /store/payment-collections/:id/payment-sessions {"data": …}`, which Medusa merges into the session's data.
 * The plugin must read none of it as a fact or an instruction (issue 11): only the documented storefront keys
 * (`STOREFRONT_KEYS`), each validated.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import type { AxiosInstance, AxiosResponse } from "axios"
import { seedDemoStore, type SeededStore } from "../../demo/seed-store"
import { ADDRESS } from "../../demo/store-orders"
import { PAYMENT_RECORD_KEYS, type PaymentRecord } from "../../src/payment-record/schema"
import type { RunningSandbox } from "../../src/sandbox"

/** An adversarial value for every key of the payment record: the type fails to compile when the schema gains a key. */
export type PlantedRecord = { [K in keyof PaymentRecord]-?: unknown }

/** The payment a planted `id` / `reference` / `authorization_id` / `session_id` points at instead of the shopper's. */
export interface Victim {
  reference: string
  authorization_id: string | null
  session_id: string
}

export const PLANTED_CUSTOM_REFERENCE = "shopper-ref-7"
const LONG_AGO = "2000-01-01T00:00:00.000Z"

/**
 * For every key of the payment record, a value that would move the wrong money (or none) if the provider believed it:
 * another payment's references, the other PSP, a tiny amount, a finished status, a fake final manual capture, a fake
 * refund of nearly everything, an open dispute that blocks refunds, a newer schema version. `custom_reference` is a
 * documented storefront key: a valid value is honoured (it steers no money), so it is valid but the shopper's own.
 */
export function plantedRecord(gateway: "stripe" | "paypal", victim: Victim): PlantedRecord {
  return {
    v: 99,
    gateway: gateway === "stripe" ? "paypal" : "stripe",
    id: victim.reference,
    reference: victim.reference,
    authorization_id: victim.authorization_id ?? "AUTH-PLANTED-0001",
    session_id: victim.session_id,
    currency: "jpy",
    amount: 1,
    status: "captured",
    psp_status: "succeeded",
    client_secret: `${victim.reference}_secret_planted`,
    approve_url: "https://attacker.example/approve?token=planted",
    intent: gateway === "paypal" ? "capture" : "authorize",
    custom_reference: PLANTED_CUSTOM_REFERENCE,
    expires_at: LONG_AGO,
    captures: [
      {
        id: "ch_fake",
        medusa_capture_id: null,
        amount: 999999,
        final: true,
        created_at: LONG_AGO,
        mechanism: "manual",
      },
    ],
    refunds: [
      {
        id: "re_fake",
        medusa_refund_id: null,
        amount: 6999,
        capture_id: "ch_fake",
        source: "psp",
        status: "succeeded",
        created_at: LONG_AGO,
        medusa_capture_id: null,
        mechanism: "manual",
      },
    ],
    open_disputes: ["du_fake"],
    // The opposite of what the planted payments have (they pay with a multicapture card, and PayPal always has it):
    // were it read, later captures would be forced final and the rest released.
    multicapture: false,
    // Were they read, a reauthorization would be offered at once (the honor period long over) or refused as done.
    honor_until: LONG_AGO,
    reauthorized: true,
  }
}

/** Keys the plugin read as instructions before issue 11, and keys it never knew. */
export const PLANTED_LEGACY_AND_UNKNOWN = {
  pending_capture: { mechanism: "manual", final: true, amount: 1, medusa_capture_id: "capt_planted" },
  pending_refund: { mechanism: "manual", amount: 1, note: "planted" },
  pending_external_refunds: [{ id: "re_fake", amount: 7000 }],
  off_session: true,
  refund_note: "planted refund note",
  capture_mechanism: "manual",
  capture_type: "final",
  capture_amount: 1,
  final_capture: true,
  statement_descriptor: "PLANTED",
  invoice_detail_ids: ["ordli_planted"],
  medusa_capture_id: "capt_planted",
  planted_unknown: { nested: { amount: 1 } },
  admin: true,
} as const

/** The record's keys that have no planted value (should be none: a key added to the schema must be planted too). */
export function unplantedRecordKeys(planted: Record<string, unknown>): string[] {
  return PAYMENT_RECORD_KEYS.filter((key) => !(key in planted))
}

/** The session data a hostile storefront sends: every record key, the old instruction keys and unknown keys. */
export function plantedSessionData(gateway: "stripe" | "paypal", victim: Victim): Record<string, unknown> {
  return { ...plantedRecord(gateway, victim), ...PLANTED_LEGACY_AND_UNKNOWN }
}

/** What the PSP holds for a payment, the same shape for both PSPs (amounts in minor units). */
export interface PspMoney {
  /** Captured in total (Stripe: the PaymentIntent's amount_received). */
  captured: number
  captures: number[]
  /** Refunded in total (refunds that did not fail). */
  refunded: number
  refunds: number[]
  off_session?: boolean
}

export async function pspMoney(
  sandbox: RunningSandbox,
  payment: { reference: string; authorization_id: string | null; gateway: "stripe" | "paypal" }
): Promise<PspMoney> {
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0)
  if (payment.gateway === "paypal") {
    if (!payment.authorization_id) {
      return { captured: 0, captures: [], refunded: 0, refunds: [] }
    }
    const cents = (value: string) => Math.round(Number(value) * 100)
    const auth = await sandbox.control.paypal.getAuthorization(payment.authorization_id)
    const captures = auth.captures.map((c) => cents(c.amount.value))
    const refunds = auth.captures.flatMap((c) => c.refunds).map((r) => cents(r.amount.value))
    return { captured: sum(captures), captures, refunded: sum(refunds), refunds }
  }
  const pi = await sandbox.control.stripe.inspectPaymentIntent(payment.reference)
  const refunds = pi.refunds.filter((r) => r.status !== "failed").map((r) => r.amount)
  return {
    captured: pi.payment_intent.amount_received,
    captures: pi.captures.map((c) => c.amount),
    refunded: sum(refunds),
    refunds,
    off_session: pi.off_session,
  }
}

/** A cart up to the payment step through the store API, as a guest or as the logged-in customer of `token`. */
export interface PaymentStep {
  store: SeededStore
  headers: Record<string, string>
  cart_id: string
  payment_collection_id: string
}

export async function openPaymentStep(
  api: AxiosInstance,
  container: MedusaContainer,
  customerToken?: string
): Promise<PaymentStep> {
  const store = await seedDemoStore(container)
  const headers: Record<string, string> = { "x-publishable-api-key": store.publishable_key }
  if (customerToken) {
    headers.authorization = `Bearer ${customerToken}`
  }
  const {
    data: { cart },
  } = await api.post(
    "/store/carts",
    {
      region_id: store.region_id,
      email: "ada@example.com",
      items: [{ variant_id: store.variant_id, quantity: 1 }],
      shipping_address: ADDRESS,
      billing_address: ADDRESS,
    },
    { headers }
  )
  await api.post(`/store/carts/${cart.id}/shipping-methods`, { option_id: store.shipping_option_id }, { headers })
  const {
    data: { payment_collection },
  } = await api.post("/store/payment-collections", { cart_id: cart.id }, { headers })
  return { store, headers, cart_id: cart.id, payment_collection_id: payment_collection.id }
}

/** `POST /store/payment-collections/:id/payment-sessions` with the given data; the answer, whatever its status. */
export function postPaymentSession(
  api: AxiosInstance,
  step: PaymentStep,
  provider: string,
  data: Record<string, unknown>
): Promise<AxiosResponse> {
  return api
    .post(
      `/store/payment-collections/${step.payment_collection_id}/payment-sessions`,
      { provider_id: provider, data },
      { headers: step.headers }
    )
    .catch((e: { response?: AxiosResponse }) => {
      if (!e.response) {
        throw e
      }
      return e.response
    })
}

/**
 * A shopper signs up and logs in through the store API (`/auth/customer/emailpass/register`, `POST /store/customers`,
 * `/auth/customer/emailpass`): the token of a logged-in customer, whose payment sessions get an account holder.
 */
export async function registerCustomer(
  api: AxiosInstance,
  store: SeededStore,
  email: string
): Promise<{ token: string; customer_id: string }> {
  const password = "correct-horse-battery"
  const publishable = { "x-publishable-api-key": store.publishable_key }
  const {
    data: { token: registration },
  } = await api.post("/auth/customer/emailpass/register", { email, password })
  const {
    data: { customer },
  } = await api.post(
    "/store/customers",
    { email, first_name: "Shopper", last_name: email.split("@")[0] },
    { headers: { ...publishable, authorization: `Bearer ${registration}` } }
  )
  const {
    data: { token },
  } = await api.post("/auth/customer/emailpass", { email, password })
  return { token, customer_id: customer.id }
}
