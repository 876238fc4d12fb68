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
import {
  WebhookVerificationError,
  type LocateOptions,
  type PspEventKind,
  type PspPaymentLocation,
  type VerifiedPspEvent,
} from "../webhook-sync-types"
import { paypalOptionsSchema, type PayPalOptions, type PayPalOptionsInput } from "./options"

/**
 * PayPal's events that the webhook sync acts on. PAYMENT.CAPTURE.REVERSED: PayPal took the money back (a chargeback
 * decided against the merchant, or a reversal); its resource is the reversing refund.
 */
const SYNCED_EVENTS: Record<string, PspEventKind> = {
  "PAYMENT.CAPTURE.REFUNDED": "refund",
  "PAYMENT.CAPTURE.REVERSED": "refund",
  "CUSTOMER.DISPUTE.CREATED": "dispute",
  "CUSTOMER.DISPUTE.UPDATED": "dispute",
  "CUSTOMER.DISPUTE.RESOLVED": "dispute",
}

interface PayPalSyncResource {
  id?: string
  dispute_id?: string
  custom_id?: string
  links?: { href?: string; rel?: string }[]
  disputed_transactions?: { seller_transaction_id?: string; custom?: string }[]
}

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
    /** CHECKOUT.ORDER.APPROVED: the resource is the order. */
    purchase_units?: { custom_id?: string; amount?: { currency_code?: string; value?: string } }[]
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

  /** PayPal reverses the capture when a dispute is lost: the reversal is one of the order's refunds. */
  readonly lostDisputesAppearAsRefunds = true

  syncedEventKind(payload: ProviderWebhookPayload["payload"]): PspEventKind | null {
    const type = (payload.data as { event_type?: unknown } | undefined)?.event_type
    return typeof type === "string" ? (SYNCED_EVENTS[type] ?? null) : null
  }

  /** Verifies the transmission signature (the `webhookVerification` option) and reduces the event to its ids. */
  async verifyWebhookEvent(payload: ProviderWebhookPayload["payload"]): Promise<VerifiedPspEvent | null> {
    let event: { id?: string; event_type?: string; resource_type?: string; resource?: PayPalSyncResource }
    try {
      const raw = rawWebhookBody(payload.rawData)
      await this.webhookVerifier.verify(raw, payload.headers ?? {})
      event = JSON.parse(raw.toString("utf8"))
    } catch (e) {
      if (unreachable(e)) {
        // PayPal's verify endpoint (or the certificate host) did not answer: not a verdict on the delivery. Thrown
        // as is, so the delivery is not recorded and its next delivery is verified again.
        throw new Error(`PayPal could not verify the webhook now (${(e as Error).message}); nothing was changed.`)
      }
      throw new WebhookVerificationError((e as Error).message)
    }
    const kind = SYNCED_EVENTS[event.event_type ?? ""]
    if (!kind || !event.id) {
      return null
    }
    const resource = event.resource ?? {}
    const disputed = resource.disputed_transactions?.[0]
    const captureId =
      kind === "dispute"
        ? (disputed?.seller_transaction_id ?? null)
        : event.resource_type === "capture"
          ? (resource.id ?? null)
          : captureIdOfLinks(resource.links)
    return {
      gateway: "paypal",
      event_id: event.id,
      type: event.event_type!,
      kind,
      object_id: (kind === "dispute" ? resource.dispute_id : resource.id) ?? null,
      payment_reference: null,
      session_id: (kind === "dispute" ? disputed?.custom : resource.custom_id) ?? null,
      capture_id: captureId,
      dispute_id: kind === "dispute" ? (resource.dispute_id ?? null) : null,
    }
  }

  /**
   * The Medusa payment of a refund, reversal or dispute, through the links PayPal guarantees: the refund's `up` link
   * (or the dispute's `disputed_transactions[].seller_transaction_id`) names the capture; the capture's
   * `supplementary_data.related_ids` name the order and the authorization; the plugin's reference index maps those to
   * the Medusa session (else the order's purchase unit, whose `custom_id` the plugin set when it created the order).
   * A `custom_id` / `custom` on the event's object is only a shortcut: PayPal does not copy it onto captures, refunds
   * or disputes (dashboard refunds carry none), and the sync checks that it names a payment.
   */
  async locatePspPayment(event: VerifiedPspEvent, options: LocateOptions = {}): Promise<PspPaymentLocation> {
    const shortcuts = options.shortcuts !== false
    if (shortcuts && event.session_id) {
      return { reference: null, session_id: event.session_id, via: "shortcut" }
    }
    let captureId = event.capture_id
    if (!captureId && event.dispute_id) {
      const dispute = await this.retrievePspDispute(event.dispute_id)
      if (shortcuts && dispute.session_id) {
        return { reference: null, session_id: dispute.session_id, via: "shortcut" }
      }
      captureId = dispute.capture_id
    }
    if (!captureId) {
      return { reference: null, session_id: null }
    }
    const located = await this.call("read the capture", () => this.gateway.locateCapture(captureId!))
    const found = await this.sessionOfReference([located.order_id, located.authorization_id], located.order_id)
    if (found) {
      return found
    }
    return shortcuts && located.session_id
      ? { reference: located.order_id, session_id: located.session_id, via: "shortcut" }
      : { reference: located.order_id, session_id: null }
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
    // The buyer approved the order: it can be authorized now. Medusa authorizes the session of a payment collection
    // that no cart completes (an order edit's or a claim's difference, paid on a payment link), and completes a cart
    // whose storefront never came back from PayPal; a cart already completed is left alone.
    const unit = event.event_type === "CHECKOUT.ORDER.APPROVED" ? resource.purchase_units?.[0] : undefined
    const sessionId = unit ? unit.custom_id : resource.custom_id
    const currency = (unit ?? resource).amount?.currency_code
    const value = (unit ?? resource).amount?.value
    if (!sessionId || !currency || value === undefined) {
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    const data = { session_id: sessionId, amount: fromMinorUnits(minorFromPayPalValue(value, currency), currency) }
    switch (event.event_type) {
      case "CHECKOUT.ORDER.APPROVED":
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

/** A verification that failed because PayPal did not answer (network, timeout, 5xx, rate limit), not a bad signature. */
function unreachable(e: unknown): boolean {
  const error = e as { name?: string; message?: string }
  return (
    error?.name === "TypeError" ||
    error?.name === "AbortError" ||
    error?.name === "TimeoutError" ||
    /answered HTTP (5\d\d|429)\b|fetching the signing certificate answered HTTP (5\d\d|429)\b/.test(
      error?.message ?? ""
    )
  )
}

/** The capture a refund belongs to, from its `up` link (`…/v2/payments/captures/<id>`). */
function captureIdOfLinks(links: PayPalSyncResource["links"]): string | null {
  const up = links?.find((l) => l.rel === "up")?.href ?? ""
  const match = /\/v2\/payments\/captures\/([^/?#]+)/.exec(up)
  return match ? decodeURIComponent(match[1]) : null
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
