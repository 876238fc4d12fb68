import type Stripe from "stripe"
import type {
  CapturePaymentInput,
  CreatePaymentInput,
  GatewayCapture,
  GatewayDispute,
  GatewayPayment,
  GatewayRefund,
  PaymentGateway,
  RefundPaymentInput,
} from "../types"
import { isOpenDisputeStatus, normaliseDisputeReason, normaliseStripeDisputeStatus } from "../dispute-status"
import { GatewayError, isGatewayError } from "../errors"
import { fromStripeError } from "./stripe-errors"
import { stripePaymentStatus } from "./stripe-status"
import {
  capturedAtOnce,
  paidMethodType,
  paymentMethodParams,
  type StripePaymentMethodChoice,
} from "./stripe-payment-methods"

/** What the merchant configured for every PaymentIntent (provider options). */
export interface StripeGatewayConfig {
  /** The payment methods offered; null: Stripe's default. */
  payment_methods?: StripePaymentMethodChoice | null
  /** The PaymentIntent's description when the payment names none (shown in the Dashboard and some receipts). */
  description?: string | null
}

/** What the plugin keeps of a Medusa customer on the Stripe customer. */
export interface StripeCustomerInput {
  email?: string | null
  name?: string | null
  phone?: string | null
  metadata?: Record<string, string>
}

function customerParams(input: StripeCustomerInput): Stripe.CustomerCreateParams {
  return {
    ...(input.email ? { email: input.email } : {}),
    ...(input.name ? { name: input.name } : {}),
    ...(input.phone ? { phone: input.phone } : {}),
    ...(input.metadata ? { metadata: input.metadata } : {}),
  }
}

/** Seven days: how long Stripe keeps an online card authorization (extended authorizations aside). */
const CARD_AUTHORIZATION_VALIDITY_SECONDS = 7 * 24 * 60 * 60

/** Metadata key that marks refunds the plugin issued, so their webhooks are not recorded a second time. */
export const PLUGIN_REFUND_KEY = "medusa_refund_key"

/** The Stripe adapter: PaymentIntents with manual or automatic capture, multicapture, refunds. */
export class StripeGateway implements PaymentGateway {
  readonly name = "stripe" as const

  constructor(
    private readonly stripe: Stripe,
    private readonly config: StripeGatewayConfig = {}
  ) {}

  async createPayment(input: CreatePaymentInput): Promise<GatewayPayment> {
    const metadata: Record<string, string> = { ...input.metadata, session_id: input.session_id }
    if (input.custom_reference) {
      metadata.custom_reference = input.custom_reference
    }
    const description = input.description ?? this.config.description ?? undefined
    const params: Stripe.PaymentIntentCreateParams = {
      amount: input.amount,
      currency: input.currency,
      metadata,
      ...(description ? { description } : {}),
      ...(input.statement_descriptor ? { statement_descriptor_suffix: input.statement_descriptor } : {}),
      ...paymentMethodParams(this.config.payment_methods ?? null, input.capture),
    }
    if (input.customer) {
      params.customer = input.customer
    }
    if (input.payment_method) {
      params.payment_method = input.payment_method
    }
    if (input.off_session) {
      params.off_session = true
      params.confirm = true
    } else if (input.save_payment_method) {
      params.setup_future_usage = "off_session"
    }
    return this.run("create the payment", async () =>
      toPayment(await this.stripe.paymentIntents.create(params, { idempotencyKey: input.idempotency_key }))
    )
  }

  async updatePaymentAmount(reference: string, amount: number, _currency: string, idempotencyKey?: string) {
    return this.run("update the payment amount", async () =>
      toPayment(
        await this.stripe.paymentIntents.update(reference, { amount }, idempotencyKey ? { idempotencyKey } : undefined)
      )
    )
  }

  async authorizePayment(reference: string): Promise<GatewayPayment> {
    return this.retrievePayment(reference)
  }

  async retrievePayment(reference: string): Promise<GatewayPayment> {
    return this.run("retrieve the payment", async () =>
      toPayment(await this.stripe.paymentIntents.retrieve(reference, { expand: ["latest_charge"] }))
    )
  }

