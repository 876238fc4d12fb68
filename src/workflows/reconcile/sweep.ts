import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { recordGateway } from "../../payment-record/record"
import { webhookClaims } from "../webhook-sync/steps/claim-webhook-event"
import { reconcilePayments, type ReconcileSummary } from "./reconcile-order"
import type { ReconcileOptions } from "./reconcile-options"

export interface SweepProgress {
  done: number
  total: number
  payment_id: string
}

export interface SweepSummary extends ReconcileSummary {
  /** Payments whose reconciliation failed (the PSP did not answer, the order lock was busy…), with why. */
  failed: { payment_id: string; error: string }[]
}

/**
 * The payments a sweep checks: the plugin's payments updated within the window (read in batches), and any payment
 * with a webhook claim stranded by a dead process.
 */
export async function paymentsToSweep(
  container: MedusaContainer,
  options: Pick<ReconcileOptions, "windowHours" | "batchSize">,
  now: Date = new Date()
): Promise<string[]> {
  const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const since = new Date(now.getTime() - options.windowHours * 3600 * 1000)
  const ids: string[] = []
  for (let skip = 0; ; skip += options.batchSize) {
    const batch = await payments.listPayments({ updated_at: { $gte: since } } as never, {
      select: ["id", "data"],
      take: options.batchSize,
      skip,
      order: { updated_at: "ASC" },
    })
    ids.push(...batch.filter((p) => recordGateway(p.data as Record<string, unknown> | null)).map((p) => p.id))
    if (batch.length < options.batchSize) {
      break
    }
  }
  const stranded = await webhookClaims(container).paymentsWithExpiredClaims(options.batchSize)
  return [...new Set([...ids, ...stranded])]
}

/**
 * Reconciles the given payments one by one, at most `paymentsPerSecond` (each costs three PSP reads), reporting
 * progress. A payment that fails is reported and the sweep goes on.
 */
export async function sweepPayments(
  container: MedusaContainer,
  paymentIds: string[],
  options: Pick<ReconcileOptions, "paymentsPerSecond">,
  onProgress?: (progress: SweepProgress) => void
): Promise<SweepSummary> {
  const summary: SweepSummary = { checked: 0, repaired: [], discrepancies: [], failed: [] }
  const spacing = 1000 / options.paymentsPerSecond
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  for (const [index, paymentId] of paymentIds.entries()) {
    const started = Date.now()
    try {
      const one = await reconcilePayments(container, [paymentId])
      summary.checked += one.checked
      summary.repaired.push(...one.repaired)
      summary.discrepancies.push(...one.discrepancies)
    } catch (e) {
      const error = (e as Error)?.message ?? String(e)
      summary.failed.push({ payment_id: paymentId, error })
      logger.warn(`[payment-orchestrator] reconciliation of payment ${paymentId} failed: ${error}`)
    }
    onProgress?.({ done: index + 1, total: paymentIds.length, payment_id: paymentId })
    const wait = spacing - (Date.now() - started)
    if (wait > 0 && index < paymentIds.length - 1) {
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
  return summary
}
