import { Module } from "@medusajs/framework/utils"
import PaymentOrchestratorModuleService from "./service"

export const PAYMENT_ORCHESTRATOR_MODULE = "paymentOrchestrator"

export default Module(PAYMENT_ORCHESTRATOR_MODULE, { service: PaymentOrchestratorModuleService })

export { PaymentOrchestratorModuleService }
