/**
 * Part 3: a flood of signed Stripe webhooks at Medusa's webhook route. The events are real: dashboard refunds and
 * disputes made at the sandbox (its control API) on real orders, signed by the sandbox as Stripe signs them, then
 * delivered by the sandbox's dispatcher with duplicates and shuffled. Measures how fast Medusa accepts them, how long
 * until every effect is in the database, and whether each refund and dispute was recorded exactly once.
 */
import fs from "node:fs"
import path from "node:path"
import { performance } from "node:perf_hooks"
import { Client } from "pg"
import type { RunningSandbox } from "../src/sandbox"
import { ROOT } from "./app"
import { HttpError } from "../demo/store-orders"
import type { MedusaHttp, PlacedOrder } from "./store-flows"

/** Medusa's webhook route emits `payment.webhook_received` with a fixed 5 s delay (webhook_delay is not read). */
export const MEDUSA_WEBHOOK_DELAY_MS = 5000

export interface FloodConfig {
  /** Deliveries in the flood, duplicates included. */
  events: number
  /** Share of the deliveries that repeat an event already in the flood. */
  duplicateShare: number
  /** Deliveries in flight at once. */
  concurrency: number
  /** How long to wait for the effects after the fixed delay before calling them lost. */
  effectsTimeoutMs: number
  /** Stop waiting earlier when no new effect appeared for this long (once every delayed event has started). */
  stallMs: number
}

export interface ExpectedRefund {
  id: string
  paymentId: string
  orderId: string
  amount: number
}

export interface ExpectedDispute {
  id: string
  paymentId: string
  orderId: string
}

export interface Correctness {
  ok: boolean
  refundsExpected: number
  refundsRecordedOnce: number
  disputesExpected: number
  disputesRecordedOnce: number
  /** Effects missing when the check ran. */
  lost: number
  /** Effects recorded more than once, or that no event asked for. */
  duplicated: number
  /** What `GET /admin/orders/:id/disputes` showed (or why it was not checked). */
  api: string
  problems: string[]
}

export interface FloodResult {
  orders: number
  distinctEvents: number
  eventTypes: Record<string, number>
  deliveries: number
  accepted: number
  rejected: number
  durationMs: number
  acceptedPerSecond: number
  /** The rate during the first 5 s, before Medusa ran any of the delayed events (null when the flood was shorter). */
  acceptedPerSecondBeforeProcessing: number | null
  /** Set when the effects were not measured (no webhook sync), with the reason. */
  notMeasured?: string
  /** Set when the effects never all arrived, with what the bench saw. */
  effectsIncomplete?: string
  /** From the last accepted delivery until every effect was in the database. */
  effectsAfterLastDeliveryMs?: number
  /** The same, minus Medusa's fixed webhook delay. */
  effectsBeyondDelayMs?: number
  /**
   * End-to-end throughput: distinct events / (first delivery → every effect in the database, minus Medusa's fixed
   * 5 s delay, which every event waits once whatever the rate).
   */
  endToEndPerSecond?: number
  /** CPU time the Medusa process used during the flood (from before the deliveries to the final check), in ms. */
  medusaCpuMs?: number
  correctness?: Correctness
}

/** The Medusa process's CPU time per distinct event of the flood, in ms (undefined when it was not read). */
export function cpuMsPerEvent(f: FloodResult): number | undefined {
  return f.medusaCpuMs === undefined ? undefined : f.medusaCpuMs / f.distinctEvents
}

/** Whether the plugin has a subscriber on `payment.webhook_received` (the webhook sync) in this checkout. */
export function webhookSyncPresent(): boolean {
  const dir = path.join(ROOT, "src", "subscribers")
  if (!fs.existsSync(dir)) {
    return false
  }
  const files = fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => /\.[jt]s$/.test(f))
  return files.some((f) => {
    const text = fs.readFileSync(path.join(dir, f), "utf8")
    return text.includes("payment.webhook_received") || text.includes("WebhookReceived")
  })
}

const REFUND_AMOUNTS = [500, 300, 200, 100]

/**
 * Makes the refunds and disputes at the sandbox (webhooks held, so nothing is delivered yet), then delivers their
 * events to `webhookUrl`: every event once plus the duplicates, shuffled, `concurrency` at a time.
 */
