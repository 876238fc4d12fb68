/**
 * `npm run bench`: our Stripe provider in the plugin's store against the official @medusajs/payment-stripe in a store
 * without the plugin (two Medusa apps started alike), against one PSP sandbox. See bench/RESULTS.md (which this
 * writes) for what is measured and how.
 */
import { spawnSync } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { performance } from "node:perf_hooks"
import { Client } from "pg"
import { format, resolveConfig } from "prettier"
import { startSandbox, type RunningSandbox } from "../src/sandbox"
import {
  benchDatabaseUrl,
  dropDatabase,
  freePort,
  medusaCommand,
  OFFICIAL_STORE,
  recreateDatabase,
  redactDatabaseUrl,
  ROOT,
  startApp,
  TMP,
  type RunningApp,
} from "./app"
import { cpuMsPerEvent, runFlood, webhookSyncPresent, type FloodConfig, type FloodResult } from "./flood"
import type { OverheadSamples } from "./overhead"
import { renderReport, type BenchReport, type Comparison, type Overhead, type RssRow } from "./report"
import { measureRefundFloor } from "./refund-floor"
import { summarize } from "./stats"
import { runSecondWorker } from "./second-worker"
import { runSteady, type SteadyResult } from "./steady"
import {
  adminLogin,
  authorizeTransactionId,
  captureThroughMedusa,
  captureThroughTransactions,
  checkout,
  MedusaHttp,
  type PlacedOrder,
  type SeededStore,
} from "./store-flows"

