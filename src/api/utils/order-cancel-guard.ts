import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { RemoteQueryFunction } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { readRecord } from "../../payment-record/record"
import { planOrderCancel, type CancelPaymentInput } from "../../planners/order-cancel-planner"
import { identifierOf } from "../../providers/provider-registry"
import { formatMoney, toMinorUnits } from "../../utils/money"

interface PaymentRow {
  id: string
  provider_id: string
  currency_code: string
  data: Record<string, unknown> | null
  canceled_at: string | Date | null
  captures?: { raw_amount: unknown }[]
  refunds?: { raw_amount: unknown }[]
}

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
      payments = await pluginPaymentsToRefund(
        req.scope.resolve<RemoteQueryFunction>(ContainerRegistrationKeys.QUERY),
        req.params.id
      )
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
async function pluginPaymentsToRefund(query: RemoteQueryFunction, orderId: string): Promise<CancelPaymentInput[]> {
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "payment_collections.payments.id",
      "payment_collections.payments.provider_id",
      "payment_collections.payments.currency_code",
      "payment_collections.payments.data",
      "payment_collections.payments.canceled_at",
      "payment_collections.payments.captures.raw_amount",
      "payment_collections.payments.refunds.raw_amount",
    ],
    filters: { id: orderId },
  })
  const order = data[0] as { payment_collections?: { payments?: PaymentRow[] }[] } | undefined
  const rows = (order?.payment_collections ?? []).flatMap((c) => c?.payments ?? [])
  const inputs: CancelPaymentInput[] = []
  for (const row of rows) {
    const gateway = identifierOf(row.provider_id)
    if (!gateway || row.canceled_at || !row.captures?.length) {
      continue
    }
    const sum = (items: { raw_amount: unknown }[] = []) =>
      items.reduce((total, item) => MathBN.add(total, MathBN.convert(item.raw_amount as never)), MathBN.convert(0))
    const left = MathBN.sub(sum(row.captures), sum(row.refunds))
    const currency = row.currency_code.toLowerCase()
    if (row.data?.gateway !== gateway) {
      // Another provider with the same identifier (the official Stripe provider beside the plugin's): not ours.
      continue
    }
    let record
    try {
      record = readRecord(row.data, gateway)
    } catch (e) {
      // The provider would refuse to refund it for the same reason (a record of a newer plugin version).
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, (e as Error).message)
    }
    inputs.push({
      payment_id: row.id,
      record,
      refund_amount: MathBN.gt(left, 0) ? toMinorUnits(left, currency) : 0,
      gateway,
      money: (minor) => formatMoney(minor, currency),
    })
  }
  return inputs
}
