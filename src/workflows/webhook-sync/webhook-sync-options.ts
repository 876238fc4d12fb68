import type { ConfigModule } from "@medusajs/framework/types"
import { z } from "@medusajs/framework/zod"
import { pluginOptionGroup } from "../reconcile/reconcile-options"

/**
 * The webhook sync's options: `webhookSync` in the plugin's options (or in its module's options when a store
 * registers the module directly, as this repository's development store does). How often one delivery is tried before
 * it is given up to the event bus, the first wait between two tries (each next wait doubles, with jitter), and how many
 * orders one process syncs at once.
 */
export const webhookSyncOptionsSchema = z
  .object({
    /** Tries of one delivery (the first included). */
    attempts: z.number().int().min(1).max(20).default(5),
    /** Milliseconds before the second try; then 2×, 4×, … (each × 0.5–1.5 jitter). Tests set it small. */
    retryDelayMs: z.number().int().min(0).max(60_000).default(1_000),
    /** Orders one process syncs at once (their events wait their turn, coalesced); see `order-sync-queue.ts`. */
    concurrency: z.number().int().min(1).max(64).default(4),
  })
  .strict()

export type WebhookSyncOptions = z.infer<typeof webhookSyncOptionsSchema>

export const WEBHOOK_SYNC_DEFAULTS: WebhookSyncOptions = webhookSyncOptionsSchema.parse({})

const parsed = new WeakMap<object, WebhookSyncOptions>()

/** The webhook sync's options from Medusa's config module, with defaults; invalid ones are refused with a sentence. */
export function webhookSyncOptionsOf(
  config: Pick<ConfigModule, "plugins" | "modules"> | undefined
): WebhookSyncOptions {
  const cached = config ? parsed.get(config) : undefined
  if (cached) {
    return cached
  }
  const result = webhookSyncOptionsSchema.safeParse(pluginOptionGroup(config, "webhookSync"))
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "webhookSync"}: ${i.message}`).join("; ")
    throw new Error(
      `Invalid webhookSync options of medusa-payment-orchestrator: ${problems}. See the README's "Webhook sync" section.`
    )
  }
  if (config) {
    parsed.set(config, result.data)
  }
  return result.data
}
