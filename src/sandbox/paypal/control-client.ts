/** Typed client for the PayPal fake's control routes (`/_sandbox/paypal/...`). */
import type { SandboxControlClient } from "../core/control-client"
import type { MoneyJson } from "./money"
import type { AuthorizationJson, CaptureJson, DisputeJson, OrderJson, RefundJson } from "./objects"

export type PayPalDisputeStatus = "OPEN" | "WAITING_FOR_SELLER_RESPONSE" | "WAITING_FOR_BUYER_RESPONSE" | "UNDER_REVIEW"

export interface PayPalCaptureView extends CaptureJson {
  refunds: RefundJson[]
  dispute_ids: string[]
  /** The soft descriptor the capture request carried. */
  soft_descriptor: string | null
}

export interface PayPalAuthorizationView extends AuthorizationJson {
  captures: PayPalCaptureView[]
}

export interface PayPalSandboxState {
  orders: OrderJson[]
  authorizations: AuthorizationJson[]
  captures: CaptureJson[]
  refunds: (RefundJson & { source: "api" | "dashboard" | "reversal" | "dispute" })[]
  disputes: DisputeJson[]
}

export interface PayPalSandboxCertificates {
  cert_id: string
  cert_url: string
  /** The leaf certificate (PEM) whose key signs webhooks. */
  certificate: string
  /** The sandbox CA (PEM) that signed it: pass it as the trusted root to an offline verifier in tests. */
  ca_certificate: string
  webhook_id: string
}

/** An amount for control routes: a decimal string in the capture's currency ("10.00") or a PayPal money object. */
export type ControlAmount = string | MoneyJson

export class PayPalSandboxControl {
  constructor(protected readonly client: SandboxControlClient) {}

  /** The buyer approves the order in PayPal's popup: CREATED → APPROVED, CHECKOUT.ORDER.APPROVED. */
  approveOrder(orderId: string, payer?: Record<string, unknown>): Promise<OrderJson> {
    return this.client.request("POST", `/paypal/orders/${enc(orderId)}/approve`, payer ? { payer } : {})
  }

  /** The buyer's funding instrument will be declined: authorize answers 422 INSTRUMENT_DECLINED, capture is DECLINED. */
  declineOrder(orderId: string): Promise<OrderJson> {
    return this.client.request("POST", `/paypal/orders/${enc(orderId)}/decline`, {})
  }

  getOrder(orderId: string): Promise<OrderJson> {
    return this.client.request("GET", `/paypal/orders/${enc(orderId)}`)
  }

  /** The authorization with its captures (each with its refunds). */
  getAuthorization(authorizationId: string): Promise<PayPalAuthorizationView> {
    return this.client.request("GET", `/paypal/authorizations/${enc(authorizationId)}`)
  }

  /** The authorization reaches the end of its validity: EXPIRED, PAYMENT.AUTHORIZATION.VOIDED. */
  expireAuthorization(authorizationId: string): Promise<AuthorizationJson> {
    return this.client.request("POST", `/paypal/authorizations/${enc(authorizationId)}/expire`, {})
  }

  getCapture(captureId: string): Promise<PayPalCaptureView> {
    return this.client.request("GET", `/paypal/captures/${enc(captureId)}`)
  }

  /** A refund issued from the PayPal dashboard (the rest of the capture when no amount): PAYMENT.CAPTURE.REFUNDED. */
  refundCapture(captureId: string, amount?: ControlAmount): Promise<RefundJson> {
    return this.client.request(
      "POST",
      `/paypal/captures/${enc(captureId)}/refund`,
      amount === undefined ? {} : { amount }
    )
  }

  /** PayPal reverses the capture (the rest of it when no amount): PAYMENT.CAPTURE.REVERSED. */
  reverseCapture(captureId: string, amount?: ControlAmount): Promise<RefundJson> {
    return this.client.request(
      "POST",
      `/paypal/captures/${enc(captureId)}/reverse`,
      amount === undefined ? {} : { amount }
    )
  }

  /** The buyer opens a dispute on a capture: CUSTOMER.DISPUTE.CREATED. */
  openDispute(input: {
    capture_id: string
    amount?: ControlAmount
    reason?: string
    status?: PayPalDisputeStatus
  }): Promise<DisputeJson> {
    return this.client.request("POST", "/paypal/disputes", input)
  }

  getDispute(disputeId: string): Promise<DisputeJson> {
    return this.client.request("GET", `/paypal/disputes/${enc(disputeId)}`)
  }

  /** Moves an open dispute to another open status: CUSTOMER.DISPUTE.UPDATED. */
  updateDispute(disputeId: string, status: PayPalDisputeStatus): Promise<DisputeJson> {
    return this.client.request("POST", `/paypal/disputes/${enc(disputeId)}`, { status })
  }

  /** Resolves a dispute: "lost" reverses the disputed amount (PAYMENT.CAPTURE.REVERSED), then CUSTOMER.DISPUTE.RESOLVED. */
  resolveDispute(disputeId: string, outcome: "won" | "lost"): Promise<DisputeJson> {
    return this.client.request("POST", `/paypal/disputes/${enc(disputeId)}/resolve`, { outcome })
  }

  state(): Promise<PayPalSandboxState> {
    return this.client.request("GET", "/paypal/state")
  }

  /** The webhook signing certificate, its CA, and the cert URL the sandbox puts in `paypal-cert-url`. */
  certificates(): Promise<PayPalSandboxCertificates> {
    return this.client.request("GET", "/paypal/certificates")
  }
}

function enc(id: string): string {
  return encodeURIComponent(id)
}
