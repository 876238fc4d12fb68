import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { OrderWorkflowEvents } from "@medusajs/framework/utils"
import { releaseCanceledOrderAuthorizationsWorkflow } from "../workflows/payments/release-canceled-order-authorizations"

/** An order was canceled: releases what its authorizations still hold behind their captures (see the workflow). */
export default async function releaseCanceledOrderAuthorizations({
  event,
  container,
}: SubscriberArgs<{ id: string }>): Promise<void> {
  await releaseCanceledOrderAuthorizationsWorkflow(container).run({ input: { order_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: OrderWorkflowEvents.CANCELED,
  context: { subscriberId: "payment-orchestrator-release-canceled-order-authorizations" },
}
