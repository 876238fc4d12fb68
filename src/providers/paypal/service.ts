import type { Logger, ProviderWebhookPayload, WebhookActionResult } from "@medusajs/framework/types"
import { PaymentActions } from "@medusajs/framework/utils"
import { PayPalGateway } from "../../gateways/paypal/paypal-gateway"
import { parseProviderOptions } from "../../utils/options"
import { OrchestratorProvider } from "../provider-base"
import { paypalOptionsSchema, type PayPalOptions, type PayPalOptionsInput } from "./options"

/**
 * PayPal payment provider (`pp_paypal_<id>`): Orders v2 with intent AUTHORIZE by default, Payments v2 captures
 * (partial, multiple, final), voids and refunds per capture, verified webhooks.
 */
export class PayPalProviderService extends OrchestratorProvider<PayPalOptions> {
  static identifier = "paypal"
  protected readonly gatewayName = "paypal" as const
  protected readonly gateway: PayPalGateway

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
  }

  protected defaultStatementDescriptor(): string | undefined {
    return this.config.softDescriptor
  }

  protected async webhookAction(_payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    return { action: PaymentActions.NOT_SUPPORTED }
  }
}

export default PayPalProviderService
