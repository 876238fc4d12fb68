import type { Logger, ProviderWebhookPayload, WebhookActionResult } from "@medusajs/framework/types"
import { MedusaError, PaymentActions } from "@medusajs/framework/utils"
import { payPalApiBaseUrl } from "../../gateways/paypal/paypal-client"
import { PayPalGateway } from "../../gateways/paypal/paypal-gateway"
import { PayPalWebhookVerifier } from "../../gateways/paypal/paypal-webhook-verification"
import { fromMinorUnits, minorFromPayPalValue } from "../../utils/money"
import { parseProviderOptions } from "../../utils/options"
import { rawWebhookBody } from "../../utils/webhook-body"
import type { OrchestratorPaymentData } from "../payment-data"
import { OrchestratorProvider } from "../provider-base"
import { paypalOptionsSchema, type PayPalOptions, type PayPalOptionsInput } from "./options"

interface PayPalWebhookEvent {
  id?: string
  event_type?: string
  resource?: {
    id?: string
    status?: string
    custom_id?: string
    amount?: { currency_code?: string; value?: string }
    supplementary_data?: { related_ids?: { order_id?: string; authorization_id?: string } }
  }
}

/** Refunds that still count against a capture (a failed or canceled refund gave nothing back). */
const LIVE_REFUND = (status: string) => status !== "failed" && status !== "canceled"

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

  /**
   * PayPal refunds per capture: the amount is spread over the captures that still have money to refund (each
   * capture's amount less the plugin's and PayPal's recorded refunds on it), newest capture first.
   */
  protected splitRefund(
    current: OrchestratorPaymentData,
    amount: number
  ): { capture_id: string | null; amount: number }[] {
    const refunded = new Map<string, number>()
    for (const r of current.refunds) {
      if (r.capture_id && LIVE_REFUND(r.status)) {
        refunded.set(r.capture_id, (refunded.get(r.capture_id) ?? 0) + r.amount)
      }
    }
    const newestFirst = current.captures
      .map((c, index) => ({ c, index }))
      .sort((a, b) => Date.parse(b.c.created_at) - Date.parse(a.c.created_at) || b.index - a.index)
      .map(({ c }) => c)
    const parts: { capture_id: string; amount: number }[] = []
    let left = amount
    for (const capture of newestFirst) {
      if (left <= 0) {
        break
      }
      const refundable = capture.amount - (refunded.get(capture.id) ?? 0)
      const take = Math.min(refundable, left)
      if (take > 0) {
        parts.push({ capture_id: capture.id, amount: take })
        left -= take
      }
    }
    if (left > 0) {
      const available = amount - left
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Cannot refund ${amount} (minor units of ${current.currency.toUpperCase()}) with PayPal: only ${available} of the captured amount is left to refund across ${current.captures.length} capture(s).`
      )
    }
    return parts
  }

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

export default PayPalProviderService
