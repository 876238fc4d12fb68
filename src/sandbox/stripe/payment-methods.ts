/** PaymentMethods: test tokens (`pm_card_visa`) become real `pm_…` objects; attaching and detaching them. */
import { TEST_CARDS, isTestToken, type TestCard } from "./cards"
import type { StripeFakeContext } from "./context"
import { invalidRequest, resourceMissing } from "./errors"
import { buildPaymentMethod } from "./objects"
import type { PaymentMethodObject, RequestMeta } from "./state"

export interface ResolvedPaymentMethod {
  pm: PaymentMethodObject
  card: TestCard
}

/**
 * The PaymentMethod for an id given in a request. A test token makes a new `pm_…` each time, as Stripe does; an unknown
 * id is Stripe's 400 `resource_missing` on the `payment_method` parameter.
 */
export function resolvePaymentMethod(
  f: StripeFakeContext,
  id: string,
  param = "payment_method"
): ResolvedPaymentMethod {
  if (isTestToken(id)) {
    const card = TEST_CARDS[id]
    const pm = buildPaymentMethod(card, f.ctx.clock.unix(), null)
    f.state.paymentMethods.set(pm.id, pm)
    f.state.cards.set(pm.id, card)
    return { pm, card }
  }
  const pm = f.state.paymentMethods.get(id)
  const card = f.state.cards.get(id)
  if (!pm || !card) {
    throw invalidRequest(`No such PaymentMethod: '${id}'`, { code: "resource_missing", param })
  }
  return { pm, card }
}

export function requireCustomer(f: StripeFakeContext, id: string, param = "customer") {
  const customer = f.state.customers.get(id)
  if (!customer) {
    if (param === "id") {
      throw resourceMissing("customer", id)
    }
    throw invalidRequest(`No such customer: '${id}'`, { code: "resource_missing", param })
  }
  return customer
}

/** Attaches a PaymentMethod to a customer (a test token is cloned first) and emits `payment_method.attached`. */
export function attachPaymentMethod(
  f: StripeFakeContext,
  resolved: ResolvedPaymentMethod,
  customerId: string,
  meta: RequestMeta
): PaymentMethodObject {
  requireCustomer(f, customerId)
  const { pm } = resolved
  if (pm.customer === customerId) {
    return pm
  }
  if (pm.customer) {
    throw invalidRequest(
      "The payment method you provided has already been attached to a customer. To reuse it with another customer, " +
        "detach it first.",
      { code: "payment_method_unexpected_state", param: "payment_method" }
    )
  }
  pm.customer = customerId
  f.events.emit("payment_method.attached", pm, meta)
  return pm
}

export function detachPaymentMethod(
  f: StripeFakeContext,
  pm: PaymentMethodObject,
  meta: RequestMeta
): PaymentMethodObject {
  if (!pm.customer) {
    throw invalidRequest(`The payment method ${pm.id} is not attached to a customer.`, {
      code: "payment_method_unexpected_state",
    })
  }
  const previous = pm.customer
  pm.customer = null
  const customer = f.state.customers.get(previous)
  if (customer?.invoice_settings.default_payment_method === pm.id) {
    customer.invoice_settings.default_payment_method = null
  }
  f.events.emit("payment_method.detached", pm, meta, { customer: previous })
  return pm
}

/**
 * The types whose PaymentIntent `payment_method_options.<type>.capture_method` accepts `manual` (Stripe API 2026-10-28,
 * as stripe-node 23.1.0 types it: `PaymentIntentCreateParams.PaymentMethodOptions.*.capture_method`).
 */
export const MANUAL_CAPTURE_TYPES: ReadonlySet<string> = new Set([
  "affirm",
  "afterpay_clearpay",
  "alma",
  "amazon_pay",
  "billie",
  "card",
  "cashapp",
  "kakao_pay",
  "klarna",
  "kr_card",
  "link",
  "mobilepay",
  "naver_pay",
  "payco",
  "paypal",
  "revolut_pay",
  "samsung_pay",
  "satispay",
  "scalapay",
  "sequra",
  "sunbit",
])

/** How the intent captures a payment of this method type: its per-type option, else its own capture_method. */
export function captureMethodFor(
  pi: { capture_method: string; payment_method_options: unknown },
  type: string
): string {
  const options = pi.payment_method_options as Record<string, { capture_method?: unknown } | null> | null
  return options?.[type]?.capture_method === "manual" ? "manual" : pi.capture_method
}
