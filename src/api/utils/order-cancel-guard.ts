import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { planOrderCancel, type CancelPaymentInput } from "../../planners/order-cancel-planner"
import { formatMoney, toMinorUnits } from "../../utils/money"
import { pluginPaymentsOfOrder } from "../../workflows/payment-queries"

/**
 * `POST /admin/orders/:id/cancel`, under the order's lock (`lockOrderAction` runs first): refuses the cancel when
 * Medusa's cancel would ask one of the plugin's providers for a refund the provider refuses (see `planOrderCancel`).
 * Medusa's own cancel swallows that refusal and cancels the order anyway, recording a refund that never happened.
 * Orders without the plugin's payments, and payments the cancel does not refund, pass untouched.
 */
export function refuseUnrefundableCancel() {
  return async function orderCancelGuard(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
    let payments: CancelPaymentInput[]
    try {
      payments = await pluginPaymentsToRefund(req.scope, req.params.id)
    } catch (e) {
      return next(e)
    }
    const plan = planOrderCancel(payments, new Date().toISOString())
    if (plan.kind === "refuse") {
      return next(new MedusaError(MedusaError.Types.NOT_ALLOWED, plan.message))
    }
    next()
  }
}

/** The order's payments made with the plugin's providers, with what Medusa's cancel would refund of each. */
async function pluginPaymentsToRefund(container: MedusaContainer, orderId: string): Promise<CancelPaymentInput[]> {
  const { payments } = await pluginPaymentsOfOrder(container, orderId, ["captures.raw_amount", "refunds.raw_amount"])
  const inputs: CancelPaymentInput[] = []
  for (const payment of payments) {
    if (payment.canceled_at || !payment.captures?.length) {
      continue
    }
    if (!payment.record) {
      // The provider would refuse to refund it for the same reason (a record of a newer plugin version).
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, payment.unreadable ?? "The payment's record cannot be read.")
    }
    const sum = (items: { raw_amount: unknown }[] = []) =>
      items.reduce((total, item) => MathBN.add(total, MathBN.convert(item.raw_amount as never)), MathBN.convert(0))
    const left = MathBN.sub(sum(payment.captures), sum(payment.refunds))
    const currency = payment.currency_code.toLowerCase()
    inputs.push({
      payment_id: payment.id,
      record: payment.record,
      refund_amount: MathBN.gt(left, 0) ? toMinorUnits(left, currency) : 0,
      gateway: payment.gateway,
      money: (minor) => formatMoney(minor, currency),
    })
  }
  return inputs
}
