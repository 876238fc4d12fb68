import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { reconcileOptionsOf, type ReconcileOptions } from "../workflows/reconcile/reconcile-options"
import { paymentsToSweep, sweepPayments, type SweepSummary } from "../workflows/reconcile/sweep"

/**
 * The reconciliation sweep: every `reconciliation.intervalMinutes` (plugin option, default 15), the plugin's payments
 * updated within `windowHours` (default 72) are compared with their PSP, in batches of `batchSize`, at most
 * `paymentsPerSecond` (default 2). The job wakes every minute and runs on multiples of the interval, so every instance
 * agrees on when (Medusa runs a scheduled job on one instance at a time with a shared workflow engine).
 * `now` and `overrides` are for tests and scripts. Answers the summary, or null when it did not run.
 */
export async function runReconcileSweep(
  container: MedusaContainer,
  now: Date = new Date(),
  overrides: Partial<ReconcileOptions> = {}
): Promise<SweepSummary | null> {
  const options = { ...reconcileOptionsOf(container.resolve(ContainerRegistrationKeys.CONFIG_MODULE)), ...overrides }
  const minute = Math.floor(now.getTime() / 60_000)
  if (!options.enabled || minute % options.intervalMinutes !== 0) {
    return null
  }
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const ids = await paymentsToSweep(container, options, now)
  const summary = await sweepPayments(container, ids, options)
  logger.info(
    `[payment-orchestrator] reconciliation sweep: ${summary.checked} payment(s) checked, ${summary.repaired.length} repair(s), ${summary.discrepancies.length} discrepancy(ies), ${summary.failed.length} failed.`
  )
  return summary
}

/** Medusa's scheduled job (it passes more than the container: only the container is read). */
export default async function reconcilePaymentsJob(container: MedusaContainer): Promise<SweepSummary | null> {
  return runReconcileSweep(container)
}

export const config = {
  name: "payment-orchestrator-reconcile-payments",
  schedule: "* * * * *",
}