const OURS = "pp_stripe_stripe"
const OFFICIAL = "pp_stripe_official"
const ADMIN_EMAIL = "bench@example.com"
const ADMIN_PASSWORD = "bench-password"

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === "") {
    return fallback
  }
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number, not "${raw}".`)
  }
  return value
}

const config = {
  rounds: intEnv("BENCH_ROUNDS", 50),
  warmup: intEnv("BENCH_WARMUP", 5),
  floodOrders: intEnv("BENCH_FLOOD_ORDERS", 200),
  floodEvents: intEnv("BENCH_FLOOD_EVENTS", 1000),
  floodConcurrency: intEnv("BENCH_FLOOD_CONCURRENCY", 32),
  steadyRate: intEnv("BENCH_STEADY_RATE", 10),
  steadySeconds: intEnv("BENCH_STEADY_SECONDS", 30),
  overheadCalls: intEnv("BENCH_OVERHEAD_CALLS", 200),
  overheadWarmup: intEnv("BENCH_OVERHEAD_WARMUP", 20),
  workerFloodOrders: intEnv("BENCH_WORKER_FLOOD_ORDERS", 100),
  workerFloodEvents: intEnv("BENCH_WORKER_FLOOD_EVENTS", 500),
  floorRefunds: intEnv("BENCH_FLOOR_REFUNDS", 250),
  floorInFlight: intEnv("BENCH_FLOOR_IN_FLIGHT", 4),
  redisUrl: process.env.BENCH_REDIS_URL || "redis://127.0.0.1:6379/8",
}
/**
 * `BENCH_PARTS=webhooks`: only the plugin's store and the webhook parts (3, 3b, 3c), printed and written to
 * bench/.tmp/webhooks.json, not to RESULTS.md: for working on the webhook sync. Default `all`.
 */
const PARTS = process.env.BENCH_PARTS || "all"
if (PARTS !== "all" && PARTS !== "webhooks") {
  throw new Error(`BENCH_PARTS must be "all" or "webhooks", not "${PARTS}".`)
}
const WEBHOOKS_ONLY = PARTS === "webhooks"
const FLOOD_DUPLICATE_SHARE = 0.3
const TARGET_RATIO = 1.1
const TARGET_OVERHEAD_MS = 2
const TARGET_EVENTS_PER_SECOND = 200
const TARGET_END_TO_END_PER_SECOND = 50
/** Medusa's fixed 5 s webhook delay + 1 s. */
const TARGET_STEADY_P99_MS = 6000

const startedAt = performance.now()
/** The 1-minute load average, sampled every 2 s, per phase. */
const load: Record<string, number[]> = {}
let currentPhase = ""
function phase(name: string): void {
  currentPhase = name
  load[name] = [os.loadavg()[0]]
}
const loadSampler = setInterval(() => load[currentPhase]?.push(os.loadavg()[0]), 2000)
loadSampler.unref()
function say(line: string): void {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)
  console.log(`[${seconds} s] ${line}`)
}

async function main(): Promise<void> {
  fs.mkdirSync(TMP, { recursive: true })
  const logs = { ours: path.join(TMP, "medusa.log"), official: path.join(TMP, "medusa-official.log") }
  for (const file of Object.values(logs)) {
    fs.writeFileSync(file, "")
  }
  const databases = { ours: benchDatabaseUrl("ours"), official: benchDatabaseUrl("official") }
  const keepDb = process.env.BENCH_KEEP_DB === "true"
  const cores = os.cpus().length
  say(
    `Benchmark on ${cores} cores; Medusa output goes to ${path.relative(ROOT, logs.ours)} and ${path.relative(ROOT, logs.official)}`
  )
  say(
    `Databases ${redactDatabaseUrl(databases.ours)} and …_official (created now, dropped at the end${keepDb ? ": no, BENCH_KEEP_DB" : ""})`
  )
  phase("setup")
  await recreateDatabase(databases.ours)
  if (!WEBHOOKS_ONLY) {
    await recreateDatabase(databases.official)
  }

  const ports = { ours: await freePort(), official: await freePort() }
  const hookUrl = `http://127.0.0.1:${ports.ours}/hooks/payment/stripe_stripe`
  let sandbox: RunningSandbox | undefined
  const apps: { ours?: RunningApp; official?: RunningApp } = {}
  try {
    sandbox = await startSandbox({ port: 0 })
    // Every webhook is held until part 3: parts 1 and 2 measure requests, not background webhook processing.
    await sandbox.control.configureWebhooks("stripe", { url: hookUrl, hold: true })
    await sandbox.control.configureWebhooks("paypal", { hold: true })
    const seedOut = { ours: path.join(TMP, "seed.json"), official: path.join(TMP, "seed-official.json") }
    const overheadOut = path.join(TMP, "overhead.json")
    // Set explicitly rather than deleted: the medusa CLI loads `.env` for whatever is unset, and the bench must only
    // ever reach the sandbox, with Medusa's in-process event bus, workflow engine and locking (no REDIS_URL).
    // Both stores get the same environment but for their database and seed output.
    const common: NodeJS.ProcessEnv = {
      ...process.env,
      PSP_SANDBOX_URL: sandbox.url,
      STRIPE_API_KEY: sandbox.stripe.apiKey,
      STRIPE_WEBHOOK_SECRET: sandbox.stripe.webhookSecret,
      STRIPE_API_BASE_URL: sandbox.url,
      PAYPAL_CLIENT_ID: sandbox.paypal.clientId,
      PAYPAL_CLIENT_SECRET: sandbox.paypal.clientSecret,
      PAYPAL_WEBHOOK_ID: sandbox.paypal.webhookId,
      PAYPAL_API_BASE_URL: sandbox.paypal.apiBaseUrl,
      REDIS_URL: "",
      MEDUSA_WORKER_MODE: "shared",
      MEDUSA_ADMIN_DISABLED: "true",
      MEDUSA_DISABLE_TELEMETRY: "true",
      STRIPE_SUPPRESS_NOTICES: "true",
      BENCH_ADMIN_EMAIL: ADMIN_EMAIL,
      BENCH_ADMIN_PASSWORD: ADMIN_PASSWORD,
    }
    const env = {
      ours: {
        ...common,
        DATABASE_URL: databases.ours,
        BENCH_STORE: "ours",
        BENCH_SEED_OUT: seedOut.ours,
        BENCH_OVERHEAD_OUT: overheadOut,
        BENCH_OVERHEAD_CALLS: String(config.overheadCalls),
        BENCH_OVERHEAD_WARMUP: String(config.overheadWarmup),
      },
      official: {
        ...common,
        DATABASE_URL: databases.official,
        BENCH_STORE: "official",
        BENCH_SEED_OUT: seedOut.official,
      },
    }
    const dirs = { ours: ROOT, official: OFFICIAL_STORE }

    // Each store is migrated then seeded; the two stores side by side (they share nothing but the PostgreSQL server).
    say("Migrating and seeding both stores alike, an admin in each (medusa db:migrate, medusa exec bench/seed.ts)")
    await Promise.all([
      medusaCommand(["db:migrate"], env.ours, logs.ours, dirs.ours).then(() =>
        medusaCommand(["exec", "./bench/seed.ts"], env.ours, logs.ours, dirs.ours)
      ),
      WEBHOOKS_ONLY
        ? Promise.resolve()
        : medusaCommand(["db:migrate"], env.official, logs.official, dirs.official).then(() =>
            medusaCommand(["exec", "../seed.ts"], env.official, logs.official, dirs.official)
          ),
    ])
    const stores = {
      ours: JSON.parse(fs.readFileSync(seedOut.ours, "utf8")) as SeededStore,
      official: WEBHOOKS_ONLY ? undefined : (JSON.parse(fs.readFileSync(seedOut.official, "utf8")) as SeededStore),
    }
    const official = stores.official as SeededStore
    if (WEBHOOKS_ONLY) {
      say(`BENCH_PARTS=webhooks: only the plugin's store (port ${ports.ours}) and parts 3, 3b, 3c`)
      const app = await startApp(env.ours, ports.ours, logs.ours, dirs.ours)
      apps.ours = app
      const http = new MedusaHttp(app.url)
      const admin = await adminLogin(http, ADMIN_EMAIL, ADMIN_PASSWORD)
      const webhooks = await webhookParts({
        sandbox,
        app,
        http,
        admin,
        pool: [],
        placeOurs: () => checkout(http, admin, sandbox!.control, stores.ours, OURS),
        env: env.ours,
        databaseUrl: databases.ours,
        port: ports.ours,
        logFile: logs.ours,
        hookUrl,
      })
      apps.ours = undefined
      phase("end")
      clearInterval(loadSampler)
      const out = path.join(TMP, "webhooks.json")
      const summary = {
        date: new Date().toISOString(),
        commit: gitCommit(),
        config,
        load: loadSummary(),
        flood: webhooks.flood,
        steady:
          "notMeasured" in webhooks.steady
            ? webhooks.steady
            : { ...webhooks.steady, latency: summarize(webhooks.steady.latenciesMs) },
        secondWorker: webhooks.secondWorker,
      }
      fs.writeFileSync(
        out,
        JSON.stringify(summary, (k, v) => (k === "samples" || k === "latenciesMs" ? undefined : v), 2)
      )
      say(`Wrote ${path.relative(ROOT, out)} (RESULTS.md is written by the full run only)`)
      printWebhookSummary(webhooks.flood, summary.steady, webhooks.secondWorker, summary.load)
      return
    }

    say(
      `Starting both stores (medusa start, NODE_ENV=production): the plugin's on port ${ports.ours}, the baseline on ${ports.official}`
    )
    const [oursApp, officialApp] = await Promise.all([
      startApp(env.ours, ports.ours, logs.ours, dirs.ours),
      startApp(env.official, ports.official, logs.official, dirs.official),
    ])
    apps.ours = oursApp
    apps.official = officialApp
    const http = { ours: new MedusaHttp(oursApp.url), official: new MedusaHttp(officialApp.url) }
    const admin = {
      ours: await adminLogin(http.ours, ADMIN_EMAIL, ADMIN_PASSWORD),
      official: await adminLogin(http.official, ADMIN_EMAIL, ADMIN_PASSWORD),
    }
    const control = sandbox.control
    const total = config.warmup + config.rounds
    const placeOurs = () => checkout(http.ours, admin.ours, control, stores.ours, OURS)
    const placeOfficial = () => checkout(http.official, admin.official, control, official, OFFICIAL)

    // Part 1: checkouts, ours and official alternately, the first of each round alternating too.
    phase("part 1")
    say(`Part 1: ${config.warmup} warm-up + ${config.rounds} measured checkouts per store, alternately`)
    const checkouts = {
      ours: { total: [] as number[], payment: [] as number[] },
      official: { total: [] as number[], payment: [] as number[] },
    }
    const oursMedusa: PlacedOrder[] = []
    const officialOrders: PlacedOrder[] = []
    for (let i = 0; i < total; i++) {
      const sides = [
        [placeOurs, checkouts.ours, oursMedusa],
        [placeOfficial, checkouts.official, officialOrders],
      ] as const
      for (const [place, samples, orders] of i % 2 === 0 ? sides : [...sides].reverse()) {
        const { order, timing } = await place()
        orders.push(order)
        if (i >= config.warmup) {
          samples.total.push(timing.totalMs)
          samples.payment.push(timing.paymentMs)
        }
      }
    }

    // Orders for the transactions route (untimed, two at a time).
    say(`Placing ${total} more orders with our provider for the transactions route (not timed)`)
    const oursTransactions = await placeUntimed(total, 2, () => placeOurs().then((r) => r.order))
    const tids = new Map<string, string>()
    for (const order of oursTransactions) {
      tids.set(order.orderId, await authorizeTransactionId(http.ours, admin.ours, order))
    }

    phase("part 2")
    // Part 2: captures: ours through Medusa's route, the official through Medusa's route (baseline store), ours through
    // the transactions API; who goes first rotates every round.
    say(`Part 2: ${config.warmup} warm-up + ${config.rounds} measured captures per route, rotating who goes first`)
    const captures = { oursMedusa: [] as number[], official: [] as number[], oursTransactions: [] as number[] }
    for (let i = 0; i < total; i++) {
      const steps: [keyof typeof captures, () => Promise<number>][] = [
        ["oursMedusa", () => captureThroughMedusa(http.ours, admin.ours, oursMedusa[i])],
        ["official", () => captureThroughMedusa(http.official, admin.official, officialOrders[i])],
        [
          "oursTransactions",
          () =>
            captureThroughTransactions(
              http.ours,
              admin.ours,
              oursTransactions[i],
              tids.get(oursTransactions[i].orderId) as string,
              `BENCH-${i + 1}`
            ),
        ],
      ]
      for (let k = 0; k < steps.length; k++) {
        const [kind, run] = steps[(i + k) % steps.length]
        const elapsed = await run()
        if (i >= config.warmup) {
          captures[kind].push(elapsed)
        }
      }
    }

    // Peak RSS of both stores after the same work (parts 1 and 2); the baseline store is done.
    const rss: RssRow = {
      oursAfterPart2: oursApp.peakRss(),
      officialAfterPart2: officialApp.peakRss(),
      oursEnd: null,
    }
    // Part 3's ceiling, on the baseline store before it stops: Medusa's own refund route and workflow, alone.
    phase("part 3 ceiling")
    say(
      `Part 3 ceiling: ${config.floorRefunds} refunds through Medusa's own refund route on the baseline store, ${config.floorInFlight} in flight`
    )
    let refundFloor: BenchReport["refundFloor"]
    try {
      const measured = await measureRefundFloor(
        http.official,
        admin.official,
        officialOrders.slice(0, total),
        {
          refunds: config.floorRefunds,
          inFlight: config.floorInFlight,
          amount: 1,
        },
        officialApp.cpuMs
      )
      refundFloor = { ...measured, latency: summarize(measured.latenciesMs) }
      say(
        `    ${measured.refunds} refunds in ${(measured.durationMs / 1000).toFixed(1)} s: ${measured.perSecond.toFixed(1)}/s`
      )
    } catch (e) {
      say(`Part 3 ceiling failed: ${(e as Error).message.split("\n")[0]}`)
      refundFloor = { notMeasured: (e as Error).message.split("\n")[0] }
    }
    await officialApp.stop()
    apps.official = undefined

    // Parts 3, 3b, 3c: the webhook flood on our provider's captured orders, events at a steady rate, a second worker.
    const webhooks = await webhookParts({
      sandbox,
      app: oursApp,
      http: http.ours,
      admin: admin.ours,
      pool: [...oursMedusa, ...oursTransactions],
      placeOurs,
      env: env.ours,
      databaseUrl: databases.ours,
      port: ports.ours,
      logFile: logs.ours,
      hookUrl,
    })
    apps.ours = undefined
    const { flood, steady, secondWorker } = webhooks
    rss.oursEnd = webhooks.peakRss

    // Part 4: the provider's capture vs a bare SDK call, inside a Medusa container.
    phase("part 4")
    say(
      `Part 4: ${config.overheadWarmup} warm-up + ${config.overheadCalls} measured captures each, provider vs bare SDK (medusa exec ./bench/overhead.ts)`
    )
    let overhead: BenchReport["overhead"]
    try {
      await medusaCommand(["exec", "./bench/overhead.ts"], env.ours, logs.ours)
      const samples = JSON.parse(fs.readFileSync(overheadOut, "utf8")) as OverheadSamples
      overhead = {
        ours: summarize(samples.ours),
        bare: summarize(samples.bare),
        oursWithoutContext: summarize(samples.oursWithoutContext),
        maxOverheadMs: TARGET_OVERHEAD_MS,
      } satisfies Overhead
    } catch (e) {
      say(`Part 4 failed: ${(e as Error).message.split("\n")[0]}`)
      overhead = { notMeasured: (e as Error).message.split("\n")[0] }
    }

    const checkoutRows: Comparison[] = [
      {
        label: "1. Storefront checkout to an authorized order (store API, complete cart)",
        ours: summarize(checkouts.ours.total),
        baseline: summarize(checkouts.official.total),
        baselineLabel: "official",
        maxRatio: TARGET_RATIO,
      },
      {
        label: "1a. of which the payment steps (payment session + cart completion)",
        ours: summarize(checkouts.ours.payment),
        baseline: summarize(checkouts.official.payment),
        baselineLabel: "official",
      },
    ]
    const captureRows: Comparison[] = [
      {
        label: "2. Full capture, `POST /admin/payments/:id/capture` (each in its own store)",
        ours: summarize(captures.oursMedusa),
        baseline: summarize(captures.official),
        baselineLabel: "official",
        maxRatio: TARGET_RATIO,
      },
      {
        label:
          "2b. Full capture, our `POST …/transactions/:tid/capture` with `custom_reference` (vs the official via Medusa's route)",
        ours: summarize(captures.oursTransactions),
        baseline: summarize(captures.official),
        baselineLabel: "official",
        maxRatio: TARGET_RATIO,
      },
    ]

    phase("end")
    clearInterval(loadSampler)
    const runSeconds = (performance.now() - startedAt) / 1000
    const report: BenchReport = {
      date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      commit: gitCommit(),
      machine: {
        cores,
        cpu: os.cpus()[0]?.model.trim() ?? "unknown CPU",
        memoryGb: Math.round(os.totalmem() / 1024 ** 3),
        node: process.version,
        postgres: await postgresVersion(databases.ours),
        platform: `${os.type()} ${os.release()}`,
      },
      versions: {
        "@medusajs/medusa": packageVersion("@medusajs/medusa"),
        "@medusajs/payment-stripe": packageVersion("@medusajs/payment-stripe"),
        "its stripe": packageVersion("stripe", "@medusajs/payment-stripe"),
        "the plugin's stripe": packageVersion("stripe"),
      },
      counts: {
        "checkouts per store": `${config.rounds} measured after ${config.warmup} warm-up`,
        "captures per route": `${config.rounds} measured after ${config.warmup} warm-up`,
        flood: `${config.floodEvents} deliveries on ${config.floodOrders} orders, ${FLOOD_DUPLICATE_SHARE * 100}% duplicates, ${config.floodConcurrency} in flight`,
        "steady rate": `${config.steadyRate} events/s for ${config.steadySeconds} s`,
        "second worker": `${config.workerFloodEvents} deliveries on ${config.workerFloodOrders} orders, once per set-up`,
        "provider vs bare SDK captures": `${config.overheadCalls} each after ${config.overheadWarmup} warm-up`,
        "part 3 ceiling": `${config.floorRefunds} refunds of $1.00, ${config.floorInFlight} in flight`,
      },
      runSeconds,
      checkout: checkoutRows,
      capture: captureRows,
      overhead,
      flood,
      steady: "notMeasured" in steady ? steady : { ...steady, latency: summarize(steady.latenciesMs) },
      minEventsPerSecond: TARGET_EVENTS_PER_SECOND,
      minEndToEndPerSecond: TARGET_END_TO_END_PER_SECOND,
      maxSteadyP99Ms: TARGET_STEADY_P99_MS,
      rss,
      secondWorker,
      refundFloor,
      load: loadSummary(),
    }
    const resultsFile = path.join(ROOT, "bench", "RESULTS.md")
    // Formatted as `npm run lint` (prettier --check) expects it.
    const markdown = await format(renderReport(report), {
      ...(await resolveConfig(resultsFile)),
      filepath: resultsFile,
    })
    fs.writeFileSync(resultsFile, markdown)
    say(`Wrote ${path.relative(ROOT, resultsFile)}`)
    printSummary(report)
  } finally {
    await apps.ours?.stop()
    await apps.official?.stop()
    await sandbox?.close()
    // `medusa db:migrate` makes an empty migrations/ directory beside every provider it loads, here bench/.
    try {
      fs.rmdirSync(path.join(ROOT, "bench", "migrations"))
    } catch {
      // absent, or not empty: leave it
    }
    if (!keepDb) {
      await dropDatabase(databases.ours).catch(() => undefined)
      await dropDatabase(databases.official).catch(() => undefined)
    }
  }
}

