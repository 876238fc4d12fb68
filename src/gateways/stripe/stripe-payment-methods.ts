import type Stripe from "stripe"

/**
 * Payment method types whose PaymentIntent `payment_method_options.<type>.capture_method` accepts `manual`: the methods
 * Stripe can authorize now and capture later. Source: stripe-node 23.1.0 (API version 2026-10-28),
 * `PaymentIntentCreateParams.PaymentMethodOptions.*.capture_method?: Emptyable<'manual'>` (card_present has its own
 * values and is not an online method). Every other type (iDEAL, Bancontact, SEPA Debit, …) is captured at once.
 */
export const MANUAL_CAPTURE_TYPES = [
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
] as const satisfies readonly (keyof Stripe.PaymentIntentCreateParams.PaymentMethodOptions)[]

const MANUAL = new Set<string>(MANUAL_CAPTURE_TYPES)

/** Whether Stripe can capture a payment of this method type later (manual capture). */
export function supportsManualCapture(type: string): boolean {
  return MANUAL.has(type)
}

/** Which payment methods the Payment Element offers: Stripe's automatic choice, or an explicit list. */
export type StripePaymentMethodChoice =
  { automatic: true; allow_redirects?: "always" | "never" } | { automatic: false; types: string[] }

type MethodParams = Pick<
  Stripe.PaymentIntentCreateParams,
  "capture_method" | "automatic_payment_methods" | "allowed_payment_method_types" | "payment_method_options"
>

/**
 * The PaymentIntent parameters for the methods offered and the capture wanted. With manual capture:
 * - automatic methods: `capture_method: manual`, so Stripe offers only the methods it can capture later;
 * - an explicit list holding a method that cannot be captured later: `capture_method: automatic` with
 *   `payment_method_options.<type>.capture_method: manual` for each method that can, so that card (and the other
 *   manual-capture methods) are only authorized and the others are captured at once (Stripe's per-method capture).
 * Cards ask for multicapture when it is available.
 */
export function paymentMethodParams(
  choice: StripePaymentMethodChoice | null,
  capture: "automatic" | "manual"
): MethodParams {
  const multicapture = { request_multicapture: "if_available" as const }
  if (!choice) {
    // Nothing configured: Stripe's own default (automatic methods on API versions since 2023-08-16), as before.
    return {
      capture_method: capture,
      ...(capture === "manual" ? { payment_method_options: { card: multicapture } } : {}),
    }
  }
  if (choice.automatic) {
    return {
      capture_method: capture,
      automatic_payment_methods: {
        enabled: true,
        ...(choice.allow_redirects ? { allow_redirects: choice.allow_redirects } : {}),
      },
      ...(capture === "manual" ? { payment_method_options: { card: multicapture } } : {}),
    }
  }
  const types = [...new Set(choice.types)]
  const allowed = types as Stripe.PaymentIntentCreateParams.AllowedPaymentMethodType[]
  if (capture === "automatic") {
    return { capture_method: "automatic", allowed_payment_method_types: allowed }
  }
  const immediate = types.filter((t) => !supportsManualCapture(t))
  const card = types.includes("card") ? { card: multicapture } : {}
  if (immediate.length === 0) {
    return { capture_method: "manual", allowed_payment_method_types: allowed, payment_method_options: card }
  }
  const options: Record<string, Record<string, unknown>> = {}
  for (const type of types.filter(supportsManualCapture)) {
    options[type] = { capture_method: "manual", ...(type === "card" ? multicapture : {}) }
  }
  return {
    capture_method: "automatic",
    allowed_payment_method_types: allowed,
    payment_method_options: options as Stripe.PaymentIntentCreateParams.PaymentMethodOptions,
  }
}

/** The type of the method the intent was paid with (its latest charge, expanded), or null. */
export function paidMethodType(intent: Stripe.PaymentIntent): string | null {
  const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null
  return charge?.payment_method_details?.type ?? null
}

/**
 * Whether the intent's money is captured when the buyer pays (no later capture): the intent's capture method is
 * automatic and the options of the method used do not make it manual.
 */
export function capturedAtOnce(intent: Stripe.PaymentIntent, methodType: string | null): boolean {
  if (intent.capture_method === "manual") {
    return false
  }
  const options = intent.payment_method_options as Record<string, { capture_method?: string } | null> | null
  return !(methodType && options?.[methodType]?.capture_method === "manual")
}

/** Whether some method of the intent is captured manually though the intent's own capture method is automatic. */
export function hasPerMethodManualCapture(intent: Stripe.PaymentIntent): boolean {
  if (intent.capture_method === "manual") {
    return false
  }
  const options = intent.payment_method_options as Record<string, { capture_method?: string } | null> | null
  return Object.values(options ?? {}).some((o) => o?.capture_method === "manual")
}

/** What a storefront may show of a saved payment method: never its billing details, fingerprint or metadata. */
export interface SavedPaymentMethodSummary {
  type: string
  customer: string | null
  card: { brand: string; last4: string; exp_month: number; exp_year: number } | null
}

/** A saved Stripe PaymentMethod as a storefront shows it ("Visa ending 4242, 12/34"). */
export function savedPaymentMethodSummary(pm: Stripe.PaymentMethod): SavedPaymentMethodSummary {
  const customer = typeof pm.customer === "string" ? pm.customer : (pm.customer?.id ?? null)
  const card = pm.card
    ? { brand: pm.card.brand, last4: pm.card.last4, exp_month: pm.card.exp_month, exp_year: pm.card.exp_year }
    : null
  return { type: pm.type, customer, card }
}
