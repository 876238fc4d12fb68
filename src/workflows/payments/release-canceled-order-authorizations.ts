import type { IPaymentModuleService, Logger, RemoteQueryFunction } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createStep,
  createWorkflow,
  StepResponse,
  transform,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { readRecord } from "../../payment-record/record"
import { heldAfterCaptures } from "../../planners/order-cancel-planner"
import { identifierOf } from "../../providers/provider-registry"
import { formatMoney } from "../../utils/money"
import { recordLedgerStep } from "../ledger/steps"
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
    const query = container.resolve<RemoteQueryFunction>(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "status",
        "payment_collections.payments.id",
        "payment_collections.payments.provider_id",
        "payment_collections.payments.currency_code",
        "payment_collections.payments.data",
        "payment_collections.payments.canceled_at",
      ],
      filters: { id: input.order_id },
    })
    const order = data[0] as
      | {
          status: string
          payment_collections?: {
            payments?: {
              id: string
              provider_id: string
              currency_code: string
              data: Record<string, unknown> | null
              canceled_at: unknown
            }[]
          }[]
        }
      | undefined
    if (order?.status !== "canceled") {
      return new StepResponse<HeldPayment[]>([])
    }
    const held: HeldPayment[] = []
    for (const payment of (order.payment_collections ?? []).flatMap((c) => c?.payments ?? [])) {
      const gateway = identifierOf(payment.provider_id)
      if (!gateway || payment.canceled_at || payment.data?.gateway !== gateway) {
        continue
      }
      let record
      try {
        record = readRecord(payment.data, gateway)
      } catch {
        // A record this plugin version cannot read (a newer one): its provider would refuse to void it too.
        continue
      }
      const amount = heldAfterCaptures(record)
      if (amount > 0) {
        held.push({
          payment_id: payment.id,
          gateway,
          reference: record.reference,
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
