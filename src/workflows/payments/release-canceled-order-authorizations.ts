import type { IPaymentModuleService, Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createStep,
  createWorkflow,
  StepResponse,
  transform,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { heldAfterCaptures } from "../../planners/order-cancel-planner"
import { formatMoney } from "../../utils/money"
import { recordLedgerStep } from "../ledger/steps"
import { pluginPaymentsOfOrder } from "../payment-queries"
import { ORDER_LOCK, orderLockKey } from "../transactions/order-lock"
import { acquireOrderLockStep, releaseOrderLockStep } from "../transactions/order-lock-steps"

interface HeldPayment {
  payment_id: string
  gateway: string
  reference: string
  held: string
}

/**
 * The canceled order's payments, made with the plugin's providers, whose authorization still holds money at the PSP
 * after their captures (`heldAfterCaptures`). Payments of a live order, and payments Medusa already canceled, are left
 * alone.
 */
export const findHeldAuthorizationsStep = createStep(
  "find-held-authorizations",
  async (input: { order_id: string }, { container }) => {
    const { status, payments } = await pluginPaymentsOfOrder(container, input.order_id)
    if (status !== "canceled") {
      return new StepResponse<HeldPayment[]>([])
    }
    const held: HeldPayment[] = []
    for (const payment of payments) {
      // A record this plugin version cannot read (a newer one): its provider would refuse to void it too.
      if (payment.canceled_at || !payment.record) {
        continue
      }
      const amount = heldAfterCaptures(payment.record)
      if (amount > 0) {
        held.push({
          payment_id: payment.id,
          gateway: payment.gateway,
          reference: payment.record.reference,
          held: formatMoney(amount, payment.currency_code),
        })
      }
    }
    return new StepResponse(held)
  }
)

/**
 * Voids each held authorization through Medusa's payment module (the provider voids it at the PSP, Medusa sets the
 * payment's `canceled_at`): the buyer's money is released and the ledger offers no capture on a canceled order. A PSP
 * that refuses is logged with what to do; the order stays canceled.
 */
export const voidHeldAuthorizationsStep = createStep(
  "void-held-authorizations",
  async (input: { payments: HeldPayment[] }, { container }) => {
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
    const voided: string[] = []
    for (const payment of input.payments) {
      try {
        await payments.cancelPayment(payment.payment_id)
        voided.push(payment.payment_id)
      } catch (e) {
        logger.warn(
          `The order was canceled, but ${payment.gateway} did not release the ${payment.held} still authorized on payment ${payment.payment_id} (${payment.reference}): ${(e as Error).message} Void it in the ${payment.gateway} dashboard, or let it lapse.`
        )
      }
    }
    return new StepResponse(voided)
  }
)

/**
 * After Medusa's order cancel: releases at the PSP what the order's authorizations still hold behind their captures
 * (Medusa's cancel voids only payments without captures), under the order's lock, and writes the ledger.
 */
export const releaseCanceledOrderAuthorizationsWorkflow = createWorkflow(
  "release-canceled-order-authorizations",
  (input: { order_id: string }) => {
    const key = transform({ input }, ({ input }) => orderLockKey(input.order_id))
    acquireOrderLockStep({ key, ...ORDER_LOCK })
    const held = findHeldAuthorizationsStep({ order_id: input.order_id })
    const voided = voidHeldAuthorizationsStep({ payments: held })
    recordLedgerStep({ order_id: input.order_id, payment_ids: voided })
    releaseOrderLockStep({ key })
    return new WorkflowResponse(voided)
  }
)
