import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { orchestratorPaymentsOfOrder } from "../workflows/reconcile/reconcile-order"
import { reconcileOptionsOf } from "../workflows/reconcile/reconcile-options"
import { paymentsToSweep, sweepPayments, type SweepProgress } from "../workflows/reconcile/sweep"

/**
 * A one-off reconciliation sweep: `npx medusa exec ./src/scripts/reconcile-payments.ts [-- --hours=168]
 * [--order=order_…] [--rate=2]` (from a store: the script's path in node_modules/medusa-payment-orchestrator/
 * .medusa/server/src/scripts/reconcile-payments.js). Defaults come from the plugin's `reconciliation` options. Shows a
 * progress bar and ends with a summary of what was repaired and what a person should check.
 */
export default async function reconcilePaymentsScript({ container, args }: ExecArgs): Promise<void> {
  const flags = Object.fromEntries(
    (args ?? [])
      .map((a) => /^--([a-z]+)=(.*)$/.exec(a))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1], m[2]])
  )
  const options = reconcileOptionsOf(container.resolve(ContainerRegistrationKeys.CONFIG_MODULE))
  const hours = flags.hours ? Number(flags.hours) : options.windowHours
  const rate = flags.rate ? Number(flags.rate) : options.paymentsPerSecond
  if (!(hours > 0) || !(rate > 0)) {
    throw new Error("--hours and --rate must be positive numbers.")
  }
  const ids = flags.order
    ? await orchestratorPaymentsOfOrder(container, flags.order)
    : await paymentsToSweep(container, { windowHours: hours, batchSize: options.batchSize })
  const out = process.stdout
  out.write(
    `Reconciling ${ids.length} payment(s)${flags.order ? ` of order ${flags.order}` : ` updated in the last ${hours} h`}, at most ${rate}/s.\n`
  )
  const summary = await sweepPayments(container, ids, { paymentsPerSecond: rate }, (p) => out.write(progressBar(p)))
  out.write("\n")
  out.write(
    `Checked ${summary.checked}, repaired ${summary.repaired.length}, discrepancies ${summary.discrepancies.length}, failed ${summary.failed.length}.\n`
  )
  for (const r of summary.repaired) {
    out.write(`  repaired   ${r.payment_id}  ${r.code}: ${r.detail}\n`)
  }
  for (const d of summary.discrepancies) {
    out.write(`  CHECK      ${d.payment_id}  ${d.code}: ${d.detail}\n`)
  }
  for (const f of summary.failed) {
    out.write(`  failed     ${f.payment_id}  ${f.error}\n`)
  }
}

function progressBar({ done, total }: SweepProgress): string {
  const width = 30
  const filled = total ? Math.round((done / total) * width) : width
  return `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`
}