  async capturePayment(input: CapturePaymentInput): Promise<{ capture: GatewayCapture; payment: GatewayPayment }> {
    const metadata: Record<string, string> = {}
    if (input.custom_reference !== undefined) {
      metadata.custom_reference = input.custom_reference ?? ""
    }
    Object.assign(metadata, input.metadata)
    const params: Stripe.PaymentIntentCaptureParams = {
      amount_to_capture: input.amount,
      final_capture: input.final,
      ...(Object.keys(metadata).length ? { metadata } : {}),
      ...(input.statement_descriptor ? { statement_descriptor_suffix: input.statement_descriptor } : {}),
    }
    return this.run("capture the payment", async () => {
      let intent: Stripe.PaymentIntent
      try {
        intent = await this.stripe.paymentIntents.capture(input.reference, params, {
          idempotencyKey: input.idempotency_key,
        })
      } catch (e) {
        const capturedAtPayment = await this.capturedAtPayment(e, input.amount)
        if (!capturedAtPayment) {
          throw e
        }
        return capturedAtPayment
      }
      return {
        capture: {
          id: `${chargeId(intent) ?? intent.id}:${input.idempotency_key}`,
          amount: input.amount,
          status: "succeeded" as const,
          created_at: new Date().toISOString(),
        },
        payment: toPayment(intent),
      }
    })
  }

  /**
   * A method that cannot be captured later (iDEAL, Bancontact, … or `capture: true`) was captured when the buyer paid,
   * so Stripe refuses the capture Medusa asks for when it records the payment. When the intent holds exactly that
   * money, captured at once, that capture is the answer: recorded (its charge id, marked `at_payment`), not captured
   * again. Anything else stays Stripe's refusal.
   */
  private async capturedAtPayment(
    error: unknown,
    amount: number
  ): Promise<{ capture: GatewayCapture; payment: GatewayPayment } | null> {
    const refused = (error as { payment_intent?: Stripe.PaymentIntent }).payment_intent
    if (refused?.status !== "succeeded") {
      return null
    }
    const intent = await this.stripe.paymentIntents.retrieve(refused.id, { expand: ["latest_charge"] })
    if (
      intent.status !== "succeeded" ||
      intent.amount_received !== amount ||
      !capturedAtOnce(intent, paidMethodType(intent))
    ) {
      return null
    }
    const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null
    return {
      capture: {
        id: `${chargeId(intent) ?? intent.id}:at_payment`,
        amount,
        status: "succeeded",
        created_at: new Date((charge?.created ?? intent.created) * 1000).toISOString(),
        at_payment: true,
      },
      payment: toPayment(intent),
    }
  }

  /** Whether the intent's money was captured when the buyer paid (read with its latest charge). */
  async wasCapturedAtPayment(reference: string): Promise<boolean> {
    return this.run("retrieve the payment", async () => {
      const intent = await this.stripe.paymentIntents.retrieve(reference, { expand: ["latest_charge"] })
      return intent.status === "succeeded" && capturedAtOnce(intent, paidMethodType(intent))
    })
  }

  async cancelPayment(reference: string, _authorizationId: string | null, idempotencyKey: string) {
    return this.run("cancel the payment", async () => {
      try {
        return toPayment(await this.stripe.paymentIntents.cancel(reference, {}, { idempotencyKey }))
      } catch (e) {
        const intent = (e as { payment_intent?: Stripe.PaymentIntent }).payment_intent
        if (intent?.status === "canceled") {
          return toPayment(intent)
        }
        throw e
      }
    })
  }

  async paymentMethodOwner(paymentMethod: string): Promise<string | null> {
    return this.run("read the saved payment method", async () => {
      const method = await this.stripe.paymentMethods.retrieve(paymentMethod)
      return typeof method.customer === "string" ? method.customer : (method.customer?.id ?? null)
    })
  }