function loadSummary(): Record<string, { start: number; mean: number; max: number }> {
  return Object.fromEntries(
    Object.entries(load).map(([name, values]) => [
      name,
      { start: values[0], max: Math.max(...values), mean: values.reduce((a, b) => a + b, 0) / values.length },
    ])
  )
}

const floodConfig = (events: number): FloodConfig => ({
  events,
  duplicateShare: FLOOD_DUPLICATE_SHARE,
  concurrency: config.floodConcurrency,
  effectsTimeoutMs: 120_000,
  stallMs: 30_000,
})

interface WebhookPartsInput {
  sandbox: RunningSandbox
  /** The plugin's store, running with the in-process event bus; stopped by the time this returns. */
  app: RunningApp
  http: MedusaHttp
  admin: Record<string, string>
  /** Captured orders of our provider already placed; more are placed (not timed) when there are too few. */
  pool: PlacedOrder[]
  placeOurs: () => Promise<{ order: PlacedOrder }>
  env: NodeJS.ProcessEnv
  databaseUrl: string
  port: number
  logFile: string
  hookUrl: string
}

interface WebhookParts {
  flood: BenchReport["flood"]
  steady: SteadyResult | { notMeasured: string }
  secondWorker: BenchReport["secondWorker"]
  peakRss: number | null
}

