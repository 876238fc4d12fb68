/** The Stripe fake's in-memory state: every object it has created, keyed by id. */
import type { TestCard } from "./cards"

export type Json = Record<string, unknown>
export type Metadata = Record<string, string>

export type PaymentIntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "requires_capture"
  | "canceled"
  | "succeeded"

/** A Stripe `PaymentIntent` (API version 2026-10-28), the fields the fake keeps up to date. */
export interface PaymentIntentObject {
  id: string
  object: "payment_intent"
  amount: number
  amount_capturable: number
  amount_details: Json
  amount_received: number
  application: null
  application_fee_amount: number | null
  automatic_payment_methods: Json | null
  canceled_at: number | null
  cancellation_reason: string | null
  capture_method: string
  client_secret: string
  confirmation_method: string
  created: number
  currency: string
  customer: string | null
  customer_account: null
  description: string | null
  excluded_payment_method_types: null
  last_payment_error: Json | null
  latest_charge: string | null
  livemode: false
  managed_payments: null
  metadata: Metadata
  next_action: Json | null
  on_behalf_of: null
  payment_method: string | null
  payment_method_configuration_details: null
  payment_method_options: Json
  payment_method_types: string[]
  payment_record: null
  processing: null
  receipt_email: string | null
  review: null
  setup_future_usage: string | null
  shipping: Json | null
  source: null
  statement_descriptor: string | null
  statement_descriptor_suffix: string | null
  status: PaymentIntentStatus
  transfer_data: null
  transfer_group: string | null
}

/** One capture made on an intent (the sandbox's own record, for tests asserting what happened at the PSP). */
export interface CaptureRecord {
  amount: number
  final: boolean
  statement_descriptor_suffix: string | null
  metadata: Metadata
  captured_at: number
  request_id: string | null
  idempotency_key: string | null
}

export interface IntentRecord {
  pi: PaymentIntentObject
  captures: CaptureRecord[]
  offSession: boolean
  returnUrl: string | null
  /** Unix seconds after which the authorization lapses (set when the card is authorized for manual capture). */
  captureBefore: number | null
}

export interface RefundList {
  object: "list"
  data: RefundObject[]
  has_more: boolean
  total_count: number
  url: string
}

export interface ChargeObject {
  id: string
  object: "charge"
  amount: number
  amount_captured: number
  amount_refunded: number
  application: null
  application_fee: null
  application_fee_amount: null
  balance_transaction: string | null
  billing_details: Json
  calculated_statement_descriptor: string | null
  captured: boolean
  created: number
  currency: string
  customer: string | null
  description: string | null
  disputed: boolean
  failure_balance_transaction: null
  failure_code: string | null
  failure_message: string | null
  fraud_details: Json
  livemode: false
  metadata: Metadata
  on_behalf_of: null
  outcome: Json | null
  paid: boolean
  payment_intent: string
  payment_method: string
  /** A card charge carries `card`; an iDEAL charge `ideal` (then `card` is absent). */
  payment_method_details: { type: "card"; card: Json } | { type: "ideal"; ideal: Json; card?: undefined }
  receipt_email: string | null
  receipt_number: null
  receipt_url: string
  refunded: boolean
  refunds: RefundList
  review: null
  shipping: Json | null
  source: null
  source_transfer: null
  statement_descriptor: string | null
  statement_descriptor_suffix: string | null
  status: "succeeded" | "pending" | "failed"
  transfer_data: null
  transfer_group: string | null
}

export interface RefundObject {
  id: string
  object: "refund"
  amount: number
  balance_transaction: string | null
  charge: string
  created: number
  currency: string
  customer: string | null
  customer_account: null
  description?: string
  destination_details: Json
  failure_balance_transaction?: string
  failure_reason?: string
  metadata: Metadata
  payment_intent: string
  payment_method: string
  reason: string | null
  receipt_number: null
  source_transfer_reversal: null
  status: "pending" | "requires_action" | "succeeded" | "failed" | "canceled"
  transfer_reversal: null
}

export type DisputeStatus =
  | "warning_needs_response"
  | "warning_under_review"
  | "warning_closed"
  | "needs_response"
  | "under_review"
  | "won"
  | "lost"

