import type { Logger, ProviderWebhookPayload, WebhookActionResult } from "@medusajs/framework/types"
import { PaymentActions } from "@medusajs/framework/utils"
import { payPalApiBaseUrl } from "../../gateways/paypal/paypal-client"
import { PayPalGateway } from "../../gateways/paypal/paypal-gateway"
import { payPalAuthorizationStatus } from "../../gateways/paypal/paypal-status"
import { PayPalWebhookVerifier } from "../../gateways/paypal/paypal-webhook-verification"
import { fromMinorUnits, minorFromPayPalValue } from "../../utils/money"
import { parseProviderOptions } from "../../utils/options"
import { rawWebhookBody } from "../../utils/webhook-body"
import { OrchestratorProvider } from "../provider-base"
import { paypalOptionsSchema, type PayPalOptions, type PayPalOptionsInput } from "./options"

interface PayPalWebhookEvent {
  id?: string
  event_type?: string
  create_time?: string
  resource?: {
    id?: string
    status?: string
    custom_id?: string
    expiration_time?: string
    update_time?: string
    amount?: { currency_code?: string; value?: string }
    supplementary_data?: { related_ids?: { order_id?: string; authorization_id?: string } }
  }
}

/**
 * PayPal payment provider (`pp_paypal_<id>`): Orders v2 with intent AUTHORIZE by default, Payments v2 captures
 * (partial, multiple, final), voids and refunds per capture, verified webhooks.
 */
export class PayPalProviderService extends OrchestratorProvider<PayPalOptions> {
  static identifier = "paypal"
  protected readonly gatewayName = "paypal" as const
  protected readonly gateway: PayPalGateway
  protected readonly webhookVerifier: PayPalWebhookVerifier

  static validateOptions(options: Record<string, unknown>): void {
    parseProviderOptions(paypalOptionsSchema, options, "PayPal")
  }

  constructor(cradle: Record<string, unknown> & { logger?: Logger }, options: PayPalOptionsInput) {
    const parsed = parseProviderOptions(paypalOptionsSchema, options, "PayPal")
    super(cradle, parsed)
    if (!parsed.webhookId) {
      this.logger?.warn(
        "PayPal provider: no webhookId option, so every PayPal webhook will be rejected. Set it to the id of the webhook registered in your PayPal app."
      )
    }
    this.gateway = new PayPalGateway(parsed)
    this.webhookVerifier = new PayPalWebhookVerifier({
      mode: parsed.webhookVerification,
      webhookId: parsed.webhookId,
      apiBaseUrl: payPalApiBaseUrl(parsed),
      customApiBaseUrl: parsed.apiBaseUrl,
      certificateHosts: parsed.certificateHosts,
      client: this.gateway.client,
      timeoutMs: parsed.timeoutMs,
    })
  }

  protected defaultStatementDescriptor(): string | undefined {
    return this.config.softDescriptor
  }

  /** PayPal refunds per capture: a refund is spread over the captures that still have money to give back. */
  protected readonly refundsPerCapture = true

  /**
   * Verifies the delivery's signature first (throws when it cannot be trusted: the base class logs it and answers
   * not_supported), then maps the event. PAYMENT.CAPTURE.COMPLETED only counts for orders captured at approval
   * (intent CAPTURE, no authorization behind the capture); with intent AUTHORIZE, Medusa drives captures itself.
   */
  protected async webhookAction(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    const raw = rawWebhookBody(payload.rawData)
    await this.webhookVerifier.verify(raw, payload.headers ?? {})
    const event = JSON.parse(raw.toString("utf8")) as PayPalWebhookEvent
    const resource = event.resource ?? {}
    const sessionId = resource.custom_id
    const currency = resource.amount?.currency_code
    const value = resource.amount?.value
    if (!sessionId || !currency || value === undefined) {
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    const data = { session_id: sessionId, amount: fromMinorUnits(minorFromPayPalValue(value, currency), currency) }
    switch (event.event_type) {
      case "PAYMENT.AUTHORIZATION.CREATED":
        return { action: PaymentActions.AUTHORIZED, data }
      case "PAYMENT.AUTHORIZATION.VOIDED":
        if (voidedAtExpiry(event)) {
          // Not the merchant's void: the authorization lapsed. Medusa has no action for it; the payment stays as it is.
          this.logger?.warn(
            `PayPal authorization ${resource.id} of payment session ${sessionId} expired (${resource.expiration_time}) before it was captured, so PayPal released the funds: cancel the payment in Medusa and ask the customer to pay again.`
          )
          return { action: PaymentActions.NOT_SUPPORTED }
        }
        return { action: PaymentActions.CANCELED, data }
      case "PAYMENT.CAPTURE.COMPLETED":
        return resource.supplementary_data?.related_ids?.authorization_id
          ? { action: PaymentActions.NOT_SUPPORTED }
          : { action: PaymentActions.SUCCESSFUL, data }
      case "PAYMENT.CAPTURE.DENIED":
      case "PAYMENT.CAPTURE.DECLINED":
        return { action: PaymentActions.FAILED, data }
      default:
        return { action: PaymentActions.NOT_SUPPORTED }
    }
  }
}

/**
 * PayPal sends PAYMENT.AUTHORIZATION.VOIDED when an authorization expires too. It expired when it was voided at or
 * after its `expiration_time` (the resource's `update_time`, else the event's time), or when its status says EXPIRED.
 */
export function voidedAtExpiry(event: PayPalWebhookEvent): boolean {
  const resource = event.resource ?? {}
  const voidedAt = Date.parse(resource.update_time ?? event.create_time ?? "")
  const at = Number.isNaN(voidedAt) ? Date.now() : voidedAt
  return payPalAuthorizationStatus(resource.status, resource.expiration_time, at) === "expired"
}

export default PayPalProviderService