/**
 * Part 3 (flood), 3b (steady rate) with the in-process event bus, then 3c (one process vs two on Redis), each on
 * orders of its own. Stops `input.app` before 3c restarts the store with Redis.
 */
async function webhookParts(input: WebhookPartsInput): Promise<WebhookParts> {
  const { sandbox, http, admin, pool } = input
  phase("part 3")
  let flood: BenchReport["flood"]
  let steady: SteadyResult | { notMeasured: string }
  let secondWorker: BenchReport["secondWorker"]
  const needed = config.floodOrders + 2 * config.workerFloodOrders
  try {
    if (pool.length < needed) {
      say(`Placing and capturing ${needed - pool.length} more orders for parts 3 and 3c (not timed)`)
      const placeCaptured = async () => {
        const { order } = await input.placeOurs()
        await captureThroughMedusa(http, admin, order)
        return order
      }
      if (!pool.length) {
        // The guest customer is created by the first checkout: concurrent first checkouts would race to create it.
        pool.push(await placeCaptured())
      }
      pool.push(...(await placeUntimed(needed - pool.length, 3, placeCaptured)))
    }
    say(
      `Part 3: ${config.floodEvents} webhook deliveries (${FLOOD_DUPLICATE_SHARE * 100}% duplicates, shuffled) on ${config.floodOrders} orders; webhook sync ${webhookSyncPresent() ? "present" : "absent"}`
    )
    const cpuBefore = input.app.cpuMs()
    flood = await runFlood(
      sandbox,
      http,
      admin,
      input.databaseUrl,
      pool.slice(0, config.floodOrders),
      input.hookUrl,
      floodConfig(config.floodEvents),
      (line) => say(line.trim())
    )
    const cpuAfter = input.app.cpuMs()
    if (cpuBefore !== null && cpuAfter !== null) {
      flood.medusaCpuMs = cpuAfter - cpuBefore
    }
  } catch (e) {
    say(`Part 3 failed: ${(e as Error).message}`)
    flood = { notMeasured: `the flood failed: ${(e as Error).message.split("\n")[0]}` }
  }
  phase("part 3b")
  try {
    // Orders the flood disputed none of (it disputes every second one), so a refund is never held by a dispute.
    const undisputed = pool.slice(0, config.floodOrders).filter((_, i) => i % 2 === 0)
    say(`Part 3b: webhook events at a steady ${config.steadyRate}/s for ${config.steadySeconds} s`)
    steady = await runSteady(
      sandbox,
      input.databaseUrl,
      undisputed,
      { rate: config.steadyRate, seconds: config.steadySeconds, stallMs: 30_000 },
      (line) => say(line.trim())
    )
    const s = summarize(steady.latenciesMs)
    say(
      `    delivery → record: p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms (${steady.recordedOnce} of ${steady.refunds} refunds recorded once)`
    )
  } catch (e) {
    say(`Part 3b failed: ${(e as Error).message}`)
    steady = { notMeasured: `failed: ${(e as Error).message.split("\n")[0]}` }
  }

  const peakRss = input.app.peakRss()
  say(`Stopping Medusa (peak RSS ${peakRss === null ? "unknown" : `${(peakRss / 1024 / 1024).toFixed(0)} MiB`})`)
  await input.app.stop()

  phase("part 3c")
  const workerOrders = pool.slice(config.floodOrders, needed)
  if (config.workerFloodOrders === 0 || workerOrders.length < 2 * config.workerFloodOrders) {
    secondWorker = { notMeasured: "BENCH_WORKER_FLOOD_ORDERS is 0, or too few orders were placed" }
  } else {
    try {
      say(
        `Part 3c: ${config.workerFloodEvents} deliveries on ${config.workerFloodOrders} orders with one process on Redis, then as many on other orders with a second worker process`
      )
      secondWorker = await runSecondWorker({
        sandbox,
        env: input.env,
        port: input.port,
        logFile: input.logFile,
        databaseUrl: input.databaseUrl,
        redisUrl: config.redisUrl,
        admin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
        orders: {
          one: workerOrders.slice(0, config.workerFloodOrders),
          two: workerOrders.slice(config.workerFloodOrders),
        },
        flood: floodConfig(config.workerFloodEvents),
        log: (line) => say(line.trim()),
      })
    } catch (e) {
      say(`Part 3c failed: ${(e as Error).message}`)
      secondWorker = { notMeasured: `failed: ${(e as Error).message.split("\n")[0]}` }
    }
  }
  return { flood, steady, secondWorker, peakRss }
}

