import { model } from "@medusajs/framework/utils"

/**
 * A server-side instruction to the providers, written only by the plugin's workflows, never by a storefront:
 * - `capture` / `refund`: the options of the capture or refund that the workflow is about to ask Medusa for (amount
 *   in minor units, final or not, descriptor, custom reference, mechanism, line items, target capture, note, refunds
 *   made at the PSP that Medusa is recording). The provider claims it when Medusa calls it with the new capture or
 *   refund id (`medusa_id`, unique) and it is consumed once. A capture or refund that Medusa started itself (its own
 *   routes) leaves a row too, as the durable "attempt started" mark: the provider reads the PSP before moving money
 *   only when an earlier attempt left a `started` row behind.
 * - `off_session`: a one-time grant that lets a payment session be merchant-initiated (`reference` = the grant's hash).
 * The SQL lives in `instruction-store.ts`, which the providers also use (they cannot resolve this module).
 */
export const OrchestratorInstruction = model
  .define("orchestrator_instruction", {
    id: model.id({ prefix: "poin" }).primaryKey(),
    kind: model.enum(["capture", "refund", "off_session"]),
    /** Medusa payment id, where known. */
    payment_id: model.text().nullable(),
    /** PSP reference of the payment (PaymentIntent, PayPal order), or the hash of an off-session grant. */
    reference: model.text(),
    /** Medusa capture or refund id the instruction belongs to, once claimed. */
    medusa_id: model.text().nullable(),
    /** Amount in minor units, options and outcome (see `InstructionOptions`). */
    options: model.json(),
    state: model.enum(["pending", "started", "done", "canceled"]),
  })
  .indexes([{ on: ["reference", "kind", "state"] }, { on: ["medusa_id"], unique: true }])
