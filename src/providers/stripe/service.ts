import type {
  CreateAccountHolderInput,
  CreateAccountHolderOutput,
  DeleteAccountHolderInput,
  DeleteAccountHolderOutput,
  DeletePaymentMethodInput,
  DeletePaymentMethodOutput,
  ListPaymentMethodsInput,
  ListPaymentMethodsOutput,
  Logger,
  PaymentCustomerDTO,
  ProviderWebhookPayload,
  RetrieveAccountHolderInput,
  RetrieveAccountHolderOutput,
  SavePaymentMethodInput,
  SavePaymentMethodOutput,
  UpdateAccountHolderInput,
  UpdateAccountHolderOutput,
  WebhookActionResult,
} from "@medusajs/framework/types"
import { MedusaError, PaymentActions } from "@medusajs/framework/utils"
import type Stripe from "stripe"
import { createStripeClient } from "../../gateways/stripe/stripe-client"
import { StripeGateway, type StripeCustomerInput } from "../../gateways/stripe/stripe-gateway"
import { fromMinorUnits } from "../../utils/money"
import { parseProviderOptions } from "../../utils/options"
import { rawWebhookBody } from "../../utils/webhook-body"
import { OrchestratorProvider } from "../provider-base"
import {
  WebhookVerificationError,
  type PspEventKind,
  type PspPaymentLocation,
  type VerifiedPspEvent,
} from "../webhook-sync-types"
import { stripeOptionsSchema, type StripeOptions, type StripeOptionsInput } from "./options"
import {
  hasPerMethodManualCapture,
  savedPaymentMethodSummary,
  type StripePaymentMethodChoice,
} from "../../gateways/stripe/stripe-payment-methods"

/** Stripe's PaymentIntent events that drive Medusa's own authorize/capture flow, and the action each means. */
const INTENT_ACTIONS: Record<string, { action: PaymentActions; amount: (pi: Stripe.PaymentIntent) => number }> = {
  "payment_intent.amount_capturable_updated": {
    action: PaymentActions.AUTHORIZED,
    amount: (pi) => pi.amount_capturable,
  },
  "payment_intent.succeeded": { action: PaymentActions.SUCCESSFUL, amount: (pi) => pi.amount_received },
  "payment_intent.canceled": { action: PaymentActions.CANCELED, amount: (pi) => pi.amount },
  "payment_intent.payment_failed": { action: PaymentActions.FAILED, amount: (pi) => pi.amount },
  "payment_intent.requires_action": { action: PaymentActions.REQUIRES_MORE, amount: (pi) => pi.amount },
  "payment_intent.processing": { action: PaymentActions.PENDING, amount: (pi) => pi.amount },
}

/**
 * Stripe's events that the webhook sync acts on: refunds made at Stripe (the dashboard, the API of another system) and
 * chargebacks. `charge.refund.updated` is the pre-2024 name of `refund.updated`; Stripe still sends it to older
 * endpoints, and acting on it twice is harmless (the sync reads the refunds again).
 */
const SYNCED_EVENTS: Record<string, PspEventKind> = {
  "charge.refunded": "refund",
  "refund.created": "refund",
  "refund.updated": "refund",
  "refund.failed": "refund",
  "charge.refund.updated": "refund",
  "charge.dispute.created": "dispute",
  "charge.dispute.updated": "dispute",
  "charge.dispute.closed": "dispute",
  "charge.dispute.funds_withdrawn": "dispute",
  "charge.dispute.funds_reinstated": "dispute",
}

/**
 * Stripe payment provider (`pp_stripe_<id>`): PaymentIntents with manual capture by default, exact partial and
 * multiple captures, refunds that keep their Stripe ids, signed webhooks.
 */
export class StripeProviderService extends OrchestratorProvider<StripeOptions> {
  static identifier = "stripe"
  protected readonly gatewayName = "stripe" as const
  protected readonly gateway: StripeGateway
  readonly stripe: Stripe

  static validateOptions(options: Record<string, unknown>): void {
    parseProviderOptions(stripeOptionsSchema, options, "Stripe")
  }

  constructor(cradle: Record<string, unknown> & { logger?: Logger }, options: StripeOptionsInput) {
    const parsed = parseProviderOptions(stripeOptionsSchema, options, "Stripe")
    super(cradle, parsed)
    if (!parsed.webhookSecret) {
      this.logger?.warn(
        "Stripe provider: no webhookSecret option, so every Stripe webhook will be rejected. Set it to the endpoint's signing secret (whsec_…)."
      )
    }
    this.stripe = createStripeClient(parsed)
    this.gateway = new StripeGateway(this.stripe, {
      payment_methods: paymentMethodChoice(parsed),
      description: parsed.paymentDescription ?? null,
    })
  }

  protected defaultStatementDescriptor(): string | undefined {
    return this.config.statementDescriptor
  }