export async function runFlood(
  sandbox: RunningSandbox,
  http: MedusaHttp,
  admin: Record<string, string>,
  databaseUrl: string,
  orders: PlacedOrder[],
  webhookUrl: string,
  config: FloodConfig,
  log: (line: string) => void
): Promise<FloodResult> {
  const control = sandbox.control
  await control.configureWebhooks("stripe", { url: webhookUrl, hold: true })

  // Each refund and each dispute emits two events (refund.created + charge.refunded; charge.dispute.created +
  // charge.dispute.funds_withdrawn): half the orders get a dispute, the rest of the actions are refunds.
  const distinctTarget = Math.round(config.events * (1 - config.duplicateShare))
  const actions = Math.floor(distinctTarget / 2)
  const disputeCount = Math.min(Math.floor(orders.length / 2), actions)
  const refundCount = actions - disputeCount
  const before = new Set(sandbox.server.webhooks.events("stripe").map((e) => e.id))

  const refunds: ExpectedRefund[] = []
  const disputes: ExpectedDispute[] = []
  for (const [i, order] of orders.entries()) {
    const mine = Math.floor(refundCount / orders.length) + (i < refundCount % orders.length ? 1 : 0)
    for (let k = 0; k < mine; k++) {
      const refund = await control.stripe.dashboardRefund({
        payment_intent: order.intentId,
        amount: REFUND_AMOUNTS[Math.min(k, REFUND_AMOUNTS.length - 1)],
        reason: "requested_by_customer",
      })
      refunds.push({ id: refund.id, paymentId: order.paymentId, orderId: order.orderId, amount: refund.amount })
    }
    if (i % 2 === 1 && disputes.length < disputeCount) {
      const dispute = await control.stripe.openDispute({ payment_intent: order.intentId, reason: "fraudulent" })
      disputes.push({ id: dispute.id, paymentId: order.paymentId, orderId: order.orderId })
    }
  }
  const events = sandbox.server.webhooks.events("stripe").filter((e) => !before.has(e.id))
  const eventTypes: Record<string, number> = {}
  for (const e of events) {
    eventTypes[e.type] = (eventTypes[e.type] ?? 0) + 1
  }
  log(
    `    ${refunds.length} dashboard refunds and ${disputes.length} disputes on ${orders.length} orders: ${events.length} distinct events`
  )

  // Every event once, then duplicates of randomly chosen ones up to the flood's size; shuffled.
  const ids = events.map((e) => e.id)
  const extra = Math.max(0, config.events - ids.length)
  const pool = shuffled(ids)
  const deliveries = [...ids]
  for (let i = 0; i < extra; i++) {
    deliveries.push(pool[i % pool.length])
  }
  const order = shuffled(deliveries)
  const streams: string[][] = Array.from({ length: Math.min(config.concurrency, order.length) }, () => [])
  order.forEach((id, i) => streams[i % streams.length].push(id))

  const t0 = performance.now()
  const results = await Promise.all(streams.map((stream) => control.redeliver(stream, { order: "emitted" })))
  const t1 = performance.now()
  const all = results.flat()
  const ok = (d: (typeof all)[number]) => d.status !== null && d.status >= 200 && d.status < 300
  const accepted = all.filter(ok).length
  // Each delivery records when it was sent: the ones sent in the first 5 s met a Medusa not yet busy with the events.
  const sentAt = all.map((d) => Date.parse(d.delivered_at))
  const first = Math.min(...sentAt)
  const early = all.filter((d, i) => ok(d) && sentAt[i] < first + MEDUSA_WEBHOOK_DELAY_MS).length
  const result: FloodResult = {
    orders: orders.length,
    distinctEvents: ids.length,
    eventTypes,
    deliveries: all.length,
    accepted,
    rejected: all.length - accepted,
    durationMs: t1 - t0,
    acceptedPerSecond: accepted / ((t1 - t0) / 1000),
    acceptedPerSecondBeforeProcessing:
      t1 - t0 > MEDUSA_WEBHOOK_DELAY_MS ? early / (MEDUSA_WEBHOOK_DELAY_MS / 1000) : null,
  }
  log(
    `    ${all.length} deliveries (${all.length - ids.length} duplicates) in ${(result.durationMs / 1000).toFixed(2)} s: ${accepted} accepted, ${result.acceptedPerSecond.toFixed(0)}/s`
  )

  if (!webhookSyncPresent()) {
    result.notMeasured =
      "webhook sync absent (no subscriber on payment.webhook_received under src/subscribers in this checkout)"
    return result
  }

  const db = new Client({ connectionString: databaseUrl })
  await db.connect()
  try {
    const deadline = t1 + MEDUSA_WEBHOOK_DELAY_MS + config.effectsTimeoutMs
    const recorded = (c: Correctness) => c.refundsRecordedOnce + c.disputesRecordedOnce
    let check = await checkEffects(db, refunds, disputes)
    let progress = { count: recorded(check.correctness), at: performance.now() }
    let stalled = false
    while (!check.complete && performance.now() < deadline) {
      await sleep(100)
      check = await checkEffects(db, refunds, disputes)
      const now = performance.now()
      if (recorded(check.correctness) !== progress.count) {
        progress = { count: recorded(check.correctness), at: now }
      } else if (now > t1 + MEDUSA_WEBHOOK_DELAY_MS && now - progress.at > config.stallMs) {
        // Every delayed event has started and nothing new arrived for a while: the rest is not coming.
        stalled = true
        break
      }
    }
    if (check.complete) {
      const done = performance.now()
      result.effectsAfterLastDeliveryMs = done - t1
      result.effectsBeyondDelayMs = done - t1 - MEDUSA_WEBHOOK_DELAY_MS
      result.endToEndPerSecond = ids.length / ((done - t0 - MEDUSA_WEBHOOK_DELAY_MS) / 1000)
      log(
        `    every effect in the database ${((done - t1) / 1000).toFixed(2)} s after the last delivery: ${result.endToEndPerSecond.toFixed(1)} events/s end to end`
      )
      // Late duplicates would land after that moment: let every delayed event run before the final check.
      await sleep(Math.max(0, t1 + MEDUSA_WEBHOOK_DELAY_MS + 3000 - performance.now()) + 2000)
    } else {
      const after = ((performance.now() - t1) / 1000).toFixed(0)
      log(
        stalled
          ? `    effects stalled: nothing new for ${config.stallMs / 1000} s, ${after} s after the last delivery`
          : `    not every effect was in the database ${(config.effectsTimeoutMs / 1000).toFixed(0)} s after the delay`
      )
    }
    const final = await checkEffects(db, refunds, disputes)
    final.correctness.api = await checkDisputesApi(http, admin, disputes)
    result.correctness = final.correctness
    if (!check.complete) {
      result.effectsIncomplete = stalled
        ? `never all there: the last new effect came ${((progress.at - t1) / 1000).toFixed(0)} s after the last delivery, then none for ${config.stallMs / 1000} s`
        : `never all there within ${((MEDUSA_WEBHOOK_DELAY_MS + config.effectsTimeoutMs) / 1000).toFixed(0)} s of the last delivery`
    }
  } finally {
    await db.end()
  }
  return result
}

