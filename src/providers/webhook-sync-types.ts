import type { ProviderWebhookPayload } from "@medusajs/framework/types"
import type { GatewayDispute, GatewayName, GatewayRefund } from "../gateways/types"

/** What a PSP event tells the webhook sync to look at again: the payment's refunds, or one dispute. */
export type PspEventKind = "refund" | "dispute"

/**
 * A PSP webhook event whose signature was verified, reduced to what the sync needs to find the PSP objects and the
 * Medusa payment. Nothing here is acted on as such: the sync re-reads the PSP's current state.
 */
export interface VerifiedPspEvent {
  gateway: GatewayName
  /** The PSP's event id (`evt_…`, `WH-…`): the key of exactly-once processing. */
  event_id: string
  type: string
  kind: PspEventKind
  /** The PSP object the event is about: refund, charge or dispute id. */
  object_id: string | null
  /** PSP payment reference when the event names it (Stripe PaymentIntent). */
  payment_reference: string | null
  /** The Medusa payment session id when the event carries it (PayPal `custom_id`). */
  session_id: string | null
  /** The disputed or refunded capture when the event names it (Stripe charge, PayPal capture). */
  capture_id: string | null
  dispute_id: string | null
}

/** Where a PSP event's payment lives at the PSP and in Medusa's terms. */
export interface PspPaymentLocation {
  /** PSP payment reference (PaymentIntent, PayPal order), when the PSP says. */
  reference: string | null
  /** The Medusa payment session id: from the plugin's reference index, or from the PSP object (a shortcut). */
  session_id: string | null
  /**
   * How the session was found: `index` (the PSP reference in `orchestrator_payment_ref`), `psp_payment` (the session
   * id the plugin stored on the PSP payment itself: PaymentIntent metadata, PayPal purchase unit `custom_id`), or
   * `shortcut` (a `custom_id` / `custom` on the event's object, which PayPal does not promise and any caller may set:
   * the sync checks it names a payment and otherwise asks again without shortcuts).
   */
  via?: "index" | "psp_payment" | "shortcut"
}

export interface LocateOptions {
  /** false: ignore `custom_id`-style shortcuts and follow the PSP's own links. */
  shortcuts?: boolean
}

/** A delivery that cannot be trusted: unsigned, forged, stale, or for a provider without its webhook secret. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "WebhookVerificationError"
  }
}

/** What the webhook sync asks of a provider instance (found through `provider-registry.ts`). */
export interface WebhookSyncProvider {
  readonly pspName: GatewayName
  /**
   * Lost disputes show up among the payment's refunds at this PSP (PayPal reverses the capture; a lost Stripe dispute
   * keeps the funds withdrawn without a refund object), so the refund sync leaves those to the dispute sync.
   */
  readonly lostDisputesAppearAsRefunds: boolean
  /** The event kind the sync acts on, read from the UNVERIFIED body: only to skip other events cheaply. */
  syncedEventKind(payload: ProviderWebhookPayload["payload"]): PspEventKind | null
  /**
   * Verifies the delivery's signature and normalises the event; throws `WebhookVerificationError`. Null: a genuine
   * event the sync does not act on.
   */
  verifyWebhookEvent(payload: ProviderWebhookPayload["payload"]): Promise<VerifiedPspEvent | null>
  locatePspPayment(event: VerifiedPspEvent, options?: LocateOptions): Promise<PspPaymentLocation>
  listPspRefunds(reference: string): Promise<GatewayRefund[]>
  listPspDisputes(reference: string): Promise<GatewayDispute[]>
  retrievePspDispute(id: string): Promise<GatewayDispute>
}