  /**
   * Account holder = a Stripe customer for the Medusa customer (`external_id` = `cus_…`); its data is what
   * `initiatePayment` reads (`context.account_holder.data.id`) to pay with the customer's saved methods.
   */
  async createAccountHolder({ context }: CreateAccountHolderInput): Promise<CreateAccountHolderOutput> {
    const existing = customerIdOf(context.account_holder)
    if (existing) {
      return { id: existing, data: context.account_holder!.data }
    }
    const { customer } = context
    // No fixed idempotency key: Medusa's (the customer id) would replay a deleted customer if the holder is
    // recreated within 24 h; the SDK still retries this call with one key of its own.
    const created = await this.call("create the customer", () => this.gateway.createCustomer(customerInput(customer)))
    return { id: created.id, data: customerData(created) }
  }

  async retrieveAccountHolder({ id }: RetrieveAccountHolderInput): Promise<RetrieveAccountHolderOutput> {
    const customer = await this.call("retrieve the customer", () => this.gateway.retrieveCustomer(id))
    return { id: customer.id, data: customerData(customer) }
  }

  async updateAccountHolder({ context }: UpdateAccountHolderInput): Promise<UpdateAccountHolderOutput> {
    const id = requireCustomerId(context.account_holder)
    if (!context.customer) {
      return { data: context.account_holder.data }
    }
    const customer = await this.call("update the customer", () =>
      this.gateway.updateCustomer(id, customerInput(context.customer!))
    )
    return { data: customerData(customer) }
  }

