/** Builders for Stripe objects in the shape of API version 2026-10-28 (see node_modules/stripe/cjs/resources/*.d.ts). */
import { randomBytes } from "node:crypto"
import { randomId } from "../core/ids"
import type { TestCard } from "./cards"
import type {
  ChargeObject,
  Json,
  CustomerObject,
  DisputeObject,
  Metadata,
  PaymentIntentObject,
  PaymentMethodObject,
  RefundObject,
  SetupIntentObject,
} from "./state"

/** The statement descriptor the fake pretends is configured on the account. */
export const ACCOUNT_DESCRIPTOR = "SANDBOX"

export function secretFor(id: string): string {
  return `${id}_secret_${randomId("", 25)}`
}

export function buildPaymentIntent(fields: {
  amount: number
  currency: string
  created: number
  captureMethod: string
  /** Defaults to card. */
  paymentMethodTypes?: string[]
  confirmationMethod: string
  customer: string | null
  description: string | null
  metadata: Metadata
  paymentMethod: string | null
  paymentMethodOptions: Record<string, unknown>
  automaticPaymentMethods: Record<string, unknown> | null
  receiptEmail: string | null
  setupFutureUsage: string | null
  shipping: Record<string, unknown> | null
  statementDescriptor: string | null
  statementDescriptorSuffix: string | null
  transferGroup: string | null
  applicationFeeAmount: number | null
}): PaymentIntentObject {
  const id = randomId("pi")
  return {
    id,
    object: "payment_intent",
    amount: fields.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: fields.applicationFeeAmount,
    automatic_payment_methods: fields.automaticPaymentMethods,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: fields.captureMethod,
    client_secret: secretFor(id),
    confirmation_method: fields.confirmationMethod,
    created: fields.created,
    currency: fields.currency,
    customer: fields.customer,
    customer_account: null,
    description: fields.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: fields.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: fields.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: {
      ...Object.fromEntries(
        (fields.paymentMethodTypes ?? ["card"])
          .filter((t) => t !== "card")
          .map((t) => [t, { ...((fields.paymentMethodOptions[t] as Record<string, unknown> | undefined) ?? {}) }])
      ),
      ...((fields.paymentMethodTypes ?? ["card"]).includes("card")
        ? {
            card: {
              installments: null,
              mandate_options: null,
              network: null,
              request_three_d_secure: "automatic",
              ...((fields.paymentMethodOptions.card as Record<string, unknown> | undefined) ?? {}),
            },
          }
        : {}),
    },
    payment_method_types: fields.paymentMethodTypes ?? ["card"],
    payment_record: null,
    processing: null,
    receipt_email: fields.receiptEmail,
    review: null,
    setup_future_usage: fields.setupFutureUsage,
    shipping: fields.shipping,
    source: null,
    statement_descriptor: fields.statementDescriptor,
    statement_descriptor_suffix: fields.statementDescriptorSuffix,
    status: fields.paymentMethod ? "requires_confirmation" : "requires_payment_method",
    transfer_data: null,
    transfer_group: fields.transferGroup,
  }
}

export function cardDetails(card: TestCard): Record<string, unknown> {
  return {
    brand: card.brand,
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
    country: card.country,
    display_brand: card.brand,
    exp_month: 12,
    exp_year: new Date().getUTCFullYear() + 3,
    fingerprint: fingerprintOf(card),
    funding: card.funding,
    generated_from: null,
    last4: card.last4,
    networks: { available: [card.brand], preferred: null },
    regulated_status: "unregulated",
    three_d_secure_usage: { supported: true },
    wallet: null,
  }
}

function fingerprintOf(card: TestCard): string {
  return `sbx${card.brand.slice(0, 2)}${card.last4}${card.funding.slice(0, 1)}`.padEnd(16, "0")
}

export function buildPaymentMethod(card: TestCard, created: number, customer: string | null): PaymentMethodObject {
  const id = randomId("pm")
  return {
    id,
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: { address: emptyAddress(), email: null, name: null, phone: null, tax_id: null },
    card: cardDetails(card),
    created,
    customer,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: "card",
  }
}

