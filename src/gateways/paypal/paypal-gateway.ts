// Work in progress: the PayPal adapter (Orders v2 + Payments v2) is being written.
import { GatewayError } from "../errors"
import type {
  CapturePaymentInput,
  CreatePaymentInput,
  GatewayCapture,
  GatewayPayment,
  GatewayRefund,
  PaymentGateway,
  RefundPaymentInput,
} from "../types"

export interface PayPalGatewayOptions {
  clientId: string
  clientSecret: string
  environment: "sandbox" | "live"
  apiBaseUrl?: string
  timeoutMs: number
  maxNetworkRetries: number
}

export class PayPalGateway implements PaymentGateway {
  readonly name = "paypal" as const

  constructor(readonly options: PayPalGatewayOptions) {}

  private notYet(): never {
    throw new GatewayError("paypal", "invalid_request", "The PayPal adapter is not implemented yet.")
  }

  async createPayment(_input: CreatePaymentInput): Promise<GatewayPayment> {
    return this.notYet()
  }
  async updatePaymentAmount(_reference: string, _amount: number, _currency: string): Promise<GatewayPayment> {
    return this.notYet()
  }
  async authorizePayment(_reference: string, _key: string): Promise<GatewayPayment> {
    return this.notYet()
  }
  async retrievePayment(_reference: string): Promise<GatewayPayment> {
    return this.notYet()
  }
  async capturePayment(_input: CapturePaymentInput): Promise<{ capture: GatewayCapture; payment: GatewayPayment }> {
    return this.notYet()
  }
  async cancelPayment(_reference: string, _authorizationId: string | null, _key: string): Promise<GatewayPayment> {
    return this.notYet()
  }
  async refundPayment(_input: RefundPaymentInput): Promise<GatewayRefund> {
    return this.notYet()
  }
  async listRefunds(_reference: string): Promise<GatewayRefund[]> {
    return this.notYet()
  }
}
