/** The webhook events PayPal sends, built as PayPal builds them and handed to the sandbox's dispatcher. */
import type { SandboxContext } from "../core/psp-fake"
import { paypalId } from "../core/ids"
import type { PayPalRenderer } from "./objects"
import type { AuthorizationRecord, CaptureRecord, DisputeRecord, OrderRecord, RefundRecord } from "./state"

export interface PayPalWebhookEvent<R = Record<string, unknown>> {
  id: string
  event_version: "1.0"
  create_time: string
  resource_type: string
  resource_version?: string
  event_type: string
  summary: string
  resource: R
  links: { href: string; rel: string; method: string }[]
}

export class PayPalEvents {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly render: PayPalRenderer
  ) {}

  /** Emits one event; its payload is compact `JSON.stringify(event)`, so a parse + re-stringify gives the same bytes. */
  emit(
    eventType: string,
    resourceType: string,
    resource: object,
    summary: string,
    resourceVersion?: string
  ): PayPalWebhookEvent {
    const now = this.ctx.clock.now()
    const id = `WH-${paypalId()}-${paypalId()}`
    const event: PayPalWebhookEvent = {
      id,
      event_version: "1.0",
      create_time: new Date(now).toISOString(),
      resource_type: resourceType,
      ...(resourceVersion ? { resource_version: resourceVersion } : {}),
      event_type: eventType,
      summary,
      resource: resource as Record<string, unknown>,
      links: [
        this.render.link(`/v1/notifications/webhooks-events/${id}`, "self"),
        this.render.link(`/v1/notifications/webhooks-events/${id}/resend`, "resend", "POST"),
      ],
    }
    this.ctx.webhooks.emit("paypal", id, eventType, JSON.stringify(event), now)
    return event
  }

  orderApproved(order: OrderRecord): void {
    this.emit(
      "CHECKOUT.ORDER.APPROVED",
      "checkout-order",
      this.render.order(order),
      "An order has been approved by buyer",
      "2.0"
    )
  }

  authorizationCreated(a: AuthorizationRecord): void {
    const amount = this.render.authorization(a).amount
    this.emit(
      "PAYMENT.AUTHORIZATION.CREATED",
      "authorization",
      this.render.authorization(a),
      `A payment authorization was created for ${amount.value} ${amount.currency_code}`,
      "2.0"
    )
  }

  /** Sent for a merchant void and, with `expiration_time` in the past, when the authorization expires. */
  authorizationVoided(a: AuthorizationRecord): void {
    const amount = this.render.authorization(a).amount
    this.emit(
      "PAYMENT.AUTHORIZATION.VOIDED",
      "authorization",
      this.render.authorization(a),
      `A payment authorization was voided for ${amount.value} ${amount.currency_code}`,
      "2.0"
    )
  }

  captureCompleted(c: CaptureRecord): void {
    const amount = this.render.capture(c).amount
    this.emit(
      "PAYMENT.CAPTURE.COMPLETED",
      "capture",
      this.render.capture(c),
      `Payment completed for ${amount.value} ${amount.currency_code}`,
      "2.0"
    )
  }

  captureDeclined(c: CaptureRecord): void {
    const amount = this.render.capture(c).amount
    this.emit(
      "PAYMENT.CAPTURE.DECLINED",
      "capture",
      this.render.capture(c),
      `Payment declined for ${amount.value} ${amount.currency_code}`,
      "2.0"
    )
  }

  captureRefunded(r: RefundRecord): void {
    const json = this.render.refund(r)
    this.emit(
      "PAYMENT.CAPTURE.REFUNDED",
      "refund",
      json,
      `A ${json.amount.value} ${json.amount.currency_code} capture payment was refunded`,
      "2.0"
    )
  }

  /** PayPal reversed the capture (chargeback, lost dispute): the resource is the reversing refund. */
  captureReversed(r: RefundRecord): void {
    const json = this.render.refund(r)
    this.emit(
      "PAYMENT.CAPTURE.REVERSED",
      "refund",
      json,
      `A ${json.amount.value} ${json.amount.currency_code} capture payment was reversed`,
      "2.0"
    )
  }

  dispute(kind: "CREATED" | "UPDATED" | "RESOLVED", d: DisputeRecord): void {
    const summaries = {
      CREATED: "A new dispute opened with Case # ",
      UPDATED: "A dispute was updated with Case # ",
      RESOLVED: "A dispute was resolved with case # ",
    }
    this.emit(`CUSTOMER.DISPUTE.${kind}`, "dispute", this.render.dispute(d), `${summaries[kind]}${d.id}`, "1.0")
  }
}