export function emptyAddress(): Record<string, null> {
  return { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }
}

export function buildCharge(pi: PaymentIntentObject, pm: PaymentMethodObject, created: number): ChargeObject {
  const id = randomId("ch")
  const card = pm.card ?? {}
  return {
    id,
    object: "charge",
    amount: pi.amount,
    amount_captured: 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: pm.billing_details,
    calculated_statement_descriptor: descriptor(pi.statement_descriptor, pi.statement_descriptor_suffix),
    captured: false,
    created,
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: "approved_by_network",
      reason: null,
      risk_level: "normal",
      risk_score: 32,
      seller_message: "Payment complete.",
      type: "authorized",
    },
    paid: true,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: pm.type === "ideal" ? idealChargeDetails(pm) : cardChargeDetails(pi, card),
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: `https://pay.stripe.com/receipts/payment/${randomId("", 40)}`,
    refunded: false,
    refunds: { object: "list", data: [], has_more: false, total_count: 0, url: `/v1/charges/${id}/refunds` },
    review: null,
    shipping: pi.shipping,
    source: null,
    source_transfer: null,
    statement_descriptor: pi.statement_descriptor,
    statement_descriptor_suffix: pi.statement_descriptor_suffix,
    status: "succeeded",
    transfer_data: null,
    transfer_group: pi.transfer_group,
  }
}

/** What shows on the buyer's statement: the account descriptor plus the suffix (`SANDBOX* ORDER42`). */
export function descriptor(full: string | null, suffix: string | null): string {
  if (full) {
    return full.slice(0, 22).toUpperCase()
  }
  return suffix ? `${ACCOUNT_DESCRIPTOR}* ${suffix}`.slice(0, 22).toUpperCase() : ACCOUNT_DESCRIPTOR
}

export function buildRefund(
  charge: ChargeObject,
  amount: number,
  reason: string | null,
  metadata: Metadata,
  created: number
): RefundObject {
  return {
    id: randomId("re"),
    object: "refund",
    amount,
    balance_transaction: randomId("txn"),
    charge: charge.id,
    created,
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    destination_details: {
      card: {
        reference: randomBytes(6).toString("hex"),
        reference_status: "available",
        reference_type: "acquirer_reference_number",
        type: "refund",
      },
      type: "card",
    },
    metadata,
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  }
}

export const EVIDENCE_FIELDS = [
  "access_activity_log",
  "billing_address",
  "cancellation_policy",
  "cancellation_policy_disclosure",
  "cancellation_rebuttal",
  "customer_communication",
  "customer_email_address",
  "customer_name",
  "customer_purchase_ip",
  "customer_signature",
  "duplicate_charge_documentation",
  "duplicate_charge_explanation",
  "duplicate_charge_id",
  "product_description",
  "receipt",
  "refund_policy",
  "refund_policy_disclosure",
  "refund_refusal_explanation",
  "service_date",
  "service_documentation",
  "shipping_address",
  "shipping_carrier",
  "shipping_date",
  "shipping_documentation",
  "shipping_tracking_number",
  "uncategorized_file",
  "uncategorized_text",
] as const

export function balanceTransaction(amount: number, currency: string, created: number, description: string) {
  return {
    id: randomId("txn"),
    object: "balance_transaction",
    amount,
    available_on: created + 2 * 86400,
    created,
    currency,
    description,
    exchange_rate: null,
    fee: amount < 0 ? 1500 : 0,
    fee_details:
      amount < 0 ? [{ amount: 1500, application: null, currency, description: "Dispute fee", type: "stripe_fee" }] : [],
    net: amount < 0 ? amount - 1500 : amount,
    reporting_category: "dispute",
    source: null,
    status: "available",
    type: "adjustment",
  }
}

