import { z } from "@medusajs/framework/zod"

/**
 * Body of `POST /admin/orders/:id/reconcile`: empty, or `{ "data": { "payment_id": "pay_…" } }` to reconcile one
 * payment of the order. Unknown fields are refused.
 */
export const ReconcileOrderBody = z
  .object({
    data: z
      .object({
        payment_id: z
          .string({ error: "payment_id must be a string." })
          .regex(/^pay_[A-Za-z0-9]+$/, { error: "payment_id must be a Medusa payment id (pay_…)." }),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict()
