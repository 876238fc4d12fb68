import { model } from "@medusajs/framework/utils"

/**
 * A PSP webhook event the plugin claimed. The unique (gateway, event_id) pair is what makes processing exactly once:
 * the delivery that inserts the row processes the event, a duplicate delivery fails to insert and is skipped. The
 * claim is a lease: `processing` until its outcome is written (`done`); a claim still `processing` after `lease_until`
 * belongs to a process that died between the claim and its effect, and the next delivery (or the reconciler) takes it
 * over with one atomic update (see `webhook-claims.ts`).
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
    /** The Medusa payment the event is about (set when the event is claimed). */
    payment_id: model.text().nullable(),
    state: model.enum(["processing", "done"]).default("processing"),
    /** Until when the claiming process owns the event; after it, another delivery or the reconciler may take it over. */
    lease_until: model.dateTime().nullable(),
    /** How many times the event was claimed (1 + take-overs). */
    attempts: model.number().default(1),
  })
  .indexes([{ on: ["gateway", "event_id"], unique: true }, { on: ["payment_id"] }, { on: ["state", "lease_until"] }])
