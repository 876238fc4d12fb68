import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../modules/payment-orchestrator"
import type PaymentOrchestratorModuleService from "../../modules/payment-orchestrator/service"

export interface GrantOffSessionPaymentInput {
  /** The PSP customer (Stripe `cus_…`: the account holder's `external_id`). */
  customer: string
  /** The customer's saved payment method (`pm_…`). */
  payment_method: string
}

const grantOffSessionPaymentStep = createStep(
  "grant-off-session-payment",
  async (input: GrantOffSessionPaymentInput, { container }) => {
    const orchestrator = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
    return new StepResponse(await orchestrator.instructions.grantOffSession(input))
  }
)

/**
 * Server-side only: a one-time grant (`mit_…`, valid for an hour) for one merchant-initiated (off-session) payment on
 * a customer's saved method, as ProcessOut's MIT. Pass it as `data.off_session_grant` when creating the payment
 * session from server code (`paymentModule.createPaymentSession`); the provider consumes it. A storefront cannot
 * create one, so a shopper can never make a payment merchant-initiated.
 */
export const grantOffSessionPaymentWorkflow = createWorkflow(
  "grant-off-session-payment",
  (input: GrantOffSessionPaymentInput) => new WorkflowResponse(grantOffSessionPaymentStep(input))
)
