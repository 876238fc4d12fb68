import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../../modules/payment-orchestrator"
import type { InstructionOptions } from "../../../modules/payment-orchestrator/instruction-store"
import type PaymentOrchestratorModuleService from "../../../modules/payment-orchestrator/service"
import { recordGateway } from "../../../payment-record/record"

export interface PlanInstructionInput {
  kind: "capture" | "refund"
  payment_id: string
  /** The payment's PSP reference when the caller already read it (the ledger's line): saves reading the payment. */
  reference?: string
  options: InstructionOptions
}

/**
 * Leaves the provider's instruction for the capture or refund this workflow is about to ask Medusa for, in the
 * plugin's own module (never in payment data, which a storefront can reach). The provider claims it once, bound to
 * the new Medusa capture or refund id. If the workflow fails before the provider claimed it, it is withdrawn.
 */
export const planInstructionStep = createStep(
  "plan-payment-instruction",
  async (input: PlanInstructionInput, { container }) => {
    const reference = input.reference ?? (await referenceOf(container, input.payment_id))
    const orchestrator = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
    const instruction = await orchestrator.instructions.plan({
      kind: input.kind,
      payment_id: input.payment_id,
      reference,
      options: input.options,
    })
    return new StepResponse(instruction, instruction.id)
  },
  async (instructionId, { container }) => {
    if (instructionId) {
      await container
        .resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
        .instructions.withdraw(instructionId)
    }
  }
)

/** The PSP reference in a payment's record; refuses a payment that none of the plugin's providers made. */
async function referenceOf(container: MedusaContainer, paymentId: string): Promise<string> {
  const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const payment = await payments.retrievePayment(paymentId, { select: ["id", "data"] })
  const data = (payment.data ?? {}) as Record<string, unknown>
  if (!recordGateway(data)) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Payment ${paymentId} was not made by medusa-payment-orchestrator's providers, so its transactions cannot be managed here.`
    )
  }
  return data.reference as string
}

/** The Medusa capture or refund that claimed the instruction: the transaction this workflow created. */
export const claimedMedusaIdStep = createStep(
  "claimed-medusa-id",
  async (input: { instruction_id: string }, { container }) => {
    const orchestrator = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
    const medusaId = await orchestrator.instructions.complete(input.instruction_id)
    return new StepResponse(medusaId ? [medusaId] : [])
  }
)
