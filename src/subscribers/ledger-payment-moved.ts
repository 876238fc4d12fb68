import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { PaymentEvents } from "@medusajs/framework/utils"
import { recordOrderLedgerWorkflow } from "../workflows/ledger/record-order-ledger"

/**
 * Money moved on a payment outside the plugin's own workflows (Medusa's `POST /admin/payments/:id/capture|refund`,
 * the refunds of returns, claims and exchanges, the webhook sync's refunds): writes the payment's ledger rows. The
 * plugin's own capture and refund have written theirs already, so for them this finds nothing to change.
 */
export default async function ledgerPaymentMoved({ event, container }: SubscriberArgs<{ id: string }>): Promise<void> {
  await recordOrderLedgerWorkflow(container).run({ input: { payment_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: [PaymentEvents.CAPTURED, PaymentEvents.REFUNDED],
  context: { subscriberId: "payment-orchestrator-ledger-payment-moved" },
}
