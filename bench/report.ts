/** `bench/RESULTS.md`: what was measured, how, on what machine, the table of ratios and whether each target is met. */
import { cpuMsPerEvent, type FloodResult } from "./flood"
import type { RefundFloorResult } from "./refund-floor"
import type { SecondWorkerResult } from "./second-worker"
import { interval, ms, pairInterval, ratio, triple, type Summary } from "./stats"
import type { SteadyResult } from "./steady"

export interface Comparison {
  label: string
  ours: Summary
  baseline: Summary
  baselineLabel: string
  /** The p50 ratio must not exceed this; none for rows without a target. */
  maxRatio?: number
}

export interface Overhead {
  ours: Summary
  bare: Summary
  oursWithoutContext: Summary
  maxOverheadMs: number
}

export interface BenchReport {
  date: string
  commit: string
  machine: { cores: number; cpu: string; memoryGb: number; node: string; postgres: string; platform: string }
  versions: Record<string, string>
  counts: Record<string, string | number>
  runSeconds: number
  checkout: Comparison[]
  capture: Comparison[]
  overhead: Overhead | { notMeasured: string }
  flood: FloodResult | { notMeasured: string; acceptedPerSecond?: undefined }
  steady: (SteadyResult & { latency: Summary }) | { notMeasured: string }
  /** Part 3c: the flood with one process on Redis, then with a second worker process. */
  secondWorker: SecondWorkerResult | { notMeasured: string }
  /** Part 3's ceiling: Medusa's own refund route on the baseline store. */
  refundFloor: (RefundFloorResult & { latency: Summary }) | { notMeasured: string }
  minEventsPerSecond: number
  minEndToEndPerSecond: number
  maxSteadyP99Ms: number
  rss: RssRow
  /** 1-minute load average per phase: when it started, its mean and maximum (sampled every 2 s). */
  load: Record<string, { start: number; mean: number; max: number }>
}

/** Peak RSS (VmHWM, bytes) of each store's Medusa process; null where /proc is missing. */
export interface RssRow {
  oursAfterPart2: number | null
  officialAfterPart2: number | null
  oursEnd: number | null
}

function verdict(met: boolean | null): string {
  return met === null ? "not measured" : met ? "**met**" : "**not met**"
}

function comparisonRow(c: Comparison): string {
  const r50 = c.ours.p50 / c.baseline.p50
  const r50Interval = interval(
    pairInterval(c.ours.samples, c.baseline.samples, (a, b) => a / b),
    ratio
  )
  const r95 = c.ours.p95 / c.baseline.p95
  const r99 = c.ours.p99 / c.baseline.p99
  const target = c.maxRatio === undefined ? "–" : `p50 ≤ ${c.maxRatio.toFixed(2)}x`
  const met = c.maxRatio === undefined ? "–" : verdict(r50 <= c.maxRatio)
  return `| ${c.label} | ${c.ours.n} / ${c.baseline.n} | ${triple(c.ours)} | ${c.baselineLabel}: ${triple(c.baseline)} | ${ratio(r50)} ${r50Interval} (${ratio(r95)}, ${ratio(r99)}) | ${target} | ${met} |`
}

/** The Medusa process's CPU time during the flood, per event and per refund recorded (or nothing, unmeasured). */
function floodCpu(f: FloodResult): string {
  const perEvent = cpuMsPerEvent(f)
  if (f.medusaCpuMs === undefined || perEvent === undefined) {
    return ""
  }
  const refunds = f.correctness?.refundsExpected
  const perRefund = refunds
    ? `, ${(f.medusaCpuMs / refunds).toFixed(0)} ms per refund recorded (its events, the duplicates and the disputes included)`
    : ""
  return `; Medusa's process used ${perEvent.toFixed(0)} ms of CPU per event${perRefund}`
}

/**
 * How busy Medusa's own refund workflow alone keeps one process at the steady rate (its refunds per second × the CPU
 * per refund measured on the baseline store): a latency target needs headroom, and near 100% none is left.
 */