export interface DisputeObject {
  id: string
  object: "dispute"
  amount: number
  balance_transactions: Json[]
  charge: string
  created: number
  currency: string
  enhanced_eligibility_types: string[]
  evidence: Record<string, unknown>
  evidence_details: {
    due_by: number | null
    enhanced_eligibility: Json
    has_evidence: boolean
    past_due: boolean
    submission_count: number
  }
  intended_submission_method: null
  is_charge_refundable: boolean
  livemode: false
  metadata: Metadata
  payment_intent: string
  payment_method_details: Json
  reason: string
  status: DisputeStatus
}

export interface CustomerObject {
  id: string
  object: "customer"
  address: Json | null
  balance: number
  created: number
  currency: string | null
  default_source: null
  delinquent: boolean
  description: string | null
  discount: null
  email: string | null
  invoice_prefix: string
  invoice_settings: {
    custom_fields: null
    default_payment_method: string | null
    footer: null
    rendering_options: null
  }
  livemode: false
  metadata: Metadata
  name: string | null
  next_invoice_sequence: number
  phone: string | null
  preferred_locales: string[]
  shipping: Json | null
  tax_exempt: "none"
  test_clock: null
}

export interface PaymentMethodObject {
  id: string
  object: "payment_method"
  allow_redisplay: string
  billing_details: Json
  /** Set for type card. */
  card?: Json
  /** Set for type ideal (`bank`, `bic`). */
  ideal?: Json
  created: number
  customer: string | null
  customer_account: null
  livemode: false
  metadata: Metadata
  type: "card" | "ideal"
}

export interface SetupIntentObject {
  id: string
  object: "setup_intent"
  application: null
  automatic_payment_methods: Json | null
  cancellation_reason: string | null
  client_secret: string
  created: number
  customer: string | null
  description: string | null
  excluded_payment_method_types: null
  flow_directions: null
  last_setup_error: Json | null
  latest_attempt: string | null
  livemode: false
  mandate: null
  metadata: Metadata
  next_action: Json | null
  on_behalf_of: null
  payment_method: string | null
  payment_method_configuration_details: null
  payment_method_options: Json
  payment_method_types: string[]
  single_use_mandate: null
  status: PaymentIntentStatus
  usage: string
}

export interface EventObject {
  id: string
  object: "event"
  api_version: string
  created: number
  data: { object: unknown; previous_attributes?: Json }
  livemode: false
  pending_webhooks: number
  request: { id: string | null; idempotency_key: string | null }
  type: string
}

/** Who caused a change: an API request (its id and idempotency key) or Stripe itself / the dashboard (null). */
export interface RequestMeta {
  requestId: string | null
  idempotencyKey: string | null
}

export const AUTOMATIC: RequestMeta = { requestId: null, idempotencyKey: null }

export class StripeState {
  readonly intents = new Map<string, IntentRecord>()
  readonly charges = new Map<string, ChargeObject>()
  readonly refunds = new Map<string, RefundObject>()
  readonly disputes = new Map<string, DisputeObject>()
  readonly customers = new Map<string, CustomerObject>()
  readonly deletedCustomers = new Set<string>()
  readonly paymentMethods = new Map<string, PaymentMethodObject>()
  /** The test card behind each PaymentMethod (declines, 3-D Secure). */
  readonly cards = new Map<string, TestCard>()
  readonly setupIntents = new Map<string, SetupIntentObject>()
  readonly events: EventObject[] = []

  reset(): void {
    this.intents.clear()
    this.charges.clear()
    this.refunds.clear()
    this.disputes.clear()
    this.customers.clear()
    this.deletedCustomers.clear()
    this.paymentMethods.clear()
    this.cards.clear()
    this.setupIntents.clear()
    this.events.length = 0
  }

  counts(): Record<string, number> {
    return {
      payment_intents: this.intents.size,
      charges: this.charges.size,
      refunds: this.refunds.size,
      disputes: this.disputes.size,
      customers: this.customers.size,
      payment_methods: this.paymentMethods.size,
      setup_intents: this.setupIntents.size,
      events: this.events.length,
    }
  }
}
