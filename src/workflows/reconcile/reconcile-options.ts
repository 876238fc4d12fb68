import type { ConfigModule } from "@medusajs/framework/types"
import { z } from "@medusajs/framework/zod"

/**
 * The reconciliation sweep's options: `reconciliation` in the plugin's options (`plugins: [{ resolve:
 * "medusa-payment-orchestrator", options: { reconciliation: { … } } }]`), or in the options of the plugin's module
 * when a store registers it directly (as this repository's development store does).
 */
export const reconcileOptionsSchema = z
  .object({
    /** Run the scheduled sweep at all. */
    enabled: z.boolean().default(true),
    /** Minutes between two sweeps (the job wakes every minute and runs on multiples of this). */
    intervalMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    /** Payments updated within this many hours are swept. */
    windowHours: z
      .number()
      .positive()
      .max(24 * 90)
      .default(72),
    /** Payments read from the database at a time. */
    batchSize: z.number().int().min(1).max(500).default(50),
    /** Payments reconciled per second at most (each costs three PSP reads). */
    paymentsPerSecond: z.number().positive().max(50).default(2),
  })
  .strict()

export type ReconcileOptions = z.infer<typeof reconcileOptionsSchema>

export const RECONCILE_DEFAULTS: ReconcileOptions = reconcileOptionsSchema.parse({})

type Entry = { resolve?: unknown; options?: Record<string, unknown> } | string

function ownEntry(entries: unknown, key: string): Record<string, unknown> | undefined {
  const list = Array.isArray(entries) ? entries : entries && typeof entries === "object" ? Object.values(entries) : []
  for (const entry of list as Entry[]) {
    if (typeof entry === "object" && entry && typeof entry.resolve === "string") {
      if (/medusa-payment-orchestrator|modules\/payment-orchestrator/.test(entry.resolve)) {
        const value = entry.options?.[key]
        if (value && typeof value === "object") {
          return value as Record<string, unknown>
        }
      }
    }
  }
  return undefined
}

/**
 * One group of the plugin's options (`reconciliation`, `webhookSync`): from the plugin's entry in `plugins`, or from
 * the plugin's module in `modules` when a store registers it directly. Empty when not set.
 */
export function pluginOptionGroup(
  config: Pick<ConfigModule, "plugins" | "modules"> | undefined,
  key: string
): Record<string, unknown> {
  return ownEntry(config?.plugins, key) ?? ownEntry(config?.modules, key) ?? {}
}

/** The sweep's options from Medusa's config module, with defaults; invalid options are refused with a sentence. */
export function reconcileOptionsOf(config: Pick<ConfigModule, "plugins" | "modules"> | undefined): ReconcileOptions {
  const raw = pluginOptionGroup(config, "reconciliation")
  const parsed = reconcileOptionsSchema.safeParse(raw)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "reconciliation"}: ${i.message}`).join("; ")
    throw new Error(
      `Invalid reconciliation options of medusa-payment-orchestrator: ${problems}. See the README's "Reconciliation" section.`
    )
  }
  return parsed.data
}