interface RefundRow {
  id: string
  payment_id: string
  amount: string
}

interface PaymentRow {
  id: string
  data: { refunds?: { id: string; medusa_refund_id?: string | null; amount: number }[] } | null
}

interface DisputeRow {
  reference: string
  order_id: string
  payment_id: string
}

/**
 * Each Stripe refund: exactly one Medusa refund row on the right payment, and its Stripe id in that payment's
 * `data.refunds` pointing at that row; no other refund row on those payments. Each dispute: exactly one
 * `orchestrator_dispute` row for the right order and payment; no other dispute row.
 */
async function checkEffects(
  db: Client,
  refunds: ExpectedRefund[],
  disputes: ExpectedDispute[]
): Promise<{ complete: boolean; correctness: Correctness }> {
  const paymentIds = [...new Set(refunds.map((r) => r.paymentId).concat(disputes.map((d) => d.paymentId)))]
  const refundRows = (
    await db.query<RefundRow>(
      "select id, payment_id, amount::text as amount from refund where payment_id = any($1) and deleted_at is null",
      [paymentIds]
    )
  ).rows
  const payments = (
    await db.query<PaymentRow>("select id, data from payment where id = any($1)", [refunds.map((r) => r.paymentId)])
  ).rows
  let disputeRows: DisputeRow[] = []
  try {
    disputeRows =
      // This flood's payments only: an earlier flood on the same database (part 3c runs after part 3) left its own.
      (
        await db.query<DisputeRow>(
          "select reference, order_id, payment_id from orchestrator_dispute where deleted_at is null and payment_id = any($1)",
          [paymentIds]
        )
      ).rows
  } catch {
    // no table: every dispute is lost
  }

  const problems: string[] = []
  let lost = 0
  let duplicated = 0
  let refundsOnce = 0
  const rowsById = new Map(refundRows.map((r) => [r.id, r]))
  const paymentById = new Map(payments.map((p) => [p.id, p]))
  const expectedByPayment = new Map<string, ExpectedRefund[]>()
  for (const r of refunds) {
    expectedByPayment.set(r.paymentId, [...(expectedByPayment.get(r.paymentId) ?? []), r])
  }
  for (const r of refunds) {
    const entries = (paymentById.get(r.paymentId)?.data?.refunds ?? []).filter((e) => e.id === r.id)
    const medusaIds = [...new Set(entries.map((e) => e.medusa_refund_id).filter((id): id is string => !!id))]
    if (!entries.length || !medusaIds.length) {
      lost++
      problems.push(`refund ${r.id} (order ${r.orderId}) is not recorded`)
      continue
    }
    if (medusaIds.length > 1) {
      duplicated += medusaIds.length - 1
      problems.push(`refund ${r.id} is recorded ${medusaIds.length} times (${medusaIds.join(", ")})`)
      continue
    }
    const row = rowsById.get(medusaIds[0])
    const entryTotal = entries.reduce((s, e) => s + e.amount, 0)
    if (!row || row.payment_id !== r.paymentId) {
      lost++
      problems.push(`refund ${r.id} points at ${medusaIds[0]}, which is not a refund of payment ${r.paymentId}`)
    } else if (Math.round(Number(row.amount) * 100) !== r.amount || entryTotal !== r.amount) {
      problems.push(`refund ${r.id}: ${r.amount} at Stripe, ${row.amount} in Medusa, ${entryTotal} in payment data`)
    } else {
      refundsOnce++
    }
  }
  for (const [paymentId, expected] of expectedByPayment) {
    const rows = refundRows.filter((r) => r.payment_id === paymentId).length
    if (rows > expected.length) {
      duplicated += rows - expected.length
      problems.push(`payment ${paymentId} has ${rows} refunds for ${expected.length} Stripe refunds`)
    }
  }
  const expectedPayments = new Set(expectedByPayment.keys())
  const strays = refundRows.filter((r) => !expectedPayments.has(r.payment_id)).length
  if (strays) {
    duplicated += strays
    problems.push(`${strays} refunds on payments that got no Stripe refund`)
  }

  let disputesOnce = 0
  const expectedDisputes = new Set(disputes.map((d) => d.id))
  for (const d of disputes) {
    const rows = disputeRows.filter((row) => row.reference === d.id)
    if (!rows.length) {
      lost++
      problems.push(`dispute ${d.id} (order ${d.orderId}) is not recorded`)
    } else if (rows.length > 1) {
      duplicated += rows.length - 1
      problems.push(`dispute ${d.id} is recorded ${rows.length} times`)
    } else if (rows[0].order_id !== d.orderId || rows[0].payment_id !== d.paymentId) {
      problems.push(`dispute ${d.id} is recorded on order ${rows[0].order_id} / payment ${rows[0].payment_id}`)
    } else {
      disputesOnce++
    }
  }
  const unknownDisputes = disputeRows.filter((row) => !expectedDisputes.has(row.reference)).length
  if (unknownDisputes) {
    duplicated += unknownDisputes
    problems.push(`${unknownDisputes} dispute rows no event asked for`)
  }

  const complete = refundsOnce === refunds.length && disputesOnce === disputes.length
  return {
    complete,
    correctness: {
      ok: complete && duplicated === 0 && problems.length === 0,
      refundsExpected: refunds.length,
      refundsRecordedOnce: refundsOnce,
      disputesExpected: disputes.length,
      disputesRecordedOnce: disputesOnce,
      lost,
      duplicated,
      api: "not checked",
      problems: problems.slice(0, 20),
    },
  }
}

/** Every disputed order lists its dispute exactly once through `GET /admin/orders/:id/disputes`. */
async function checkDisputesApi(
  http: MedusaHttp,
  admin: Record<string, string>,
  disputes: ExpectedDispute[]
): Promise<string> {
  let once = 0
  for (const d of disputes) {
    let body: unknown
    try {
      body = await http.request("GET", `/admin/orders/${d.orderId}/disputes`, admin)
    } catch (e) {
      if (e instanceof HttpError && e.status === 404 && once === 0) {
        return "not checked: GET /admin/orders/:id/disputes answered 404"
      }
      continue
    }
    if (countReferences(body, d.id) === 1) {
      once++
    }
  }
  return `${once} of ${disputes.length} disputed orders list their dispute exactly once`
}

function countReferences(value: unknown, reference: string): number {
  if (Array.isArray(value)) {
    return value.reduce((n: number, v) => n + countReferences(v, reference), 0)
  }
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>
    if (record.reference === reference) {
      return 1
    }
    return Object.values(record).reduce((n: number, v) => n + countReferences(v, reference), 0)
  }
  return 0
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j], copy[i]]
  }
  return copy
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