function printWebhookSummary(
  flood: BenchReport["flood"],
  steady: BenchReport["steady"],
  secondWorker: BenchReport["secondWorker"],
  loads: Record<string, { start: number; mean: number; max: number }>
): void {
  const floodLine = (label: string, f: BenchReport["flood"]) => {
    if (!("deliveries" in f)) {
      return `  ${label}: not measured: ${f.notMeasured}`
    }
    const c = f.correctness
    return `  ${label}: ${f.acceptedPerSecond.toFixed(0)}/s accepted; ${f.endToEndPerSecond === undefined ? (f.effectsIncomplete ?? f.notMeasured) : `${f.endToEndPerSecond.toFixed(1)} events/s end to end (${f.distinctEvents} events, effects ${((f.effectsBeyondDelayMs ?? 0) / 1000).toFixed(2)} s beyond the delay)`}${cpuNote(f)}${c ? `; lost ${c.lost}, duplicated ${c.duplicated}` : ""}`
  }
  console.log(floodLine("3. flood", flood))
  if ("notMeasured" in steady) {
    console.log(`  3b. not measured: ${steady.notMeasured}`)
  } else {
    console.log(
      `  3b. at ${steady.rate}/s: delivery → record p50 ${steady.latency.p50.toFixed(0)} / p95 ${steady.latency.p95.toFixed(0)} / p99 ${steady.latency.p99.toFixed(0)} ms; ${steady.recordedOnce} of ${steady.refunds} once, lost ${steady.lost}, duplicated ${steady.duplicated}`
    )
  }
  if ("notMeasured" in secondWorker) {
    console.log(`  3c. not measured: ${secondWorker.notMeasured}`)
  } else {
    console.log(floodLine("3c. one process (Redis)", secondWorker.one))
    console.log(floodLine("3c. with a second worker", secondWorker.two))
  }
  console.log(
    `  load (1-min average, start / mean / max): ${Object.entries(loads)
      .map(([k, v]) => `${k} ${v.start.toFixed(1)} / ${v.mean.toFixed(1)} / ${v.max.toFixed(1)}`)
      .join("; ")}`
  )
}