function steadyLoad(st: SteadyResult, floor: BenchReport["refundFloor"]): string {
  if ("notMeasured" in floor || floor.cpuMsPerRefund === null || st.deliveries === 0) {
    return ""
  }
  const refundsPerSecond = (st.refunds * st.rate) / st.deliveries
  return `; at ${refundsPerSecond.toFixed(1)} refunds/s, Medusa's own refund workflow alone needs ${((refundsPerSecond * floor.cpuMsPerRefund) / 1000).toFixed(2)} cores of CPU time (the ceiling row's CPU per refund)`
}

export function renderReport(r: BenchReport): string {
  const rows: string[] = []
  rows.push(...r.checkout.map(comparisonRow), ...r.capture.map(comparisonRow))

  if ("notMeasured" in r.overhead) {
    rows.push(
      `| 4. Provider capture vs bare SDK call (per call) | – | – | – | – | overhead < 2 ms | not measured: ${r.overhead.notMeasured} |`
    )
  } else {
    const o = r.overhead
    const delta = o.ours.p50 - o.bare.p50
    const deltaInterval = interval(pairInterval(o.ours.samples, o.bare.samples, (a, b) => a - b))
    rows.push(
      `| 4. Our provider's \`capturePayment\` vs a bare SDK capture (per call) | ${o.ours.n} / ${o.bare.n} | ${triple(o.ours)} | bare SDK: ${triple(o.bare)} | ${ratio(o.ours.p50 / o.bare.p50)} (${ratio(o.ours.p95 / o.bare.p95)}, ${ratio(o.ours.p99 / o.bare.p99)}); overhead p50 ${ms(delta)} ms ${deltaInterval} | overhead ≤ ${o.maxOverheadMs} ms | ${verdict(delta <= o.maxOverheadMs)} |`
    )
  }

  const f = r.flood
  const floodRows: string[] = []
  if ("deliveries" in f) {
    const twoCores = r.machine.cores === 2 ? "" : ` (measured on ${r.machine.cores} cores, the target is for 2)`
    const correct = f.correctness
    const rateMet = f.acceptedPerSecond >= r.minEventsPerSecond
    const allMet = correct ? rateMet && correct.ok : null
    floodRows.push(
      `| Events accepted per second (${f.deliveries} deliveries, ${f.deliveries - f.distinctEvents} duplicates, shuffled) | ${f.acceptedPerSecond.toFixed(0)}/s (${f.accepted} accepted, ${f.rejected} not, in ${(f.durationMs / 1000).toFixed(2)} s)${f.acceptedPerSecondBeforeProcessing === null ? "" : `; ${f.acceptedPerSecondBeforeProcessing.toFixed(0)}/s in the first 5 s, before Medusa ran any of them`} | ≥ ${r.minEventsPerSecond}/s on 2 cores${twoCores} | ${verdict(rateMet)} |`
    )
    floodRows.push(
      `| End-to-end throughput: distinct events / (first delivery → every effect in the database − the fixed 5 s delay) | ${
        f.endToEndPerSecond !== undefined
          ? `${f.endToEndPerSecond.toFixed(1)} events/s (${f.distinctEvents} events${floodCpu(f)})`
          : (f.effectsIncomplete ?? `not measured: ${f.notMeasured}`)
      } | ≥ ${r.minEndToEndPerSecond}/s | ${verdict(f.endToEndPerSecond === undefined ? null : f.endToEndPerSecond >= r.minEndToEndPerSecond)} |`
    )
    floodRows.push(
      `| Every effect in the database, beyond Medusa's fixed 5 s webhook delay | ${
        f.effectsBeyondDelayMs !== undefined
          ? `${(f.effectsBeyondDelayMs / 1000).toFixed(2)} s (${(f.effectsAfterLastDeliveryMs! / 1000).toFixed(2)} s after the last delivery)`
          : (f.effectsIncomplete ?? `not measured: ${f.notMeasured}`)
      } | – | – |`
    )
    floodRows.push(
      `| Each refund and dispute recorded exactly once | ${correct ? `${correct.refundsRecordedOnce} of ${correct.refundsExpected} refunds, ${correct.disputesRecordedOnce} of ${correct.disputesExpected} disputes; lost ${correct.lost}, duplicated ${correct.duplicated}` : `not measured: ${f.notMeasured}`} | zero lost or duplicated | ${verdict(correct ? correct.ok : null)} |`
    )
    floodRows.push(`| **Part 3 target** (accepted rate and exactly-once together) | | | ${verdict(allMet)} |`)
  } else {
    floodRows.push(`| Webhook flood | not measured: ${f.notMeasured} | – | not measured |`)
  }
  const floor = r.refundFloor
  if ("notMeasured" in floor) {
    floodRows.push(`| Ceiling set by Medusa's own refund workflow | not measured: ${floor.notMeasured} | – | – |`)
  } else {
    const refunds = "deliveries" in f ? f.correctness?.refundsExpected : undefined
    const ceiling =
      refunds && "deliveries" in f
        ? `; the flood records ${refunds} refunds among its ${f.distinctEvents} events, so a sync that records each refund through that workflow settles it at most at ${((floor.perSecond * f.distinctEvents) / refunds).toFixed(1)} events/s on this machine`
        : ""
    floodRows.push(
      `| Ceiling set by Medusa's own refund workflow: \`POST /admin/payments/:id/refund\` on the baseline store (official provider, no plugin), ${floor.refunds} refunds, ${floor.inFlight} in flight | ${floor.perSecond.toFixed(1)} refunds/s (p50 / p95 / p99 ${triple(floor.latency)} ms${floor.cpuMsPerRefund === null ? "" : `; ${floor.cpuMsPerRefund.toFixed(0)} ms of CPU per refund, ${(floor.busyShare ?? 0).toFixed(2)} cores used on average (CPU time / wall time, Node's helper threads included)`})${ceiling} | – | – |`
    )
  }
  const st = r.steady
  if ("notMeasured" in st) {
    floodRows.push(`| 3b. Latency at a steady rate | not measured: ${st.notMeasured} | – | not measured |`)
  } else {
    floodRows.push(
      `| 3b. Delivery → Medusa refund row at a steady ${st.rate} events/s (${st.deliveries} deliveries, ${st.refunds} refunds; sent at ${st.sentPerSecond.toFixed(1)}/s, ${st.accepted} accepted), p50 / p95 / p99 | ${triple(st.latency)} ms${steadyLoad(st, floor)} | p99 ≤ ${ms(r.maxSteadyP99Ms)} ms (5 s delay + 1 s) | ${verdict(st.latency.n > 0 ? st.latency.p99 <= r.maxSteadyP99Ms : null)} |`
    )
    floodRows.push(
      `| 3b. Each of those refunds recorded exactly once | ${st.recordedOnce} of ${st.refunds}; lost ${st.lost}, duplicated ${st.duplicated} | zero lost or duplicated | ${verdict(st.lost === 0 && st.duplicated === 0)} |`
    )
  }
  const w = r.secondWorker
  const e2e = (f: FloodResult) =>
    f.endToEndPerSecond === undefined
      ? (f.effectsIncomplete ?? `not measured: ${f.notMeasured}`)
      : `${f.endToEndPerSecond.toFixed(1)} events/s`
  const once = (f: FloodResult) =>
    f.correctness ? `lost ${f.correctness.lost}, duplicated ${f.correctness.duplicated}` : "not checked"
  if ("notMeasured" in w) {
    floodRows.push(
      `| 3c. A second worker process raising the end-to-end throughput (Redis event bus, workflow engine, locking) | not measured: ${w.notMeasured} | raises it | not measured |`
    )
  } else {
    const [one, two] = [w.one.endToEndPerSecond, w.two.endToEndPerSecond]
    const measured = one !== undefined && two !== undefined
    const correct = !!w.one.correctness?.ok && !!w.two.correctness?.ok
    floodRows.push(
      `| 3c. A second worker process raising the end-to-end throughput (${w.redis}; ${w.one.deliveries} deliveries on ${w.one.orders} orders each time, other orders the second time) | one process ${e2e(w.one)} (${once(w.one)}); with a second worker ${e2e(w.two)} (${once(w.two)})${measured ? `: ${ratio(two / one)}` : ""} | raises it, zero lost or duplicated | ${verdict(measured ? two > one && correct : null)} |`
    )
  }

  const mib = (b: number | null) => (b === null ? "not available (no /proc)" : `${(b / 1024 / 1024).toFixed(0)} MiB`)
  const rssRatio =
    r.rss.oursAfterPart2 !== null && r.rss.officialAfterPart2 !== null
      ? ` (${ratio(r.rss.oursAfterPart2 / r.rss.officialAfterPart2)})`
      : ""
  const rss = `after the same parts 1 and 2, the plugin's store ${mib(r.rss.oursAfterPart2)} vs the baseline store (official provider only) ${mib(r.rss.officialAfterPart2)}${rssRatio}; the plugin's store after part 3 as well: ${mib(r.rss.oursEnd)}`
  const counts = Object.entries(r.counts)
    .map(([k, v]) => `${k}: ${v}`)
    .join("; ")
  const versions = Object.entries(r.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ")

  let floodDetail = ""
  if ("deliveries" in f) {
    const types = Object.entries(f.eventTypes)
      .map(([t, n]) => `${n} \`${t}\``)
      .join(", ")
    floodDetail = `\nFlood: ${f.orders} orders, ${f.distinctEvents} distinct events (${types}).`
    if (f.correctness) {
      floodDetail += ` Disputes API: ${f.correctness.api}.`
      if (f.correctness.problems.length) {
        floodDetail += `\n\nProblems found by the correctness check (first ${f.correctness.problems.length}):\n\n${f.correctness.problems.map((p) => `- ${p}`).join("\n")}`
      }
    }
    floodDetail += "\n"
  }

  let overheadDetail = ""
  if (!("notMeasured" in r.overhead)) {
    const o = r.overhead
    overheadDetail = `\nPart 4 detail: the same capture with no capture id in its context (so the provider reads nothing from Medusa's database) took ${triple(o.oursWithoutContext)} ms (p50 / p95 / p99): of the ${ms(o.ours.p50 - o.bare.p50)} ms p50 overhead, about ${ms(o.ours.p50 - o.oursWithoutContext.p50)} ms are the provider's claim of its instruction together with Medusa's capture row (one SQL round trip, which also marks the attempt started) and ${ms(o.oursWithoutContext.p50 - o.bare.p50)} ms the rest (its own code and any extra call to the PSP).\n`
  }

  return `# Benchmark results

Generated by \`npm run bench\` on ${r.date} (commit ${r.commit}); the whole run took ${Math.round(r.runSeconds)} s.
Absolute times depend on the machine and on whatever else ran on it; the ratios are what the bench is for: both sides
were measured alternately (who goes first alternates every round), one request at a time, in the same run, after a
warm-up. Square brackets: bootstrap 95% interval of the p50 (of the p50 ratio, of the p50 overhead).

**Machine:** ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGb} GB RAM, ${r.machine.platform}, Node ${r.machine.node}, ${r.machine.postgres}.
**Versions:** ${versions}.
**Iterations:** ${counts}.
**Machine load** (1-minute load average per phase, at its start / mean / max, sampled every 2 s; above
${r.machine.cores}, other work competed for the cores): ${Object.entries(r.load)
    .map(([phase, v]) => `${phase} ${v.start.toFixed(1)} / ${v.mean.toFixed(1)} / ${v.max.toFixed(1)}`)
    .join("; ")}.

| Measurement | n (ours / baseline) | Ours p50 / p95 / p99 (ms) | Baseline p50 / p95 / p99 (ms) | Ratio p50 (p95, p99) | Target | Met |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}

| 3. Webhook ingestion (\`/hooks/payment/stripe_stripe\`) | Result | Target | Met |
| --- | --- | --- | --- |
${floodRows.join("\n")}
${floodDetail}${overheadDetail}
**Peak RSS of the Medusa process** (VmHWM, \`medusa start\`): ${rss}.

## What is measured

Two Medusa apps, started alike (\`medusa start\`, NODE_ENV=production, the same environment, real PostgreSQL, each
its own database created, migrated and seeded the same way and dropped by the bench), run side by side:
- **the plugin's store** (the repository's \`medusa-config.ts\`: the plugin's module, middlewares, routes,
  subscribers and our Stripe provider \`pp_stripe_stripe\`);
- **the baseline store** (project \`bench/official-store\`): the official \`@medusajs/payment-stripe\` provider
  (\`pp_stripe_official\`, through \`bench/official-stripe-provider.ts\`, which only points the official provider's own
  stripe v15 client at the sandbox) and nothing of the plugin, so its captures pay for none of our middleware.

Both talk to the same PSP sandbox (\`src/sandbox\`), started in the bench process. Each store is
\`demo/seed-store.ts\` with its provider enabled in its region; orders are one item ($60) plus shipping ($10). Medusa
runs with its in-process event bus, workflow engine and locking (no Redis; \`REDIS_URL\` is ignored). The sandbox
holds every webhook during parts 1 and 2, so no webhook traffic disturbs them. The baseline store stops after part 2.

1. **Checkout**: a guest storefront checkout through the store API: create the cart (item, email, addresses), add the
   shipping method, create the payment collection, create the payment session with the provider, then, after the
   buyer confirms the card at the sandbox (not timed: that is the browser talking to Stripe), complete the cart, which
   authorizes the payment and places the order. "Payment steps" is the part that reaches the provider: payment session
   creation and cart completion.
2. **Capture**: a full capture of an authorized order through Medusa's \`POST /admin/payments/:id/capture\`, with each
   provider, and through the plugin's \`POST /admin/orders/:id/transactions/:tid/capture\` with
   \`{"data": {"custom_reference": …}}\` (our provider only; compared with the official provider through Medusa's
   route, the only capture it has). The authorize transaction's id is read before the timer starts, as the admin page
   has it.
3. **Webhook ingestion**: dashboard refunds and disputes made at the sandbox on our provider's captured orders; their
   events (real signed Stripe events about those objects) are delivered by the sandbox's dispatcher to Medusa's
   \`/hooks/payment/stripe_stripe\`, every event once plus duplicates, shuffled, a fixed number of deliveries in flight
   at once (see Iterations; the sender runs on the same machine). Events per second = accepted deliveries / time from
   the first request to the last answer. Then the bench polls the database until every effect is there: each Stripe
   refund as exactly one Medusa refund on the right payment with its Stripe id in \`payment.data.refunds\`, each
   dispute as exactly one \`orchestrator_dispute\` row (and once in \`GET /admin/orders/:id/disputes\`); after every
   delayed event has run it checks again for duplicates. Medusa's route delays every webhook by a fixed 5 s, so that
   delay is subtracted. It stops waiting when no new effect has appeared for 30 s. End-to-end throughput = distinct
   events / (first delivery → every effect in the database, minus the fixed 5 s delay that every event waits once).
   3b. **Steady rate**: more dashboard refunds on orders the flood did not dispute; their events delivered one every
   1/rate s, in the order the PSP emitted them, whatever the answers; latency = the Medusa refund row's \`created_at\`
   (the database's clock, same machine) − when the first event about that refund was sent (the 5 s delay included).
   3c. **A second worker**: the plugin's store restarted with Medusa's Redis event bus, workflow engine and locking
   (as \`integration-tests/multi-instance\`; Redis at \`BENCH_REDIS_URL\`, a database of its own that the bench
   empties), then a flood as in part 3 (\`BENCH_WORKER_FLOOD_EVENTS\` deliveries on \`BENCH_WORKER_FLOOD_ORDERS\`
   orders) with that one process (\`MEDUSA_WORKER_MODE=shared\`, which receives the webhooks), and another flood of
   the same size on other orders once a second process (\`MEDUSA_WORKER_MODE=worker\`) consumes the same queue;
   end-to-end throughput and exactly-once as in part 3, for each.
   **Ceiling**: on the baseline store, after part 2 and its RSS reading, \`BENCH_FLOOR_REFUNDS\` partial refunds of $1.00
   of its captured orders through Medusa's own \`POST /admin/payments/:id/refund\`, \`BENCH_FLOOR_IN_FLIGHT\` at a time
   (the sync's default \`webhookSync.concurrency\`), never two of one payment at once. The webhook sync records each
   PSP refund through that same refund workflow, so refunds per second × the flood's events per refund bounds any
   such sync's end-to-end rate on this machine; the route also pays for the admin request and the official
   provider's refund call, and the flood's second events, duplicates and disputes come on top, so it is generous.
4. **Plugin overhead**: inside a Medusa container (\`medusa exec\`), the app's own provider instance's
   \`capturePayment\`, called as Medusa calls it for a full capture (the payment's stored data, and the id of the
   capture row Medusa has just written, one per payment), versus a bare \`stripe.paymentIntents.capture\` with the same
   SDK and settings, same sandbox, alternately, one call at a time.

Ratios are ours / official (parts 1, 2) and ours / bare SDK (part 4), of p50 (of p95 and p99 in brackets); a target
is judged on p50. Percentiles are nearest-rank over the measured samples; warm-up samples are dropped. Intervals are
percentile bootstraps (2000 resamples with replacement, each side resampled on its own, fixed seed): with a few dozen
samples a ratio whose interval straddles the target is not a clear verdict either way.

## How to run

\`\`\`sh
npm ci
npm run bench   # PostgreSQL as for the tests (DATABASE_URL or DB_*; the bench uses a database of its own)
\`\`\`

It takes about 10 minutes with the defaults and rewrites this file; run it on a quiet machine (see the load above).
Knobs (environment): \`BENCH_ROUNDS\` (measured rounds of parts 1 and 2, default 50), \`BENCH_WARMUP\` (5),
\`BENCH_FLOOD_EVENTS\` (1000), \`BENCH_FLOOD_ORDERS\` (200), \`BENCH_FLOOD_CONCURRENCY\` (32), \`BENCH_STEADY_RATE\`
(10), \`BENCH_STEADY_SECONDS\` (30), \`BENCH_OVERHEAD_CALLS\` (200), \`BENCH_OVERHEAD_WARMUP\` (20),
\`BENCH_WORKER_FLOOD_EVENTS\` (500), \`BENCH_WORKER_FLOOD_ORDERS\` (100; 0 skips part 3c), \`BENCH_FLOOR_REFUNDS\`
(250), \`BENCH_FLOOR_IN_FLIGHT\` (4), \`BENCH_REDIS_URL\`
(\`redis://127.0.0.1:6379/8\`), \`BENCH_DB_NAME\` (prefix of the two databases), \`BENCH_KEEP_DB=true\` (keep them
afterwards). \`BENCH_PARTS=webhooks\` runs only the plugin's store and parts 3, 3b and 3c, prints them and writes
\`bench/.tmp/webhooks.json\` instead of this file (for work on the webhook sync). The Medusa logs of the
run are in \`bench/.tmp/medusa.log\` (the plugin's store) and \`bench/.tmp/medusa-official.log\`. Never put timed
assertions in tests: these numbers are for comparison only.
`
}
