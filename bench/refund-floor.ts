/**
 * Part 3's ceiling: how fast Medusa itself records refunds, on the baseline store (the official Stripe provider,
 * nothing of the plugin), through its own `POST /admin/payments/:id/refund` and refund workflow, a fixed number in
 * flight. The webhook sync records every refund made at the PSP through that same workflow (`refundPaymentWorkflow`:
 * the refund, the order transaction, the credit line, the order's totals), so on this machine no sync that records
 * each refund in Medusa can settle the flood's refunds faster than this, whatever it does around them. It is an upper
 * bound: the route also pays for the admin request and the official provider's refund call at the sandbox, and the
 * flood's other events (second events, duplicates, disputes) cost on top.
 */
import { performance } from "node:perf_hooks"
import type { MedusaHttp, PlacedOrder } from "./store-flows"

export interface RefundFloorConfig {
  /** Refunds to record, spread over the orders (each a small partial refund of a captured payment). */
  refunds: number
  /** Refunds in flight at once: the webhook sync's default `webhookSync.concurrency`. */
  inFlight: number
  /** Each refund, in major units (the orders are $70: 1.00 leaves room for many refunds per order). */
  amount: number
}

export interface RefundFloorResult {
  refunds: number
  inFlight: number
  durationMs: number
  /** Refunds Medusa recorded per second. */
  perSecond: number
  latenciesMs: number[]
  /** The baseline store's CPU time per refund (null without /proc), and the share of the wall time it was busy. */
  cpuMsPerRefund: number | null
  busyShare: number | null
}

/**
 * Records `config.refunds` partial refunds of the orders' captured payments, `config.inFlight` at a time; each stream
 * refunds its own orders in turn, so two refunds of one payment never run at once (Medusa's route does not serialize
 * them, and the flood's refunds of one order run under its lock too).
 */
export async function measureRefundFloor(
  http: MedusaHttp,
  admin: Record<string, string>,
  orders: PlacedOrder[],
  config: RefundFloorConfig,
  cpuMs: () => number | null
): Promise<RefundFloorResult> {
  if (orders.length === 0) {
    throw new Error("no captured orders to refund")
  }
  const streams = Math.min(config.inFlight, orders.length)
  const perStream = Array.from({ length: streams }, (_, s) => orders.filter((_, i) => i % streams === s))
  const latenciesMs: number[] = []
  let next = 0
  const cpu0 = cpuMs()
  const t0 = performance.now()
  await Promise.all(
    perStream.map(async (mine) => {
      for (let k = 0; next < config.refunds; k++) {
        next++
        const order = mine[k % mine.length]
        const started = performance.now()
        await http.request("POST", `/admin/payments/${order.paymentId}/refund`, admin, { amount: config.amount })
        latenciesMs.push(performance.now() - started)
      }
    })
  )
  const durationMs = performance.now() - t0
  const cpu1 = cpuMs()
  const cpu = cpu0 === null || cpu1 === null ? null : cpu1 - cpu0
  return {
    refunds: latenciesMs.length,
    inFlight: streams,
    durationMs,
    perSecond: latenciesMs.length / (durationMs / 1000),
    latenciesMs,
    cpuMsPerRefund: cpu === null ? null : cpu / latenciesMs.length,
    busyShare: cpu === null ? null : cpu / durationMs,
  }
}
