/** PaymentMethods: test tokens (`pm_card_visa`) become real `pm_…` objects; attaching and detaching them. */
import { TEST_CARDS, isTestToken, type TestCard } from "./cards"
import type { StripeFakeContext } from "./context"
import { invalidRequest, resourceMissing } from "./errors"
import { buildIdealPaymentMethod, buildPaymentMethod, IDEAL_BANKS } from "./objects"
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
  if (pm && pm.type !== "card") {
    throw invalidRequest(
      `The PaymentMethod ${id} is of type ${pm.type}, which cannot be saved or set up for later payments: ` +
        "only a card PaymentMethod can be used here.",
      { param }
    )
  }
  if (!pm || !card) {
    throw invalidRequest(`No such PaymentMethod: '${id}'`, { code: "resource_missing", param })
  }
  return { pm, card }
}

/** A PaymentMethod a PaymentIntent can be paid with: a card (with its test behaviour) or a redirect method (no card). */
export type PayingMethod = ResolvedPaymentMethod | { pm: PaymentMethodObject; card: null }

/** The PaymentMethod for an id given to a PaymentIntent: a card as {@link resolvePaymentMethod}, or an iDEAL one. */
export function resolvePayingMethod(f: StripeFakeContext, id: string, param = "payment_method"): PayingMethod {
  const pm = isTestToken(id) ? undefined : f.state.paymentMethods.get(id)
  if (pm && pm.type !== "card") {
    return { pm, card: null }
  }
  return resolvePaymentMethod(f, id, param)
}

/**
 * Payment method types that send the buyer to their bank's page (`next_action.redirect_to_url`), so a confirm needs a
 * `return_url` (Stripe API reference, "Confirm a PaymentIntent", `return_url`; "Accept an iDEAL payment").
 */
export const REDIRECT_TYPES: ReadonlySet<string> = new Set(["ideal"])

/** The currencies each redirect method takes (Stripe docs, iDEAL: "Supported currencies: eur"). */
export const REDIRECT_CURRENCIES: Readonly<Record<string, readonly string[]>> = { ideal: ["eur"] }

/**
 * A new iDEAL PaymentMethod from `payment_method_data` or `POST /v1/payment_methods` (`type=ideal`, optional
 * `ideal[bank]`, one of Stripe's bank names). Stored, never attached: iDEAL PaymentMethods are single-use.
 */
export function createIdealPaymentMethod(
  f: StripeFakeContext,
  data: Record<string, unknown>,
  param: string
): PaymentMethodObject {
  const name = (...keys: string[]) =>
    param
      ? `${param}${keys.map((k) => `[${k}]`).join("")}`
      : `${keys[0]}${keys
          .slice(1)
          .map((k) => `[${k}]`)
          .join("")}`
  const ideal = (data.ideal ?? {}) as Record<string, unknown>
  if (typeof ideal !== "object" || Array.isArray(ideal)) {
    throw invalidRequest("Invalid object", { param: name("ideal") })
  }
  const unknown = Object.keys(ideal).filter((k) => k !== "bank")
  if (unknown.length > 0) {
    throw invalidRequest(`Received unknown parameter: ${name("ideal", unknown[0])}`, {
      param: name("ideal", unknown[0]),
    })
  }
  const bank = ideal.bank === undefined || ideal.bank === "" ? null : String(ideal.bank)
  if (bank !== null && !(bank in IDEAL_BANKS)) {
    throw invalidRequest(`Invalid ${name("ideal", "bank")}: must be one of ${Object.keys(IDEAL_BANKS).join(", ")}.`, {
      param: name("ideal", "bank"),
    })
  }
  const pm = buildIdealPaymentMethod(bank, f.ctx.clock.unix())
  const billing = data.billing_details as Record<string, unknown> | undefined
  if (billing && typeof billing === "object") {
    pm.billing_details = { ...pm.billing_details, ...billing }
  }
  f.state.paymentMethods.set(pm.id, pm)
  return pm
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