export function buildDispute(
  charge: ChargeObject,
  amount: number,
  reason: string,
  created: number,
  card: Record<string, unknown>
): DisputeObject {
  const evidence: Record<string, unknown> = {}
  for (const field of EVIDENCE_FIELDS) {
    evidence[field] = null
  }
  evidence.enhanced_evidence = {}
  return {
    id: randomId("dp"),
    object: "dispute",
    amount,
    balance_transactions: [],
    charge: charge.id,
    created,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence,
    evidence_details: {
      due_by: created + 8 * 86400,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
    },
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: charge.payment_intent,
    payment_method_details: {
      card: {
        brand: card.brand,
        case_type: "chargeback",
        network_reason_code: reason === "fraudulent" ? "10.4" : "13.1",
      },
      type: "card",
    },
    reason,
    status: "needs_response",
  }
}

export function buildCustomer(created: number): CustomerObject {
  const id = randomId("cus", 14)
  return {
    id,
    object: "customer",
    address: null,
    balance: 0,
    created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: randomId("", 8, "0123456789ABCDEF"),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  }
}

export function buildSetupIntent(created: number, fields: Partial<SetupIntentObject>): SetupIntentObject {
  const id = randomId("seti")
  return {
    id,
    object: "setup_intent",
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: secretFor(id),
    created,
    customer: null,
    description: null,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: "automatic" } },
    payment_method_types: ["card"],
    single_use_mandate: null,
    status: "requires_payment_method",
    usage: "off_session",
    ...fields,
  }
}

/** A card charge's `payment_method_details` (the card as authorized). */
function cardChargeDetails(pi: PaymentIntentObject, card: Json): ChargeObject["payment_method_details"] {
  return {
    type: "card",
    card: {
      amount_authorized: pi.amount,
      authorization_code: String(100000 + Math.floor(Math.random() * 900000)),
      brand: card.brand,
      capture_before: null,
      checks: card.checks,
      country: card.country,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      extended_authorization: { status: "disabled" },
      fingerprint: card.fingerprint,
      funding: card.funding,
      incremental_authorization: { status: "unavailable" },
      installments: null,
      last4: card.last4,
      mandate: null,
      // Set when the charge is authorized (payments.ts): `available` only where Stripe would grant multicapture.
      multicapture: { status: "unavailable" },
      network: card.brand,
      network_token: { used: false },
      network_transaction_id: randomBytes(8).toString("hex").toUpperCase().slice(0, 15),
      overcapture: { maximum_amount_capturable: pi.amount, status: "unavailable" },
      regulated_status: "unregulated",
      three_d_secure: null,
      wallet: null,
    },
  }
}

/**
 * An iDEAL charge's `payment_method_details.ideal` (Stripe API reference, Charge object): the buyer's bank and BIC, the
 * last four digits of the IBAN paid from and the account holder's verified name; no reusable SEPA method is generated.
 */
function idealChargeDetails(pm: PaymentMethodObject): ChargeObject["payment_method_details"] {
  const ideal = pm.ideal ?? {}
  return {
    type: "ideal",
    ideal: {
      bank: ideal.bank ?? "ing",
      bic: ideal.bic ?? "INGBNL2A",
      generated_sepa_debit: null,
      generated_sepa_debit_mandate: null,
      iban_last4: "5264",
      transaction_id: null,
      verified_name: "Jenny Rosen",
    },
  }
}

/** The BIC of each iDEAL bank the sandbox knows (Stripe's `ideal[bank]` values). */
export const IDEAL_BANKS: Record<string, string> = {
  abn_amro: "ABNANL2A",
  asn_bank: "ASNBNL21",
  bunq: "BUNQNL2A",
  ing: "INGBNL2A",
  knab: "KNABNL2H",
  rabobank: "RABONL2U",
  regiobank: "RBRBNL21",
  revolut: "REVOLT21",
  sns_bank: "SNSBNL2A",
  triodos_bank: "TRIONL2U",
  van_lanschot: "FVLBNL22",
}

/** An iDEAL PaymentMethod (`type: ideal`), with the buyer's bank when given. */
export function buildIdealPaymentMethod(bank: string | null, created: number): PaymentMethodObject {
  return {
    id: randomId("pm"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: { address: emptyAddress(), email: null, name: null, phone: null, tax_id: null },
    ideal: { bank, bic: bank ? (IDEAL_BANKS[bank] ?? null) : null },
    created,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: "ideal",
  }
}
