import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { OrderWorkflowEvents } from "@medusajs/framework/utils"
import { recordOrderLedgerWorkflow } from "../workflows/ledger/record-order-ledger"

/**
 * An order was placed (its payments authorized: the authorize lines) or canceled (Medusa voided its uncaptured
 * payments and refunded its captured ones, which emit no payment event): writes the ledger rows of the order's
 * payments.
 */
export default async function ledgerOrderMoved({ event, container }: SubscriberArgs<{ id: string }>): Promise<void> {
  await recordOrderLedgerWorkflow(container).run({ input: { order_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: [OrderWorkflowEvents.PLACED, OrderWorkflowEvents.CANCELED],
  context: { subscriberId: "payment-orchestrator-ledger-order-moved" },
}
