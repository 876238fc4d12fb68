import { model } from "@medusajs/framework/utils"

/**
 * One line of an order's payment ledger, in Elastic Path's transaction shape: the authorization behind a Medusa
 * payment, a capture behind a Medusa capture, a refund behind a Medusa refund. Medusa's rows stay the source of truth
 * for amounts (the ledger is reconciled from them); the ledger adds what Medusa does not keep: the PSP reference of
 * each capture and refund, `custom_reference`, the capture and refund mechanisms, ProcessOut's detailed status, the
 * authorization's expiry and the history of status changes.
 */
export const OrchestratorTransaction = model
  .define("orchestrator_transaction", {
    id: model.id({ prefix: "potx" }).primaryKey(),
    /** The Medusa record behind this line: `pay_…` (authorize), `capt_…` (capture), `ref_…` (refund). */
    source_id: model.text().unique(),
    order_id: model.text().index(),
    payment_id: model.text().index(),
    /** The authorization a capture belongs to, the capture a refund belongs to (ledger ids). */
    parent_id: model.text().nullable(),
    transaction_type: model.enum(["authorize", "capture", "refund"]),
    gateway: model.text(),
    provider_id: model.text(),
    /** PSP id: Stripe PaymentIntent / refund id, PayPal authorization / capture / refund id. */
    reference: model.text().nullable(),
    custom_reference: model.text().nullable(),
    capture_mechanism: model.enum(["automatic", "manual"]).nullable(),
    refund_mechanism: model.enum(["automatic", "manual"]).nullable(),
    /** Integer amount in the currency's minor unit, as Elastic Path shows it. */
    amount: model.bigNumber(),
    currency: model.text(),
    status: model.enum(["pending", "complete", "failed", "canceled"]),
    /** ProcessOut's transaction status (`authorized`, `completed`, `refunded`, …) or `expired_uncaptured_charge`. */
    detailed_status: model.text(),
    psp_status: model.text().nullable(),
    statement_descriptor: model.text().nullable(),
    invoice_detail_ids: model.json().nullable(),
    expires_at: model.dateTime().nullable(),
    /** When the Medusa record was created: the ledger's order. */
    occurred_at: model.dateTime(),
    status_history: model.json(),
    metadata: model.json().nullable(),
  })
  .indexes([{ on: ["order_id", "occurred_at"] }])