async function placeUntimed(
  count: number,
  concurrency: number,
  place: () => Promise<PlacedOrder>
): Promise<PlacedOrder[]> {
  const placed: PlacedOrder[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        next++
        placed.push(await place())
      }
    })
  )
  return placed
}

function printSummary(r: BenchReport): void {
  const line = (c: Comparison) =>
    `  ${c.label.replace(/`/g, "")}: ours p50 ${c.ours.p50.toFixed(1)} ms, official ${c.baseline.p50.toFixed(1)} ms, ratio ${(c.ours.p50 / c.baseline.p50).toFixed(2)}x`
  console.log([...r.checkout, ...r.capture].map(line).join("\n"))
  if (!("notMeasured" in r.overhead)) {
    const o = r.overhead
    console.log(
      `  4. provider capture p50 ${o.ours.p50.toFixed(2)} ms vs bare SDK ${o.bare.p50.toFixed(2)} ms: overhead ${(o.ours.p50 - o.bare.p50).toFixed(2)} ms`
    )
  }
  const f = r.flood as FloodResult
  if (f.acceptedPerSecond !== undefined) {
    const timing =
      f.effectsBeyondDelayMs !== undefined
        ? `${(f.effectsBeyondDelayMs / 1000).toFixed(2)} s beyond the delay`
        : (f.effectsIncomplete ?? `not measured: ${f.notMeasured}`)
    const once = f.correctness
      ? f.correctness.ok
        ? "each exactly once"
        : `NOT exactly once (lost ${f.correctness.lost}, duplicated ${f.correctness.duplicated})`
      : ""
    console.log(
      `  3. ${f.acceptedPerSecond.toFixed(0)} webhook events/s accepted; effects: ${timing}${once ? `; ${once}` : ""}${f.endToEndPerSecond === undefined ? "" : `; ${f.endToEndPerSecond.toFixed(1)} events/s end to end`}${cpuNote(f)}`
    )
  }
  if (!("notMeasured" in r.refundFloor)) {
    const cpu = r.refundFloor.cpuMsPerRefund
    console.log(
      `  3. ceiling: Medusa's own refund route on the baseline store, ${r.refundFloor.perSecond.toFixed(1)} refunds/s${cpu === null ? "" : `, ${cpu.toFixed(0)} ms of CPU each`}`
    )
  }
  if (!("notMeasured" in r.steady)) {
    console.log(
      `  3b. at ${r.steady.rate} events/s, delivery → record p50 ${r.steady.latency.p50.toFixed(0)} ms, p99 ${r.steady.latency.p99.toFixed(0)} ms`
    )
  }
  const mib = (b: number | null) => (b === null ? "?" : `${(b / 1024 / 1024).toFixed(0)} MiB`)
  console.log(
    `  RSS after parts 1-2: plugin's store ${mib(r.rss.oursAfterPart2)}, baseline store ${mib(r.rss.officialAfterPart2)}`
  )
}

