import type { Logger, ProviderWebhookPayload, WebhookActionResult } from "@medusajs/framework/types"
import { PaymentActions } from "@medusajs/framework/utils"
import type Stripe from "stripe"
import { createStripeClient } from "../../gateways/stripe/stripe-client"
import { StripeGateway } from "../../gateways/stripe/stripe-gateway"
import { fromMinorUnits } from "../../utils/money"
import { parseProviderOptions } from "../../utils/options"
import { rawWebhookBody } from "../../utils/webhook-body"
import { OrchestratorProvider } from "../provider-base"
import { stripeOptionsSchema, type StripeOptions, type StripeOptionsInput } from "./options"

/** Stripe's PaymentIntent events that drive Medusa's own authorize/capture flow, and the action each means. */
const INTENT_ACTIONS: Record<string, { action: PaymentActions; amount: (pi: Stripe.PaymentIntent) => number }> = {
  "payment_intent.amount_capturable_updated": { action: PaymentActions.AUTHORIZED, amount: (pi) => pi.amount_capturable },
  "payment_intent.succeeded": { action: PaymentActions.SUCCESSFUL, amount: (pi) => pi.amount_received },
  "payment_intent.canceled": { action: PaymentActions.CANCELED, amount: (pi) => pi.amount },
  "payment_intent.payment_failed": { action: PaymentActions.FAILED, amount: (pi) => pi.amount },
  "payment_intent.requires_action": { action: PaymentActions.REQUIRES_MORE, amount: (pi) => pi.amount },
  "payment_intent.processing": { action: PaymentActions.PENDING, amount: (pi) => pi.amount },
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
    this.gateway = new StripeGateway(this.stripe)
  }

  protected defaultStatementDescriptor(): string | undefined {
    return this.config.statementDescriptor
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
    // With manual capture, Medusa drives every capture itself (exact amounts); the event would only repeat it.
    if (mapping.action === PaymentActions.SUCCESSFUL && intent.capture_method === "manual") {
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    return {
      action: mapping.action,
      data: { session_id: sessionId, amount: fromMinorUnits(mapping.amount(intent), intent.currency) },
    }
  }
}

export default StripeProviderService
