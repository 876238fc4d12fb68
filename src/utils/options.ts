import { MedusaError } from "@medusajs/framework/utils"
import type { z } from "@medusajs/framework/zod"

/**
 * Validates a provider's options at boot and turns zod's issues into one sentence a developer can act on.
 * Values are never echoed: options hold API keys and secrets.
 */
export function parseProviderOptions<T extends z.ZodTypeAny>(
  schema: T,
  options: unknown,
  providerLabel: string
): z.infer<T> {
  const result = schema.safeParse(options ?? {})
  if (result.success) {
    return result.data
  }
  const problems = result.error.issues
    .map((issue) => `${issue.path.join(".") || "(options)"}: ${issue.message}`)
    .join("; ")
  throw new MedusaError(
    MedusaError.Types.INVALID_DATA,
    `Invalid options for the ${providerLabel} payment provider: ${problems}. ` +
      `Set them in medusa-config.ts under the payment module's providers (see the options table in the README).`
  )
}