  async refundPayment(input: RefundPaymentInput): Promise<GatewayRefund> {
    return this.run("refund the payment", async () =>
      toRefund(
        await this.stripe.refunds.create(
          {
            payment_intent: input.reference,
            amount: input.amount,
            reason: "requested_by_customer",
            metadata: { [PLUGIN_REFUND_KEY]: input.idempotency_key, ...(input.note ? { note: input.note } : {}) },
          },
          { idempotencyKey: input.idempotency_key }
        )
      )
    )
  }

  async listRefunds(reference: string): Promise<GatewayRefund[]> {
    return this.run("list the refunds", async () => {
      const refunds: GatewayRefund[] = []
      for await (const refund of this.stripe.refunds.list({ payment_intent: reference, limit: 100 })) {
        refunds.push(toRefund(refund))
      }
      // Stripe lists newest first; refunds made within one second are only ordered by that.
      return refunds.reverse()
    })
  }

  async retrieveDispute(id: string): Promise<GatewayDispute> {
    return this.run("retrieve the dispute", async () => toDispute(await this.stripe.disputes.retrieve(id)))
  }

  async listDisputes(reference: string): Promise<GatewayDispute[]> {
    return this.run("list the disputes", async () => {
      const disputes: GatewayDispute[] = []
      for await (const dispute of this.stripe.disputes.list({ payment_intent: reference, limit: 100 })) {
        disputes.push(toDispute(dispute))
      }
      return disputes
    })
  }

  /** Creates the Stripe customer that holds a Medusa customer's saved payment methods. */
  async createCustomer(input: StripeCustomerInput, idempotencyKey?: string): Promise<Stripe.Customer> {
    return this.run("create the customer", () =>
      this.stripe.customers.create(customerParams(input), idempotencyKey ? { idempotencyKey } : undefined)
    )
  }

  /** Reads a customer; a deleted customer is an error (it can no longer hold payment methods). */
  async retrieveCustomer(id: string): Promise<Stripe.Customer> {
    return this.run("retrieve the customer", async () => {
      const customer = await this.stripe.customers.retrieve(id)
      if ((customer as Stripe.DeletedCustomer).deleted) {
        throw new GatewayError("stripe", "invalid_state", `The Stripe customer ${id} has been deleted.`)
      }
      return customer as Stripe.Customer
    })
  }

  async updateCustomer(id: string, input: StripeCustomerInput): Promise<Stripe.Customer> {
    return this.run("update the customer", () => this.stripe.customers.update(id, customerParams(input)))
  }

  /** Deletes a customer; one that is already gone counts as deleted. */
  async deleteCustomer(id: string): Promise<void> {
    await this.run("delete the customer", async () => {
      try {
        await this.stripe.customers.del(id)
      } catch (e) {
        if ((e as { code?: string }).code === "resource_missing") {
          return
        }
        throw e
      }
    })
  }

  /** The customer's saved payment methods, newest first. */
  async listPaymentMethods(customer: string): Promise<Stripe.PaymentMethod[]> {
    return this.run("list the saved payment methods", async () => {
      const methods: Stripe.PaymentMethod[] = []
      for await (const pm of this.stripe.customers.listPaymentMethods(customer, { limit: 100 })) {
        methods.push(pm)
      }
      return methods
    })
  }

  /**
   * Saves a payment method for later off-session payments with a SetupIntent: confirmed at once when the method is
   * given (the card may still need 3-D Secure: status requires_action), otherwise left for Stripe.js to confirm with
   * its client_secret.
   */
  async setupPaymentMethod(input: {
    customer: string
    payment_method?: string
    idempotency_key?: string
    metadata?: Record<string, string>
  }): Promise<Stripe.SetupIntent> {
    return this.run("save the payment method", () =>
      this.stripe.setupIntents.create(
        {
          customer: input.customer,
          usage: "off_session",
          ...(input.payment_method ? { payment_method: input.payment_method, confirm: true } : {}),
          ...(input.metadata ? { metadata: input.metadata } : {}),
        },
        input.idempotency_key ? { idempotencyKey: input.idempotency_key } : undefined
      )
    )
  }

  /** Detaches a saved payment method from its customer. */
  async detachPaymentMethod(id: string): Promise<Stripe.PaymentMethod> {
    return this.run("delete the saved payment method", () => this.stripe.paymentMethods.detach(id))
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      throw isGatewayError(e) ? e : fromStripeError(e, what)
    }
  }
}

