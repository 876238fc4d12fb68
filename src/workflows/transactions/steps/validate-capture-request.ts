import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { InstructionOptions } from "../../../modules/payment-orchestrator/instruction-store"
import { isCaptureFinal, requestedCustomReference } from "../../../planners/rules"
import { formatMoney, majorUnitsString, toMinorUnits, validMinorAmount } from "../../../utils/money"
import { invalid, notAllowed } from "../transaction-errors"
import { findOrderTransaction } from "./find-order-transaction"
import type { OrderLedger } from "../../ledger/order-ledger"

/** The capture options of the transaction API: Elastic Path's fields and ProcessOut's capture options. */
export interface CaptureRequest {
  custom_reference?: string
  capture_mechanism?: "manual"
  capture_amount?: number
  capture_type?: "final" | "non-final"
  capture_statement_descriptor?: string
  invoice_detail_ids?: string[]
}

export interface CapturePlan {
  payment_id: string
  /** The payment's PSP reference, for the provider's instruction. */
  reference: string
  amount: number
  /** The amount in major units, as Medusa's capture workflow takes it. */
  major_amount: string
  /** The provider's instruction for this capture (written to the plugin's module, claimed once by the provider). */
  options: InstructionOptions
}

/**
 * Decides what to capture, refusing before anything moves: the amount (`capture_amount`, the total of the chosen line
 * items, or what is left), final or not, the custom reference by Elastic Path's three rules, the mechanism.
 */
export const validateCaptureRequestStep = createStep(
  "validate-capture-request",
  async (input: { ledger: OrderLedger; transaction_id: string; request: CaptureRequest }, { container }) => {
    const { ledger, request } = input
    const { line, transaction } = findOrderTransaction(ledger, input.transaction_id, "authorize", "captured")
    const money = (minor: number) => formatMoney(minor, line.currency)
    if (line.status === "canceled") {
      throw notAllowed(`Transaction ${transaction.id} was canceled: a canceled authorization cannot be captured.`)
    }
    if (line.status === "failed") {
      throw notAllowed(`Transaction ${transaction.id} failed at ${line.gateway}: there is no authorization to capture.`)
    }
    const capturable =
      line.detailed_status === "expired_uncaptured_charge" ? line.amount : (line.capturable_amount ?? 0)
    if (capturable <= 0) {
      throw notAllowed(
        line.multicapture === false && (line.released_amount ?? 0) > 0
          ? `Transaction ${transaction.id} has no multicapture at ${line.gateway}, so its first capture was final and released the rest (${money(line.released_amount!)}): nothing is left to capture. Ask the customer to pay the difference with a new payment.`
          : `Transaction ${transaction.id} is already fully captured or was closed by a final capture: nothing is left to capture.`
      )
    }
    if (request.capture_amount !== undefined && request.invoice_detail_ids !== undefined) {
      throw invalid("Give either capture_amount or invoice_detail_ids, not both.")
    }
    const itemsAmount = request.invoice_detail_ids
      ? await lineItemsAmount(container, ledger.order_id, request.invoice_detail_ids, line.currency)
      : undefined
    const amount = request.capture_amount ?? itemsAmount ?? capturable
    if (amount <= 0) {
      throw invalid(`The amount to capture must be positive; the chosen line items total ${money(amount)}.`)
    }
    if (amount > capturable) {
      throw notAllowed(
        `Cannot capture ${money(amount)}: only ${money(capturable)} of this authorization is left to capture.`
      )
    }
    const manual = request.capture_mechanism === "manual"
    // Without multicapture (most Stripe accounts and cards) the PSP captures an authorization once.
    const singleCapture = line.multicapture === false && !manual
    if (singleCapture && request.capture_type === "non-final") {
      throw invalid(
        `capture_type non-final needs multicapture, which ${line.gateway} does not offer for this payment (its card or account has none), so nothing was captured. Capture with capture_type final: ${money(amount)} is captured and the rest of the authorization${amount < capturable ? ` (${money(capturable - amount)})` : ""} is released.`
      )
    }
    const carried = validMinorAmount(amount, line.currency, line.gateway)
    if (!manual && !carried.ok) {
      throw invalid(carried.message)
    }
    return new StepResponse<CapturePlan>({
      payment_id: line.payment_id,
      reference: line.payment_reference,
      amount,
      major_amount: majorUnitsString(amount, line.currency),
      options: {
        amount,
        final:
          singleCapture ||
          isCaptureFinal({
            requested_final: request.capture_type !== "non-final",
            amount,
            left_to_capture: capturable,
          }),
        mechanism: manual ? "manual" : "automatic",
        ...(request.custom_reference === undefined
          ? {}
          : { custom_reference: requestedCustomReference(request.custom_reference) }),
        ...(request.capture_statement_descriptor && !manual
          ? { statement_descriptor: request.capture_statement_descriptor }
          : {}),
        ...(request.invoice_detail_ids ? { invoice_detail_ids: request.invoice_detail_ids } : {}),
      },
    })
  }
)

/** The total of the chosen order line items (ProcessOut `invoice_detail_ids`), in minor units. */
async function lineItemsAmount(
  container: Parameters<Parameters<typeof createStep>[1]>[1]["container"],
  orderId: string,
  itemIds: string[],
  currency: string
): Promise<number> {
  if (new Set(itemIds).size !== itemIds.length) {
    throw invalid("invoice_detail_ids names a line item more than once.")
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    // Asking for the order's `total` makes the order module compute totals, line items' included.
    fields: ["id", "total", "items.id", "items.total", "items.raw_total"],
    filters: { id: orderId },
  })
  const items = ((data[0] as { items?: { id: string; total: unknown; raw_total?: unknown }[] })?.items ?? []).filter(
    Boolean
  )
  let total = MathBN.convert(0)
  for (const id of itemIds) {
    const item = items.find((i) => i.id === id)
    if (!item) {
      throw invalid(`invoice_detail_ids: ${id} is not a line item of order ${orderId}.`)
    }
    total = MathBN.add(total, MathBN.convert((item.raw_total ?? item.total) as never))
  }
  return toMinorUnits(total, currency)
}
