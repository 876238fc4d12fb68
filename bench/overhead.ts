/**
 * `medusa exec ./bench/overhead.ts` (run by `npm run bench`), part 4: what the plugin adds to one capture call. Times,
 * alternately and one call at a time, against the sandbox:
 * - bare: `stripe.paymentIntents.capture(id, { amount_to_capture, final_capture }, { idempotencyKey })` with the
 *   stripe v23 SDK configured as the plugin configures it;
 * - ours: the app's own `pp_stripe_stripe` provider instance, `capturePayment` exactly as Medusa calls it for a full
 *   capture: the payment's stored data, and as idempotency key the id of the capture row Medusa has just written
 *   (the provider reads that row, and the payment's other captures, through Medusa's capture service);
 * - ours without context: the same call without that key, so the provider reads nothing from Medusa's database.
 * Writes the samples (milliseconds) to BENCH_OVERHEAD_OUT.
 */
import type { ExecArgs, IPaymentModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import fs from "node:fs"
import { performance } from "node:perf_hooks"
import Stripe from "stripe"
import { SandboxControl } from "../src/sandbox"

const PROVIDER = "pp_stripe_stripe"
const AMOUNT = 70 // major units, as Medusa passes them; 7000 cents at Stripe

interface ProviderLike {
  container: { captureService: { create(data: unknown[]): Promise<{ id: string }[]> } }
  initiatePayment(input: unknown): Promise<{ id: string; data: Record<string, unknown> }>
  authorizePayment(input: unknown): Promise<{ status: string; data: Record<string, unknown> }>
  capturePayment(input: unknown): Promise<{ data: Record<string, unknown> }>
}

export interface OverheadSamples {
  calls: number
  warmup: number
  bare: number[]
  ours: number[]
  oursWithoutContext: number[]
}

export default async function overhead({ container }: ExecArgs): Promise<void> {
  const out = process.env.BENCH_OVERHEAD_OUT
  const sandboxUrl = process.env.PSP_SANDBOX_URL
  const calls = Number(process.env.BENCH_OVERHEAD_CALLS || 200)
  const warmup = Number(process.env.BENCH_OVERHEAD_WARMUP || 20)
  if (!out || !sandboxUrl) {
    throw new Error("Run through `npm run bench`: BENCH_OVERHEAD_OUT and PSP_SANDBOX_URL are unset.")
  }
  const control = new SandboxControl(sandboxUrl)
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const provider = (
    paymentModule as unknown as { paymentProviderService_: { retrieveProvider(id: string): ProviderLike } }
  ).paymentProviderService_.retrieveProvider(PROVIDER)

  // The same SDK, version and settings the plugin's gateway uses (stripe-client.ts), nothing else.
  const target = new URL(sandboxUrl)
  const stripe = new Stripe(process.env.STRIPE_API_KEY || "sk_test_sandbox", {
    host: target.hostname,
    port: target.port,
    protocol: "http",
    maxNetworkRetries: 2,
    timeout: 10_000,
    telemetry: false,
  })

  // What Medusa hands the provider: a payment authorized through the payment module, and the capture row it records
  // before calling the provider (one per payment, as for a full capture).
  async function medusaPayment(): Promise<{ data: Record<string, unknown>; captureId: string }> {
    const [collection] = await paymentModule.createPaymentCollections([{ currency_code: "usd", amount: AMOUNT }])
    const session = await paymentModule.createPaymentSession(collection.id, {
      provider_id: PROVIDER,
      currency_code: "usd",
      amount: AMOUNT,
      data: {},
    })
    await control.stripe.confirmPaymentIntent(String(session.data.reference))
    const payment = await paymentModule.authorizePaymentSession(session.id, {})
    if (!payment?.data) {
      throw new Error(`Payment session ${session.id} was not authorized.`)
    }
    const [row] = await provider.container.captureService.create([{ payment: payment.id, amount: AMOUNT }])
    return { data: payment.data, captureId: row.id }
  }

  // An authorized PaymentIntent straight from the provider (no Medusa rows), for the bare SDK and the no-context call.
  async function authorizedIntent(key: string): Promise<Record<string, unknown>> {
    const initiated = await provider.initiatePayment({
      amount: AMOUNT,
      currency_code: "usd",
      data: { session_id: key },
      context: { idempotency_key: key },
    })
    await control.stripe.confirmPaymentIntent(initiated.id)
    const { status, data } = await provider.authorizePayment({ data: initiated.data })
    if (status !== "authorized") {
      throw new Error(`PaymentIntent ${initiated.id} is ${status}, not authorized.`)
    }
    return data
  }

  // Everything is prepared before anything is timed.
  const total = warmup + calls
  const prepared: {
    bare: Record<string, unknown>
    ours: { data: Record<string, unknown>; captureId: string }
    oursWithoutContext: Record<string, unknown>
  }[] = []
  for (let i = 0; i < total; i++) {
    prepared.push({
      bare: await authorizedIntent(`bench_bare_${Date.now()}_${i}`),
      ours: await medusaPayment(),
      oursWithoutContext: await authorizedIntent(`bench_noctx_${Date.now()}_${i}`),
    })
  }

  const samples: OverheadSamples = { calls, warmup, bare: [], ours: [], oursWithoutContext: [] }
  const runs: Record<"bare" | "ours" | "oursWithoutContext", (i: number) => Promise<number>> = {
    async bare(i) {
      const data = prepared[i].bare
      const t0 = performance.now()
      const intent = await stripe.paymentIntents.capture(
        String(data.reference),
        { amount_to_capture: Number(data.amount), final_capture: true },
        { idempotencyKey: `bare-capture-${data.reference}` }
      )
      const elapsed = performance.now() - t0
      expectCaptured(intent.status, intent.amount_received, Number(data.amount))
      return elapsed
    },
    async ours(i) {
      const { data, captureId } = prepared[i].ours
      const t0 = performance.now()
      const result = await provider.capturePayment({ data, context: { idempotency_key: captureId } })
      const elapsed = performance.now() - t0
      expectCaptured(String(result.data.psp_status), captured(result.data), Number(data.amount))
      return elapsed
    },
    async oursWithoutContext(i) {
      const data = prepared[i].oursWithoutContext
      const t0 = performance.now()
      const result = await provider.capturePayment({ data, context: {} })
      const elapsed = performance.now() - t0
      expectCaptured(String(result.data.psp_status), captured(result.data), Number(data.amount))
      return elapsed
    },
  }
  const kinds = ["bare", "ours", "oursWithoutContext"] as const
  for (let i = 0; i < total; i++) {
    // Rotate who goes first, so no variant always follows the same one.
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[(i + k) % kinds.length]
      const elapsed = await runs[kind](i)
      if (i >= warmup) {
        samples[kind].push(elapsed)
      }
    }
  }
  fs.writeFileSync(out, JSON.stringify(samples))
}

function captured(data: Record<string, unknown>): number {
  const captures = (data.captures as { amount: number }[] | undefined) ?? []
  return captures.reduce((s, c) => s + c.amount, 0)
}

function expectCaptured(status: string, amount: number, expected: number): void {
  if (status !== "succeeded" || amount !== expected) {
    throw new Error(`A bench capture ended ${status} with ${amount} of ${expected} captured.`)
  }
}
