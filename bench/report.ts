/** `bench/RESULTS.md`: what was measured, how, on what machine, the table of ratios and whether each target is met. */
import type { FloodResult } from "./flood"
import { ms, ratio, triple, type Summary } from "./stats"

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
  minEventsPerSecond: number
  peakRssBytes: number | null
  /** 1-minute load average when each phase started. */
  load: Record<string, number>
}

function verdict(met: boolean | null): string {
  return met === null ? "not measured" : met ? "**met**" : "**not met**"
}

function comparisonRow(c: Comparison): string {
  const r50 = c.ours.p50 / c.baseline.p50
  const r95 = c.ours.p95 / c.baseline.p95
  const r99 = c.ours.p99 / c.baseline.p99
  const target = c.maxRatio === undefined ? "–" : `p50 ≤ ${c.maxRatio.toFixed(2)}x`
  const met = c.maxRatio === undefined ? "–" : verdict(r50 <= c.maxRatio)
  return `| ${c.label} | ${c.ours.n} / ${c.baseline.n} | ${triple(c.ours)} | ${c.baselineLabel}: ${triple(c.baseline)} | ${ratio(r50)} (${ratio(r95)}, ${ratio(r99)}) | ${target} | ${met} |`
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
    rows.push(
      `| 4. Our provider's \`capturePayment\` vs a bare SDK capture (per call) | ${o.ours.n} / ${o.bare.n} | ${triple(o.ours)} | bare SDK: ${triple(o.bare)} | ${ratio(o.ours.p50 / o.bare.p50)} (${ratio(o.ours.p95 / o.bare.p95)}, ${ratio(o.ours.p99 / o.bare.p99)}); overhead p50 ${ms(delta)} ms | overhead < ${o.maxOverheadMs} ms | ${verdict(delta < o.maxOverheadMs)} |`
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
      `| Every effect in the database, beyond Medusa's fixed 5 s webhook delay | ${
        f.effectsBeyondDelayMs !== undefined
          ? `${(f.effectsBeyondDelayMs / 1000).toFixed(2)} s (${(f.effectsAfterLastDeliveryMs! / 1000).toFixed(2)} s after the last delivery)`
          : (f.effectsIncomplete ?? `not measured: ${f.notMeasured}`)
      } | – | – |`
    )
    floodRows.push(
      `| Each refund and dispute recorded exactly once | ${correct ? `${correct.refundsRecordedOnce} of ${correct.refundsExpected} refunds, ${correct.disputesRecordedOnce} of ${correct.disputesExpected} disputes; lost ${correct.lost}, duplicated ${correct.duplicated}` : `not measured: ${f.notMeasured}`} | zero lost or duplicated | ${verdict(correct ? correct.ok : null)} |`
    )
    floodRows.push(`| **Part 3 target** (rate and exactly-once together) | | | ${verdict(allMet)} |`)
  } else {
    floodRows.push(`| Webhook flood | not measured: ${f.notMeasured} | – | not measured |`)
  }

  const rss = r.peakRssBytes === null ? "not available (no /proc)" : `${(r.peakRssBytes / 1024 / 1024).toFixed(0)} MiB`
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
    overheadDetail = `\nPart 4 detail: the same capture with no capture id in its context (so the provider reads nothing from Medusa's database) took ${triple(o.oursWithoutContext)} ms (p50 / p95 / p99): of the ${ms(o.ours.p50 - o.bare.p50)} ms p50 overhead, about ${ms(o.ours.p50 - o.oursWithoutContext.p50)} ms are the provider's reads of Medusa's capture rows and ${ms(o.oursWithoutContext.p50 - o.bare.p50)} ms the rest (its own code and any extra call to the PSP).\n`
  }

  return `# Benchmark results

Generated by \`npm run bench\` on ${r.date} (commit ${r.commit}); the whole run took ${Math.round(r.runSeconds)} s.
Absolute times depend on the machine and on whatever else ran on it; the ratios are what the bench is for: both sides
were measured alternately, one request at a time, in the same run, after a warm-up.

**Machine:** ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGb} GB RAM, ${r.machine.platform}, Node ${r.machine.node}, ${r.machine.postgres}.
**Versions:** ${versions}.
**Iterations:** ${counts}.
**Machine load** (1-minute load average when each phase started; above ${r.machine.cores}, other work competed for
the cores): ${Object.entries(r.load)
    .map(([phase, value]) => `${phase} ${value.toFixed(1)}`)
    .join(", ")}.

| Measurement | n (ours / baseline) | Ours p50 / p95 / p99 (ms) | Baseline p50 / p95 / p99 (ms) | Ratio p50 (p95, p99) | Target | Met |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}

| 3. Webhook ingestion (\`/hooks/payment/stripe_stripe\`) | Result | Target | Met |
| --- | --- | --- | --- |
${floodRows.join("\n")}
${floodDetail}${overheadDetail}
**Peak RSS of the Medusa process** (VmHWM, \`medusa start\`, whole run): ${rss}.

## What is measured

One Medusa app (\`medusa start\`, NODE_ENV=production, real PostgreSQL, its own database created and dropped by the
bench) registers our Stripe provider (\`pp_stripe_stripe\`) and the official \`@medusajs/payment-stripe\` provider
(\`pp_stripe_official\`, through \`bench/official-stripe-provider.ts\`, which only points the official provider's own
stripe v15 client at the sandbox). Both talk to the same PSP sandbox (\`src/sandbox\`), started in the bench process.
The store is \`demo/seed-store.ts\` with both providers enabled in its region; orders are one item ($60) plus shipping
($10). Medusa runs with its in-process event bus, workflow engine and locking (no Redis; \`REDIS_URL\` is ignored).
The sandbox holds every webhook during parts 1 and 2, so no webhook traffic disturbs them.

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
   delay is subtracted. It stops waiting when no new effect has appeared for 30 s.
4. **Plugin overhead**: inside a Medusa container (\`medusa exec\`), the app's own provider instance's
   \`capturePayment\`, called as Medusa calls it for a full capture (the payment's stored data, and the id of the
   capture row Medusa has just written, one per payment), versus a bare \`stripe.paymentIntents.capture\` with the same
   SDK and settings, same sandbox, alternately, one call at a time.

Ratios are ours / official (parts 1, 2) and ours / bare SDK (part 4), of p50 (of p95 and p99 in brackets); a target
is judged on p50. Percentiles are nearest-rank over the measured samples; warm-up samples are dropped.

## How to run

\`\`\`sh
npm ci
npm run bench   # PostgreSQL as for the tests (DATABASE_URL or DB_*; the bench uses a database of its own)
\`\`\`

It takes several minutes and rewrites this file. Knobs (environment): \`BENCH_ROUNDS\` (measured rounds of parts 1
and 2), \`BENCH_WARMUP\`, \`BENCH_FLOOD_EVENTS\`, \`BENCH_FLOOD_ORDERS\`, \`BENCH_FLOOD_CONCURRENCY\`,
\`BENCH_OVERHEAD_CALLS\`, \`BENCH_DB_NAME\`, \`BENCH_KEEP_DB=true\` (keep the database afterwards). The Medusa log of the
run is in \`bench/.tmp/medusa.log\`. Never put timed assertions in tests: these numbers are for comparison only.
`
}