function chargeId(intent: Stripe.PaymentIntent): string | null {
  const charge = intent.latest_charge
  return typeof charge === "string" ? charge : (charge?.id ?? null)
}

export function toPayment(intent: Stripe.PaymentIntent): GatewayPayment {
  const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null
  const captureBefore = charge?.payment_method_details?.card?.capture_before
  const expiresAt =
    intent.status === "requires_capture"
      ? new Date(
          ((captureBefore ?? intent.created + CARD_AUTHORIZATION_VALIDITY_SECONDS) as number) * 1000
        ).toISOString()
      : null
  return {
    gateway: "stripe",
    reference: intent.id,
    authorization_id: null,
    status: stripePaymentStatus(intent),
    psp_status: intent.status,
    currency: intent.currency,
    amount: intent.amount,
    amount_capturable: intent.amount_capturable,
    amount_captured: intent.amount_received,
    amount_refunded: charge?.amount_refunded ?? 0,
    captures: [],
    expires_at: expiresAt,
    client: {
      ...(intent.client_secret ? { client_secret: intent.client_secret } : {}),
      ...(intent.next_action ? { next_action: intent.next_action } : {}),
    },
    failure: intent.last_payment_error
      ? { code: intent.last_payment_error.code ?? null, message: intent.last_payment_error.message ?? null }
      : null,
    custom_reference: intent.metadata?.custom_reference || null,
    session_id: intent.metadata?.session_id || null,
    multicapture: multicaptureOf(intent, charge),
  }
}

/**
 * Stripe allows `final_capture=false` only where the authorization's charge says
 * `payment_method_details.card.multicapture.status: available` ("Capture a payment multiple times"). Null when the
 * answer does not tell (the charge was not expanded, or nothing is authorized yet).
 */
function multicaptureOf(intent: Stripe.PaymentIntent, charge: Stripe.Charge | null): boolean | null {
  if (intent.capture_method === "automatic" || intent.capture_method === "automatic_async") {
    return false
  }
  if (!charge) {
    return null
  }
  const status = (charge.payment_method_details?.card as { multicapture?: { status?: string } } | undefined)
    ?.multicapture?.status
  return status === "available"
}

export function toRefund(refund: Stripe.Refund): GatewayRefund {
  return {
    id: refund.id,
    amount: refund.amount,
    currency: refund.currency,
    status:
      refund.status === "succeeded"
        ? "succeeded"
        : refund.status === "failed"
          ? "failed"
          : refund.status === "canceled"
            ? "canceled"
            : "pending",
    capture_id: typeof refund.charge === "string" ? refund.charge : (refund.charge?.id ?? null),
    reason: refund.reason ?? null,
    created_at: new Date(refund.created * 1000).toISOString(),
    issued_by_plugin_key: refund.metadata?.[PLUGIN_REFUND_KEY] ?? null,
  }
}

/** A Stripe dispute in the plugin's vocabulary. A lost Stripe dispute keeps the disputed amount withdrawn. */
export function toDispute(dispute: Stripe.Dispute): GatewayDispute {
  const status = normaliseStripeDisputeStatus(dispute.status)
  const dueBy = dispute.evidence_details?.due_by
  return {
    gateway: "stripe",
    id: dispute.id,
    amount: dispute.amount,
    currency: dispute.currency,
    reason: normaliseDisputeReason(dispute.reason),
    status,
    psp_status: dispute.status,
    open: isOpenDisputeStatus(status),
    amount_lost: status === "lost" ? dispute.amount : 0,
    evidence_due_by: dueBy ? new Date(dueBy * 1000).toISOString() : null,
    created_at: new Date(dispute.created * 1000).toISOString(),
    capture_id: typeof dispute.charge === "string" ? dispute.charge : (dispute.charge?.id ?? null),
    payment_reference:
      typeof dispute.payment_intent === "string" ? dispute.payment_intent : (dispute.payment_intent?.id ?? null),
    session_id: null,
  }
}
