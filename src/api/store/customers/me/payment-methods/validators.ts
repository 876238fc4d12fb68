import { z } from "@medusajs/framework/zod"

export const StoreListSavedPaymentMethods = z
  .object({
    provider_id: z
      .string()
      .regex(/^pp_[a-z0-9_-]+$/i, "must be a payment provider id")
      .optional(),
  })
  .strict()

export type StoreListSavedPaymentMethods = z.infer<typeof StoreListSavedPaymentMethods>
