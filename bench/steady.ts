/**
 * Part 3b: webhook latency at a steady rate. Dashboard refunds made at the sandbox (webhooks held) on our provider's
 * captured orders; their events (`refund.created`, `charge.refunded`) are then delivered to Medusa's webhook route at
 * a fixed rate, one event every 1/rate seconds whatever the answers, in the order the PSP emitted them. For each
 * refund, latency = the Medusa refund row's `created_at` (the database's clock, the same machine) − when the first
 * event about it was sent. Medusa's route delays every event by a fixed 5 s, which this includes.
 */
import { performance } from "node:perf_hooks"
import { Client } from "pg"
import type { RunningSandbox } from "../src/sandbox"
import type { PlacedOrder } from "./store-flows"

export interface SteadyConfig {
  /** Events per second. */
  rate: number
  /** How long to send, in seconds. */
  seconds: number
  /** Stop waiting for effects when nothing new was recorded for this long. */
  stallMs: number
}

export interface SteadyResult {
  rate: number
  deliveries: number
  accepted: number
  /** The rate actually achieved (deliveries / sending time). */
  sentPerSecond: number
  refunds: number
  recordedOnce: number
  lost: number
  duplicated: number
  /** Delivery of the first event about a refund → its Medusa refund row, ms; one per refund recorded. */
  latenciesMs: number[]
}

const STEADY_REFUND_CENTS = 100

export async function runSteady(
  sandbox: RunningSandbox,
  databaseUrl: string,
  orders: PlacedOrder[],
  config: SteadyConfig,
  log: (line: string) => void
): Promise<SteadyResult> {
  if (!orders.length) {
    throw new Error("no orders for the steady-rate phase")
  }
  const control = sandbox.control
  const webhooks = sandbox.server.webhooks
  // Two events per refund: enough refunds for rate × seconds events, spread over the orders.
  const refundCount = Math.max(1, Math.round((config.rate * config.seconds) / 2))
  const refunds: { id: string; paymentId: string; events: string[] }[] = []
  for (let i = 0; i < refundCount; i++) {
    const order = orders[i % orders.length]
    const before = webhooks.events("stripe").length
    const refund = await control.stripe.dashboardRefund({
      payment_intent: order.intentId,
      amount: STEADY_REFUND_CENTS,
      reason: "requested_by_customer",
    })
    const events = webhooks
      .events("stripe")
      .slice(before)
      .map((e) => e.id)
    refunds.push({ id: refund.id, paymentId: order.paymentId, events })
  }
  const schedule = refunds.flatMap((r) => r.events.map((eventId) => ({ eventId, refund: r.id })))
  log(
    `    ${refunds.length} dashboard refunds on ${Math.min(orders.length, refundCount)} orders: ${schedule.length} events at ${config.rate}/s`
  )

  const firstSent = new Map<string, number>()
  const interval = 1000 / config.rate
  const start = performance.now()
  const startEpoch = Date.now()
  const pending: Promise<{ status: number | null }[]>[] = []
  for (const [k, item] of schedule.entries()) {
    const due = start + k * interval
    const wait = due - performance.now()
    if (wait > 0) {
      await new Promise((r) => setTimeout(r, wait))
    }
    if (!firstSent.has(item.refund)) {
      firstSent.set(item.refund, startEpoch + (performance.now() - start))
    }
    pending.push(control.redeliver([item.eventId]))
  }
  const sentMs = performance.now() - start
  const deliveries = (await Promise.all(pending)).flat()
  const accepted = deliveries.filter((d) => d.status !== null && d.status >= 200 && d.status < 300).length

  const db = new Client({ connectionString: databaseUrl })
  await db.connect()
  const recorded = new Map<string, { medusaIds: string[]; at: number }>()
  try {
    let last = { count: 0, at: performance.now() }
    for (;;) {
      await read(db, refunds, recorded)
      if (recorded.size === refunds.length) {
        break
      }
      if (recorded.size !== last.count) {
        last = { count: recorded.size, at: performance.now() }
      } else if (performance.now() - last.at > config.stallMs + 5000) {
        log(`    effects stalled: ${recorded.size} of ${refunds.length} refunds recorded`)
        break
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    // Let every delayed event run, then look again for duplicates.
    await new Promise((r) => setTimeout(r, 6000))
    await read(db, refunds, recorded)
  } finally {
    await db.end()
  }
  let duplicated = 0
  const latenciesMs: number[] = []
  for (const r of refunds) {
    const seen = recorded.get(r.id)
    if (!seen) {
      continue
    }
    duplicated += seen.medusaIds.length - 1
    latenciesMs.push(seen.at - (firstSent.get(r.id) as number))
  }
  return {
    rate: config.rate,
    deliveries: deliveries.length,
    accepted,
    sentPerSecond: schedule.length / (sentMs / 1000 + interval / 1000),
    refunds: refunds.length,
    recordedOnce: refunds.filter((r) => recorded.get(r.id)?.medusaIds.length === 1).length,
    lost: refunds.length - recorded.size,
    duplicated,
    latenciesMs,
  }
}

/** Each refund's Medusa refund row(s) (through the payment's record) and when the first was created (epoch ms). */
async function read(
  db: Client,
  refunds: { id: string; paymentId: string }[],
  recorded: Map<string, { medusaIds: string[]; at: number }>
): Promise<void> {
  const payments = (
    await db.query<{ id: string; data: { refunds?: { id: string; medusa_refund_id?: string | null }[] } | null }>(
      "select id, data from payment where id = any($1)",
      [[...new Set(refunds.map((r) => r.paymentId))]]
    )
  ).rows
  const byPayment = new Map(payments.map((p) => [p.id, p.data?.refunds ?? []]))
  const wanted = new Map<string, string[]>()
  for (const r of refunds) {
    const ids = [
      ...new Set(
        (byPayment.get(r.paymentId) ?? [])
          .filter((e) => e.id === r.id && e.medusa_refund_id)
          .map((e) => e.medusa_refund_id as string)
      ),
    ]
    if (ids.length) {
      wanted.set(r.id, ids)
    }
  }
  const allIds = [...wanted.values()].flat()
  if (!allIds.length) {
    return
  }
  const rows = (
    await db.query<{ id: string; at: string }>(
      "select id, (extract(epoch from created_at) * 1000)::float8::text as at from refund where id = any($1) and deleted_at is null",
      [allIds]
    )
  ).rows
  const atById = new Map(rows.map((row) => [row.id, Number(row.at)]))
  for (const [refundId, ids] of wanted) {
    const present = ids.filter((id) => atById.has(id))
    if (present.length) {
      recorded.set(refundId, { medusaIds: present, at: Math.min(...present.map((id) => atById.get(id) as number)) })
    }
  }
}