  async deleteAccountHolder({ context }: DeleteAccountHolderInput): Promise<DeleteAccountHolderOutput> {
    const holder = context.account_holder
    const id = holder.external_id ?? customerIdOf(holder as { data?: Record<string, unknown> })
    if (!id) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "The account holder has no Stripe customer id to delete.")
    }
    await this.call("delete the customer", () => this.gateway.deleteCustomer(id))
    return {}
  }

  async listPaymentMethods({ context }: ListPaymentMethodsInput): Promise<ListPaymentMethodsOutput> {
    const customer = requireCustomerId(context?.account_holder)
    const methods = await this.call("list the saved payment methods", () => this.gateway.listPaymentMethods(customer))
    return methods.map((pm) => ({ id: pm.id, data: { ...savedPaymentMethodSummary(pm) } }))
  }

  /**
   * Saves a card for later off-session payments (SetupIntent, usage off_session). With `data.payment_method` it is
   * confirmed at once and the answer's id is the saved `pm_…`; otherwise, or while 3-D Secure is pending, the id is
   * the SetupIntent's and `data.client_secret` lets Stripe.js finish it.
   */
  async savePaymentMethod({ data, context }: SavePaymentMethodInput): Promise<SavePaymentMethodOutput> {
    const customer = requireCustomerId(context?.account_holder)
    const input = (data ?? {}) as Record<string, unknown>
    const paymentMethod = typeof input.payment_method === "string" ? input.payment_method : undefined
    const intent = await this.call("save the payment method", () =>
      this.gateway.setupPaymentMethod({
        customer,
        payment_method: paymentMethod,
        idempotency_key: context?.idempotency_key ? `save-pm-${context.idempotency_key}` : undefined,
      })
    )
    const savedId = typeof intent.payment_method === "string" ? intent.payment_method : intent.payment_method?.id
    return {
      id: intent.status === "succeeded" && savedId ? savedId : intent.id,
      data: {
        setup_intent_id: intent.id,
        status: intent.status,
        client_secret: intent.client_secret,
        payment_method: savedId ?? null,
        customer,
        next_action: intent.next_action ?? null,
      },
    }
  }

  async deletePaymentMethod({ data }: DeletePaymentMethodInput): Promise<DeletePaymentMethodOutput> {
    const pm = await this.call("delete the saved payment method", () => this.gateway.detachPaymentMethod(data.id))
    return { data: pm as unknown as Record<string, unknown> }
  }

  /** Verifies `Stripe-Signature` (HMAC with timestamp tolerance) over the raw body; throws when it does not match. */
  constructWebhookEvent(payload: ProviderWebhookPayload["payload"]): Stripe.Event {
    if (!this.config.webhookSecret) {
      throw new Error("no webhookSecret is configured, so the event's signature cannot be verified")
    }
    const signature = payload.headers["stripe-signature"]
    if (typeof signature !== "string" || !signature) {
      throw new Error("the request has no Stripe-Signature header")
    }
    return this.stripe.webhooks.constructEvent(rawWebhookBody(payload.rawData), signature, this.config.webhookSecret)
  }

  syncedEventKind(payload: ProviderWebhookPayload["payload"]): PspEventKind | null {
    const type = (payload.data as { type?: unknown } | undefined)?.type
    return typeof type === "string" ? (SYNCED_EVENTS[type] ?? null) : null
  }

  /** Verifies `Stripe-Signature` (HMAC, 300 s timestamp tolerance) and reduces the event to the ids it names. */
  async verifyWebhookEvent(payload: ProviderWebhookPayload["payload"]): Promise<VerifiedPspEvent | null> {
    let event: Stripe.Event
    try {
      event = this.constructWebhookEvent(payload)
    } catch (e) {
      throw new WebhookVerificationError((e as Error).message)
    }
    const kind = SYNCED_EVENTS[event.type]
    if (!kind) {
      return null
    }
    const object = event.data.object as unknown as Record<string, unknown>
    const type = object.object
    const chargeId = type === "charge" ? stringId(object.id) : stringId(object.charge)
    return {
      gateway: "stripe",
      event_id: event.id,
      type: event.type,
      kind,
      object_id: stringId(object.id),
      payment_reference: stringId(object.payment_intent),
      session_id: null,
      capture_id: chargeId,
      dispute_id: type === "dispute" ? stringId(object.id) : null,
    }
  }

  /**
   * The Medusa payment of a charge, refund or dispute: its `payment_intent` (read from the dispute when the event
   * lacks it), then the plugin's reference index, else the PaymentIntent's `metadata.session_id` (read now).
   */
  async locatePspPayment(event: VerifiedPspEvent): Promise<PspPaymentLocation> {
    const reference =
      event.payment_reference ??
      (event.dispute_id ? (await this.retrievePspDispute(event.dispute_id)).payment_reference : null)
    if (!reference) {
      return { reference: null, session_id: null }
    }
    return (await this.sessionOfReference([reference], reference)) ?? { reference, session_id: null }
  }

  protected async webhookAction(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    const event = this.constructWebhookEvent(payload)
    const mapping = INTENT_ACTIONS[event.type]
    if (!mapping) {
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    const intent = event.data.object as Stripe.PaymentIntent
    const sessionId = intent.metadata?.session_id
    if (!sessionId) {
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    // An authorization that lapsed is not a merchant's cancel: Elastic Path keeps it until the merchant cancels it.
    if (mapping.action === PaymentActions.CANCELED && intent.cancellation_reason === "expired") {
      this.logger?.warn(
        `[stripe] the authorization of ${intent.id} expired before it was captured: cancel the order's payment in Medusa and ask the customer to pay again.`
      )
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    // With manual capture, Medusa drives every capture itself (exact amounts); the event would only repeat it. Where
    // only some methods are captured manually (per-method capture), the method paid with tells.
    if (
      mapping.action === PaymentActions.SUCCESSFUL &&
      (intent.capture_method === "manual" ||
        (hasPerMethodManualCapture(intent) && !(await this.gateway.wasCapturedAtPayment(intent.id))))
    ) {
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    return {
      action: mapping.action,
      data: { session_id: sessionId, amount: fromMinorUnits(mapping.amount(intent), intent.currency) },
    }
  }
}

/** The payment methods the options ask for; null leaves Stripe's default. */
function paymentMethodChoice(options: StripeOptions): StripePaymentMethodChoice | null {
  if (options.paymentMethodTypes) {
    return { automatic: false, types: options.paymentMethodTypes }
  }
  const automatic = options.automaticPaymentMethods
  if (automatic === undefined || automatic === false) {
    return null
  }
  return automatic === true ? { automatic: true } : { automatic: true, allow_redirects: automatic.allowRedirects }
}

/** An id whether Stripe sent the object expanded or as its id. */
function stringId(value: unknown): string | null {
  if (typeof value === "string" && value) {
    return value
  }
  const id = (value as { id?: unknown } | null | undefined)?.id
  return typeof id === "string" && id ? id : null
}

function customerInput(customer: PaymentCustomerDTO): StripeCustomerInput {
  const name = [customer.first_name, customer.last_name].filter(Boolean).join(" ") || customer.company_name || null
  return {
    email: customer.email,
    name,
    phone: customer.phone ?? customer.billing_address?.phone ?? null,
    metadata: { medusa_customer_id: customer.id },
  }
}

/** What Medusa stores as the account holder's data: the customer's id and contact, no payment details. */
function customerData(customer: Stripe.Customer): Record<string, unknown> {
  return {
    id: customer.id,
    email: customer.email ?? null,
    name: customer.name ?? null,
    phone: customer.phone ?? null,
    metadata: customer.metadata ?? {},
    invoice_settings: { default_payment_method: customer.invoice_settings?.default_payment_method ?? null },
  }
}

function customerIdOf(holder: { data?: Record<string, unknown> } | undefined): string | undefined {
  const id = holder?.data?.id
  return typeof id === "string" && id.startsWith("cus_") ? id : undefined
}

function requireCustomerId(holder: { data?: Record<string, unknown> } | undefined): string {
  const id = customerIdOf(holder)
  if (!id) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "No Stripe customer for this request: create an account holder for the customer with the Stripe provider first."
    )
  }
  return id
}

export default StripeProviderService
