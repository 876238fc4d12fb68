/** Typed client for the Stripe fake's control routes (`/_sandbox/stripe/...`). */
import type Stripe from "stripe"
import type { SandboxControlClient } from "../core/control-client"

export interface StripeIntentInspection {
  payment_intent: Stripe.PaymentIntent
  captures: Array<{
    amount: number
    final: boolean
    statement_descriptor_suffix: string | null
    metadata: Record<string, string>
    captured_at: number
    request_id: string | null
    idempotency_key: string | null
  }>
  charges: Stripe.Charge[]
  refunds: Stripe.Refund[]
  disputes: Stripe.Dispute[]
  off_session: boolean
  capture_before: number | null
}

export type StripeDisputeReason = Stripe.Dispute["reason"]
export type StripeRefundFailureReason =
  | "charge_for_pending_refund_disputed"
  | "declined"
  | "expired_or_canceled_card"
  | "insufficient_funds"
  | "lost_or_stolen_card"
  | "merchant_request"
  | "unknown"

export class StripeSandboxControl {
  constructor(protected readonly client: SandboxControlClient) {}

  private path(p: string): string {
    return `/stripe${p}`
  }

  /** The buyer confirms the card in the browser (default `pm_card_visa`); a decline leaves the intent requires_payment_method. */
  confirmPaymentIntent(id: string, body: { payment_method?: string } = {}): Promise<Stripe.PaymentIntent> {
    return this.client.request("POST", this.path(`/payment_intents/${id}/confirm`), body)
  }

  /** The buyer passes or fails the 3-D Secure challenge of an intent in requires_action. */
  completeThreeDSecure(id: string, result: "pass" | "fail" = "pass"): Promise<Stripe.PaymentIntent> {
    return this.client.request("POST", this.path(`/payment_intents/${id}/three_d_secure`), { result })
  }

  /** The buyer passes or fails the 3-D Secure challenge of a SetupIntent. */
  completeSetupThreeDSecure(id: string, result: "pass" | "fail" = "pass"): Promise<Stripe.SetupIntent> {
    return this.client.request("POST", this.path(`/setup_intents/${id}/three_d_secure`), { result })
  }

  /**
   * The buyer authorizes (`succeeded`) or fails (`failed`) a redirect payment (iDEAL) at the sandbox's bank page.
   * Answers the intent and the URL the bank sends the browser back to: the `return_url` with `payment_intent`,
   * `payment_intent_client_secret` and `redirect_status`.
   */
  completeRedirect(
    id: string,
    result: "succeeded" | "failed" = "succeeded"
  ): Promise<{ payment_intent: Stripe.PaymentIntent; return_url: string }> {
    return this.client.request("POST", this.path(`/payment_intents/${id}/redirect`), { result })
  }

  /** The authorization lapses: canceled with `cancellation_reason: "expired"`. */
  expirePaymentIntent(id: string): Promise<Stripe.PaymentIntent> {
    return this.client.request("POST", this.path(`/payment_intents/${id}/expire`))
  }

  /** The stored intent with its captures, charges, refunds and disputes. */
  inspectPaymentIntent(id: string): Promise<StripeIntentInspection> {
    return this.client.request("GET", this.path(`/payment_intents/${id}`))
  }

  /** A refund issued from the dashboard (no idempotency key, no API call by the plugin). */
  dashboardRefund(body: {
    payment_intent: string
    amount?: number
    reason?: "duplicate" | "fraudulent" | "requested_by_customer"
  }): Promise<Stripe.Refund> {
    return this.client.request("POST", this.path("/refunds"), body)
  }

  /** A refund that fails after the fact: status failed, the charge's amount_refunded restored. */
  failRefund(id: string, failureReason?: StripeRefundFailureReason): Promise<Stripe.Refund> {
    return this.client.request(
      "POST",
      this.path(`/refunds/${id}/fail`),
      failureReason ? { failure_reason: failureReason } : {}
    )
  }

  /** The buyer's bank opens a chargeback: needs_response, funds withdrawn. */
  openDispute(body: {
    payment_intent: string
    amount?: number
    reason?: StripeDisputeReason
  }): Promise<Stripe.Dispute> {
    return this.client.request("POST", this.path("/disputes"), body)
  }

  updateDisputeStatus(id: string, status: Stripe.Dispute.Status): Promise<Stripe.Dispute> {
    return this.client.request("POST", this.path(`/disputes/${id}`), { status })
  }

  closeDispute(id: string, outcome: "won" | "lost"): Promise<Stripe.Dispute> {
    return this.client.request("POST", this.path(`/disputes/${id}/close`), { outcome })
  }

  /** How many objects of each type the fake holds. */
  state(): Promise<Record<string, number>> {
    return this.client.request("GET", this.path("/state"))
  }
}
