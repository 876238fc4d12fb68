import { model } from "@medusajs/framework/utils"

/**
 * A chargeback opened at the PSP against one of an order's captures (Stripe dispute, PayPal dispute), with the
 * history of its status changes. Medusa has no concept of disputes; a lost one is recorded in Medusa as a refund
 * with the `chargeback` refund reason (`refund_id`).
 */
export const OrchestratorDispute = model
  .define("orchestrator_dispute", {
    id: model.id({ prefix: "podp" }).primaryKey(),
    gateway: model.text(),
    /** The PSP's dispute id (`dp_…`, `PP-D-…`). */
    reference: model.text(),
    order_id: model.text().index(),
    payment_id: model.text().index(),
    /** The ledger id of the disputed capture. */
    transaction_id: model.text().nullable(),
    amount: model.bigNumber(),
    currency: model.text(),
    reason: model.text().nullable(),
    status: model.text(),
    psp_status: model.text().nullable(),
    evidence_due_by: model.dateTime().nullable(),
    closed_at: model.dateTime().nullable(),
    /** The Medusa refund recorded when the dispute was lost. */
    refund_id: model.text().nullable(),
    history: model.json(),
    metadata: model.json().nullable(),
  })
  .indexes([{ on: ["gateway", "reference"], unique: true }])
