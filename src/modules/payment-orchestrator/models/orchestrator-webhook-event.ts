import { model } from "@medusajs/framework/utils"

/**
 * A PSP webhook event the plugin processed. The unique (gateway, event_id) pair is what makes processing exactly
 * once: the row is written in the same transaction as the event's effect, so a duplicate delivery fails to insert and
 * is skipped.
 */
export const OrchestratorWebhookEvent = model
  .define("orchestrator_webhook_event", {
    id: model.id({ prefix: "poevt" }).primaryKey(),
    gateway: model.text(),
    event_id: model.text(),
    event_type: model.text(),
    /** The PSP object the event is about (PaymentIntent, charge, capture, dispute id). */
    object_id: model.text().nullable(),
    outcome: model.text().nullable(),
  })
  .indexes([{ on: ["gateway", "event_id"], unique: true }])
