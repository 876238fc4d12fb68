import type { IPaymentModuleService } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../../modules/payment-orchestrator"
import type { InstructionOptions } from "../../../modules/payment-orchestrator/instruction-store"
import type PaymentOrchestratorModuleService from "../../../modules/payment-orchestrator/service"
import { recordGateway } from "../../../payment-record/record"

export interface PlanInstructionInput {
  kind: "capture" | "refund"
  payment_id: string
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
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const payment = await payments.retrievePayment(input.payment_id, { select: ["id", "data"] })
    const data = (payment.data ?? {}) as Record<string, unknown>
    if (!recordGateway(data)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Payment ${input.payment_id} was not made by medusa-payment-orchestrator's providers, so its transactions cannot be managed here.`
      )
    }
    const orchestrator = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
    const instruction = await orchestrator.instructions.plan({
      kind: input.kind,
      payment_id: input.payment_id,
      reference: data.reference as string,
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

/** The Medusa capture or refund that claimed the instruction: the transaction this workflow created. */
export const claimedMedusaIdStep = createStep(
  "claimed-medusa-id",
  async (input: { instruction_id: string }, { container }) => {
    const orchestrator = container.resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
    const medusaId = await orchestrator.instructions.complete(input.instruction_id)
    return new StepResponse(medusaId ? [medusaId] : [])
  }
)
