import { model } from "@medusajs/framework/utils"

/**
 * The index from a PSP reference to the Medusa payment session it belongs to: the Stripe PaymentIntent, the PayPal
 * order and each PayPal authorization (a reauthorization makes a new one). Written by the providers when the PSP
 * object is created or authorized (they know both ids then), read by the webhook sync to find the Medusa payment of
 * a capture, refund or dispute that names only PSP ids (PayPal dashboard refunds, disputes, captures without
 * `custom_id`). Medusa's `payment.payment_session_id` is indexed, so the lookup is two index reads, never a scan
 * over payment data. The SQL lives in `payment-ref-store.ts` (the providers cannot resolve this module).
 */
export const OrchestratorPaymentRef = model
  .define("orchestrator_payment_ref", {
    id: model.id({ prefix: "popr" }).primaryKey(),
    gateway: model.enum(["stripe", "paypal"]),
    /** PSP id: PaymentIntent `pi_…`, PayPal order id, PayPal authorization id. */
    reference: model.text(),
    /** Medusa payment session id (`payses_…`). */
    session_id: model.text(),
  })
  .indexes([{ on: ["gateway", "reference"], unique: true }])
