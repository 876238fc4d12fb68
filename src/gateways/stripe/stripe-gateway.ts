import type Stripe from "stripe"
import type {
  CapturePaymentInput,
  CreatePaymentInput,
  GatewayCapture,
  GatewayPayment,
  GatewayRefund,
  PaymentGateway,
  RefundPaymentInput,
} from "../types"
import { fromStripeError } from "./stripe-errors"
import { stripePaymentStatus } from "./stripe-status"

/** Seven days: how long Stripe keeps an online card authorization (extended authorizations aside). */
const CARD_AUTHORIZATION_VALIDITY_SECONDS = 7 * 24 * 60 * 60

/** Metadata key that marks refunds the plugin issued, so their webhooks are not recorded a second time. */
export const PLUGIN_REFUND_KEY = "medusa_refund_key"

/** The Stripe adapter: PaymentIntents with manual or automatic capture, multicapture, refunds. */
export class StripeGateway implements PaymentGateway {
  readonly name = "stripe" as const

  constructor(private readonly stripe: Stripe) {}

  async createPayment(input: CreatePaymentInput): Promise<GatewayPayment> {
    const metadata: Record<string, string> = { ...input.metadata, session_id: input.session_id }
    if (input.custom_reference) {
      metadata.custom_reference = input.custom_reference
    }
    const params: Stripe.PaymentIntentCreateParams = {
      amount: input.amount,
      currency: input.currency,
      capture_method: input.capture,
      metadata,
      description: input.description,
      ...(input.capture === "manual"
        ? { payment_method_options: { card: { request_multicapture: "if_available" } } }
        : {}),
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
      toPayment(await this.stripe.paymentIntents.retrieve(reference))
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
      const intent = await this.stripe.paymentIntents.capture(input.reference, params, {
        idempotencyKey: input.idempotency_key,
      })
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
      return refunds
    })
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      throw fromStripeError(e, what)
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
      ? new Date(((captureBefore ?? intent.created + CARD_AUTHORIZATION_VALIDITY_SECONDS) as number) * 1000).toISOString()
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
  }
}

export function toRefund(refund: Stripe.Refund): GatewayRefund {
  return {
    id: refund.id,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status === "succeeded" ? "succeeded" : refund.status === "failed" ? "failed" : refund.status === "canceled" ? "canceled" : "pending",
    capture_id: typeof refund.charge === "string" ? refund.charge : (refund.charge?.id ?? null),
    reason: refund.reason ?? null,
    created_at: new Date(refund.created * 1000).toISOString(),
    issued_by_plugin_key: refund.metadata?.[PLUGIN_REFUND_KEY] ?? null,
  }
}