/** The flood's CPU per event for the console summaries, or nothing. */
function cpuNote(f: FloodResult): string {
  const perEvent = cpuMsPerEvent(f)
  return perEvent === undefined ? "" : `; ${perEvent.toFixed(0)} ms of CPU per event`
}

function gitCommit(): string {
  const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" })
  if (head.status !== 0) {
    return "unknown"
  }
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT, encoding: "utf8" })
  return `${head.stdout.trim()}${dirty.stdout.trim() ? " with uncommitted changes" : ""}`
}

/** A package's version, found from `from`'s directory (a package's `exports` may hide its package.json). */
function packageVersion(name: string, from?: string): string {
  let dir = from ? path.join(ROOT, "node_modules", from) : ROOT
  for (;;) {
    const file = path.join(dir, "node_modules", name, "package.json")
    if (fs.existsSync(file)) {
      return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version
    }
    const parent = path.dirname(dir)
    if (parent === dir) {
      return "unknown"
    }
    dir = parent
  }
}

async function postgresVersion(databaseUrl: string): Promise<string> {
  const url = new URL(databaseUrl)
  url.pathname = "/postgres"
  const client = new Client({ connectionString: url.toString() })
  try {
    await client.connect()
    const { rows } = await client.query<{ server_version: string }>("show server_version")
    return `PostgreSQL ${rows[0].server_version.split(" ")[0]}`
  } catch {
    return "PostgreSQL (version unknown)"
  } finally {
    await client.end().catch(() => undefined)
  }
}

main().catch((e: Error) => {
  console.error(`\nThe benchmark failed: ${e.message}`)
  process.exit(1)
})
