/**
 * Webhook sync of refunds and chargebacks made at Stripe and PayPal, on a real Medusa app against the PSP sandbox.
 * The sandbox sends its signed webhooks to this app's standard URL (`/hooks/payment/<psp>_<psp>`); each test holds
 * them while it acts "at the PSP" (dashboard refunds, disputes opened, won, lost), then releases them several times
 * each, concurrently and out of order, and checks that Medusa's refunds, totals, disputes and ledger show every change
 * exactly once. Medusa handles a webhook 5 s after it arrives (a fixed delay), so the tests wait for the sync to
 * finish: every subscriber's run for every delivery ended (utils/webhooks.ts), and every delivered event recorded as
 * processed.
 */
import type { IEventBusModuleService, IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { AxiosResponse } from "axios"
import { generateKeyPairSync } from "node:crypto"
import type { DisputeView } from "../../src/ledger/dispute-view"
import type { TransactionView } from "../../src/ledger/transaction-view"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../src/modules/payment-orchestrator"
import type PaymentOrchestratorModuleService from "../../src/modules/payment-orchestrator/service"
import type { Delivery } from "../../src/sandbox"
import { paypalSigningIdentity } from "../../src/sandbox/paypal/certificate"
import { signTransmission } from "../../src/sandbox/paypal/signature"
import { signStripePayload } from "../../src/sandbox/stripe/signature"
import { payPalValueFromMinor, toMinorUnits } from "../../src/utils/money"
import { SYNC_EVENTS } from "../../src/workflows/webhook-sync"
import { adminHeaders } from "../utils/admin"
import { expectLedgerAgrees } from "../utils/ledger"
import { placeCapturedModuleOrder } from "../utils/module-orders"
import {
  openInstructions,
  orderPayment,
  PAYPAL,
  placeAuthorizedOrder,
  STRIPE,
  type MedusaPayment,
} from "../utils/orders"
import { useSandbox } from "../utils/sandbox"
import { eventually } from "../utils/wait"
import { trackWebhookHandlers } from "../utils/webhooks"

jest.setTimeout(240_000)

const sandbox = useSandbox()

/** The event types the sync acts on; the sandbox emits others too (payment_intent.*, CHECKOUT.ORDER.APPROVED). */
const SYNCED =
  /^(charge\.refunded|refund\.|charge\.refund\.updated|charge\.dispute\.|PAYMENT\.CAPTURE\.(REFUNDED|REVERSED)|CUSTOMER\.DISPUTE\.)/

type Psp = "stripe" | "paypal"

medusaIntegrationTestRunner({
  inApp: true,
  // The sync's retry waits 20 ms, 40 ms, … instead of 1 s, 2 s, … (README "Webhook sync"): the failing-sync case
  // does not sit through 15 s of back-off.
  env: { ORCHESTRATOR_WEBHOOK_RETRY_DELAY_MS: "20" },
  testSuite: ({ api, getContainer }) => {
    let headers: Record<string, string>
    const container = (): MedusaContainer => getContainer()
    const control = () => sandbox.current.control
    const hookUrl = (psp: Psp) => `${api.defaults.baseURL}/hooks/payment/${psp}_${psp}`
    const ledgerModule = () => container().resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)

    beforeEach(async () => {
      headers = await adminHeaders(container(), api)
      // The database is restored before every test: so is the sandbox. Checkout and capture happen without
      // webhooks; each test then holds what the PSP sends.
      await control().reset()
      await control().configureWebhooks("stripe", { url: null, hold: false })
      await control().configureWebhooks("paypal", { url: null, hold: false })
    })

    const call = (method: "get" | "post", path: string, body?: unknown): Promise<AxiosResponse> =>
      (method === "get" ? api.get(path, { headers }) : api.post(path, body, { headers })).catch(
        (e: { response: AxiosResponse }) => e.response
      )

    async function transactions(orderId: string): Promise<TransactionView[]> {
      const res = await call("get", `/admin/orders/${orderId}/transactions`)
      expect(res.status).toBe(200)
      return res.data.data
    }

    async function disputes(orderId: string): Promise<DisputeView[]> {
      const res = await call("get", `/admin/orders/${orderId}/disputes`)
      expect(res.status).toBe(200)
      return res.data.data
    }

    /** The PSP starts sending this PSP's webhooks to the app, held until the test releases them. */
    async function holdWebhooks(psp: Psp): Promise<void> {
      await control().configureWebhooks(psp, { url: hookUrl(psp), hold: true })
    }

    /**
     * Every delivery has been handled by every subscriber (`handlers`, installed before delivering), and every synced
     * event delivered is recorded as processed, with its outcome.
     */
    async function settle(deliveries: Delivery[], handlers: ReturnType<typeof trackWebhookHandlers>): Promise<void> {
      await handlers.done(deliveries.length)
      const ids = [...new Set(deliveries.filter((d) => SYNCED.test(d.type)).map((d) => d.event_id))]
      await eventually(
        async () => {
          const rows = await ledgerModule().listOrchestratorWebhookEvents({ event_id: ids })
          expect(
            rows
              .filter((r) => r.outcome !== null)
              .map((r) => r.event_id)
              .sort()
          ).toEqual([...ids].sort())
        },
        { timeout: 60_000 }
      )
    }

    /** Releases the held events of a PSP as the options say (default: 3 copies of each, shuffled, all at once). */
    async function release(
      psp: Psp,
      options: { duplicates?: number; order?: "emitted" | "shuffle" | "reverse"; concurrent?: boolean } = {}
    ): Promise<Delivery[]> {
      const handlers = trackWebhookHandlers(container())
      try {
        const deliveries = await control().releaseWebhooks({
          psp,
          duplicates: options.duplicates ?? 2,
          order: options.order ?? "shuffle",
          concurrent: options.concurrent ?? true,
        })
        expect(deliveries.length).toBeGreaterThan(0)
        expect(deliveries.every((d) => d.status === 200)).toBe(true)
        await settle(deliveries, handlers)
        return deliveries
      } finally {
        handlers.restore()
      }
    }

    /** Delivers again every synced event the sandbox sent for this PSP, in reverse, twice each. */
    async function redeliverAll(psp: Psp): Promise<void> {
      const events = (await control().events(psp)).filter((e) => SYNCED.test(e.type))
      const handlers = trackWebhookHandlers(container())
      try {
        const deliveries = await control().redeliver(
          events.map((e) => e.id),
          { duplicates: 1, order: "reverse", concurrent: true }
        )
        expect(deliveries.every((d) => d.status === 200)).toBe(true)
        await settle(deliveries, handlers)
      } finally {
        handlers.restore()
      }
    }

    /** An order placed through the storefront, its payment captured in full through Medusa's admin route. */
    async function placeCaptured(provider: string) {
      const order = await placeAuthorizedOrder(api, container(), sandbox.current, provider)
      const captured = await call("post", `/admin/payments/${order.payment.id}/capture`, {})
      expect(captured.status).toBe(200)
      return { ...order, payment: await orderPayment(container(), order.orderId) }
    }

    const pspOf = (provider: string): Psp => (provider === STRIPE ? "stripe" : "paypal")

    /**
     * The synced events name no Medusa session: no PayPal `custom_id` / dispute `custom` (captures and refunds made
     * without one carry none, dashboard refunds never do), no Stripe metadata on refunds and disputes. The sync found
     * the payment through the PSP's links (PayPal refund → capture → related_ids; Stripe → payment_intent) and the
     * plugin's reference index, which holds the payment's PSP ids.
     */
    async function expectFoundWithoutCustomIds(psp: Psp, payment: MedusaPayment): Promise<void> {
      const events = (await control().events(psp)).filter((e) => SYNCED.test(e.type))
      expect(events.length).toBeGreaterThan(0)
      for (const e of events) {
        const body = JSON.parse(e.payload) as {
          resource?: Record<string, unknown> & { disputed_transactions?: Record<string, unknown>[] }
          data?: { object?: { object?: string; metadata?: Record<string, unknown> } }
        }
        if (psp === "paypal") {
          expect(body.resource?.custom_id).toBeUndefined()
          expect((body.resource?.disputed_transactions ?? []).every((t) => t.custom === undefined)).toBe(true)
          expect(JSON.stringify(body)).not.toContain(payment.data.session_id!)
        } else if (body.data?.object?.object !== "charge") {
          expect(body.data?.object?.metadata?.session_id).toBeUndefined()
        }
      }
      const { rows } = await container()
        .resolve(ContainerRegistrationKeys.PG_CONNECTION)
        .raw(`SELECT reference FROM orchestrator_payment_ref WHERE session_id = ? AND deleted_at IS NULL`, [
          payment.data.session_id,
        ])
      expect(rows.map((r: { reference: string }) => r.reference)).toEqual(
        expect.arrayContaining([payment.data.reference, ...(psp === "paypal" ? [payment.data.authorization_id] : [])])
      )
    }

    /** A refund made in the PSP's dashboard (minor units). */
    async function dashboardRefund(provider: string, payment: MedusaPayment, amount: number, captureIndex = 0) {
      if (provider === STRIPE) {
        return (await control().stripe.dashboardRefund({ payment_intent: payment.data.reference, amount })).id
      }
      const capture = payment.data.captures[captureIndex]
      return (await control().paypal.refundCapture(capture.id, payPalValueFromMinor(amount, payment.currency_code))).id
    }

    async function openDispute(provider: string, payment: MedusaPayment, amount?: number) {
      if (provider === STRIPE) {
        return (await control().stripe.openDispute({ payment_intent: payment.data.reference, amount })).id
      }
      const captureId = payment.data.captures[0].id
      const value = amount === undefined ? undefined : payPalValueFromMinor(amount, payment.currency_code)
      return (await control().paypal.openDispute({ capture_id: captureId, amount: value })).dispute_id
    }

    async function closeDispute(provider: string, id: string, outcome: "won" | "lost") {
      if (provider === STRIPE) {
        await control().stripe.closeDispute(id, outcome)
      } else {
        await control().paypal.resolveDispute(id, outcome)
      }
    }

    async function moveDisputeToReview(provider: string, id: string) {
      if (provider === STRIPE) {
        await control().stripe.updateDisputeStatus(id, "under_review")
      } else {
        await control().paypal.updateDispute(id, "UNDER_REVIEW")
      }
    }

    /** The order's payment totals as Medusa computes them. */
    async function totals(orderId: string) {
      const { data } = await container()
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({
          entity: "order",
          fields: ["payment_collections.captured_amount", "payment_collections.refunded_amount"],
          filters: { id: orderId },
        })
      const collection = (data[0] as { payment_collections: { captured_amount: number; refunded_amount: number }[] })
        .payment_collections[0]
      const res = await call("get", `/admin/orders/${orderId}?fields=payment_status`)
      return {
        captured: Number(collection.captured_amount),
        refunded: Number(collection.refunded_amount),
        payment_status: res.data.order.payment_status as string,
      }
    }

    const minorOf = (payment: MedusaPayment) => (major: number) => toMinorUnits(major, payment.currency_code)

    /** Collects the emissions of one of the plugin's events from now on (a subscriber of the test's own). */
    function listen(name: string): { events: { name: string; data: Record<string, unknown> }[]; stop(): void } {
      const bus = container().resolve<IEventBusModuleService>(Modules.EVENT_BUS)
      const events: { name: string; data: Record<string, unknown> }[] = []
      const subscriberId = `webhook-sync-test-${name}-${Date.now()}`
      const handler = async (event: { name: string; data: unknown }) => {
        events.push(event as { name: string; data: Record<string, unknown> })
      }
      bus.subscribe(name, handler, { subscriberId })
      return { events, stop: () => void bus.unsubscribe(name, handler, { subscriberId }) }
    }

    /** Waits until `count` emissions were collected, and stops listening. */
    async function received(listener: ReturnType<typeof listen>, count: number) {
      try {
        await eventually(async () => expect(listener.events.length).toBeGreaterThanOrEqual(count), { timeout: 30_000 })
        return listener.events.map((e) => e.data)
      } finally {
        listener.stop()
      }
    }

    describe.each([
      ["Stripe", STRIPE],
      ["PayPal", PAYPAL],
    ])("%s refunds made at the PSP", (_name, provider) => {
      const psp = pspOf(provider)

      it("become Medusa refunds exactly once, whatever the delivery order and the duplicates", async () => {
        const order = await placeCaptured(provider)
        await holdWebhooks(psp)
        const synced = listen(SYNC_EVENTS.REFUND_SYNCED)
        const first = await dashboardRefund(provider, order.payment, 1500)
        const second = await dashboardRefund(provider, order.payment, 1000)
        await release(psp)
        await expectFoundWithoutCustomIds(psp, order.payment)
        expect(await received(synced, 2)).toEqual([
          expect.objectContaining({ psp_refund_id: first, amount: 1500, order_id: order.orderId, source: "psp" }),
          expect.objectContaining({ psp_refund_id: second, amount: 1000, order_id: order.orderId, source: "psp" }),
        ])

        const payment = await orderPayment(container(), order.orderId)
        expect(payment.refunds.map((r) => r.amount).sort()).toEqual([10, 15])
        const records = payment.data.refunds.filter((r) => r.source === "psp")
        expect(records.map((r) => [r.id, r.amount, r.status])).toEqual([
          [first, 1500, "succeeded"],
          [second, 1000, "succeeded"],
        ])
        expect(new Set(records.map((r) => r.medusa_refund_id))).toEqual(new Set(payment.refunds.map((r) => r.id)))
        const tagged = (await container()
          .resolve<IPaymentModuleService>(Modules.PAYMENT)
          .listRefunds(
            { id: payment.refunds.map((r) => r.id) },
            { select: ["id", "metadata", "note"] }
          )) as unknown as {
          metadata?: Record<string, unknown> | null
          note?: string | null
        }[]
        expect(tagged.map((r) => r.metadata?.psp_refund_id).sort()).toEqual([first, second].sort())
        expect(tagged[0].note).toMatch(/outside Medusa/)
        expect(await openInstructions(container(), payment)).toEqual([])
        expect(await totals(order.orderId)).toEqual({
          captured: 70,
          refunded: 25,
          payment_status: "partially_refunded",
        })

        const lines = await transactions(order.orderId)
        expect(
          lines.filter((t) => t.transaction_type === "refund").map((t) => [t.reference, t.amount, t.status])
        ).toEqual([
          [first, 1500, "complete"],
          [second, 1000, "complete"],
        ])
        expect(lines.find((t) => t.transaction_type === "capture")).toMatchObject({
          refunded_amount: 2500,
          refundable_amount: 4500,
          payment_details: { detailed_status: "partially-refunded" },
        })

        // Every event again, newest first, twice each: nothing changes. Each event the PSP sent was processed once,
        // with its outcome; the redeliveries, all duplicates, add no row and change no outcome.
        const outcomes = async () =>
          (await ledgerModule().listOrchestratorWebhookEvents({ gateway: psp }))
            .map((r) => [r.event_id, r.outcome])
            .sort(([a], [b]) => String(a).localeCompare(String(b)))
        const processed = await outcomes()
        const sent = (await control().events(psp)).filter((e) => SYNCED.test(e.type)).map((e) => e.id)
        expect(processed.map(([id]) => id)).toEqual(expect.arrayContaining(sent))
        expect(processed.every(([, outcome]) => !!outcome)).toBe(true)
        await redeliverAll(psp)
        expect((await orderPayment(container(), order.orderId)).refunds).toHaveLength(2)
        expect(await outcomes()).toEqual(processed)
        await expectLedgerAgrees(container(), await transactions(order.orderId), order.orderId)
      })

      it("a refund issued through Medusa is not recorded again when its webhook echoes back", async () => {
        const order = await placeCaptured(provider)
        await holdWebhooks(psp)
        const refunded = await call("post", `/admin/payments/${order.payment.id}/refund`, { amount: 20 })
        expect(refunded.status).toBe(200)
        await release(psp)
        const payment = await orderPayment(container(), order.orderId)
        expect(payment.refunds.map((r) => r.amount)).toEqual([20])
        expect(payment.data.refunds.map((r) => r.source)).toEqual(["plugin"])
        expect(await totals(order.orderId)).toMatchObject({ refunded: 20 })
        await expectLedgerAgrees(container(), await transactions(order.orderId), order.orderId)
      })

      it("a final partial capture is not a refund; the rest refunded at the PSP is", async () => {
        const order = await placeAuthorizedOrder(api, container(), sandbox.current, provider)
        await holdWebhooks(psp)
        const auth = (await transactions(order.orderId)).find((t) => t.transaction_type === "authorize")!
        const captured = await call("post", `/admin/orders/${order.orderId}/transactions/${auth.id}/capture`, {
          data: { capture_amount: 2500 },
        })
        expect(captured.status).toBe(200)
        const payment = await orderPayment(container(), order.orderId)
        await dashboardRefund(provider, payment, 1000)
        await release(psp)
        const after = await orderPayment(container(), order.orderId)
        expect(after.refunds.map((r) => r.amount)).toEqual([10])
        expect(await totals(order.orderId)).toMatchObject({ captured: 25, refunded: 10 })
        await expectLedgerAgrees(container(), await transactions(order.orderId), order.orderId)
      })
    })

    describe("Stripe refunds that fail after the fact", () => {
      it("a recorded refund that fails is flagged: failed in the data and the ledger, explained, Medusa's refund kept", async () => {
        const order = await placeCaptured(STRIPE)
        await holdWebhooks("stripe")
        const refundId = await dashboardRefund(STRIPE, order.payment, 3000)
        await release("stripe")
        expect((await orderPayment(container(), order.orderId)).refunds.map((r) => r.amount)).toEqual([30])

        const failed = listen(SYNC_EVENTS.REFUND_FAILED)
        await control().stripe.failRefund(refundId, "expired_or_canceled_card")
        await release("stripe")
        const flags = await received(failed, 1)
        expect(flags).toHaveLength(1)
        expect(flags[0]).toMatchObject({
          order_id: order.orderId,
          psp_refund_id: refundId,
          amount: 3000,
          status: "failed",
          explanation: expect.stringMatching(/did not get the money back.*Medusa cannot delete a refund/),
        })

        const payment = await orderPayment(container(), order.orderId)
        expect(payment.refunds.map((r) => r.amount)).toEqual([30])
        expect(payment.data.refunds.map((r) => [r.id, r.status])).toEqual([[refundId, "failed"]])
        const lines = await transactions(order.orderId)
        expect(lines.find((t) => t.transaction_type === "refund")).toMatchObject({
          reference: refundId,
          status: "failed",
          payment_details: { detailed_status: "failed", psp_status: "failed" },
        })
        expect(lines.find((t) => t.transaction_type === "capture")).toMatchObject({
          refunded_amount: 0,
          refundable_amount: 7000,
        })
        await expectLedgerAgrees(container(), lines, order.orderId)
      })

      it("a refund that failed before Medusa heard of it is never recorded, even when its events arrive reversed", async () => {
        const order = await placeCaptured(STRIPE)
        await holdWebhooks("stripe")
        const refundId = await dashboardRefund(STRIPE, order.payment, 3000)
        await control().stripe.failRefund(refundId)
        await release("stripe", { order: "reverse" })
        const payment = await orderPayment(container(), order.orderId)
        expect(payment.refunds).toEqual([])
        expect(payment.data.refunds).toEqual([])
        expect(await totals(order.orderId)).toMatchObject({ refunded: 0 })
      })
    })

    describe.each([
      ["Stripe", STRIPE],
      ["PayPal", PAYPAL],
    ])("%s chargebacks", (_name, provider) => {
      const psp = pspOf(provider)

      it("an open dispute blocks refunds; lost, it is one chargeback refund and the ledger shows it reversed", async () => {
        const order = await placeCaptured(provider)
        await holdWebhooks(psp)
        const created = listen(SYNC_EVENTS.DISPUTE_CREATED)
        const disputeId = await openDispute(provider, order.payment, 4000)
        await release(psp)
        await expectFoundWithoutCustomIds(psp, order.payment)
        expect(await received(created, 1)).toEqual([
          expect.objectContaining({ reference: disputeId, status: "needs_response", amount: 4000 }),
        ])

        const [open] = await disputes(order.orderId)
        const capture = (await transactions(order.orderId)).find((t) => t.transaction_type === "capture")!
        expect(open).toMatchObject({
          type: "dispute",
          gateway: psp,
          reference: disputeId,
          transaction_id: capture.id,
          amount: 4000,
          currency: "USD",
          status: "needs_response",
          evidence_due_by: expect.any(String),
          history: [expect.objectContaining({ status: "needs_response" })],
        })
        expect(open.id).toMatch(/^podp_/)
        const unknown = await call("get", "/admin/orders/order_nope/disputes")
        expect(unknown.status).toBe(404)
        expect(unknown.data.errors).toEqual([
          expect.objectContaining({ status: 404, detail: expect.stringMatching(/order_nope was not found/) }),
        ])
        expect(open.reason).toBeTruthy()
        expect(capture.payment_details.detailed_status).toBe("chargeback-initiated")
        expect((await orderPayment(container(), order.orderId)).data.open_disputes).toEqual([disputeId])

        const viaMedusa = await call("post", `/admin/payments/${order.payment.id}/refund`, { amount: 10 })
        expect(viaMedusa.status).toBeGreaterThanOrEqual(400)
        expect(JSON.stringify(viaMedusa.data)).toMatch(/chargeback is open.*pay the customer twice/)
        const viaLedger = await call("post", `/admin/orders/${order.orderId}/transactions/${capture.id}/refund`, {
          data: { amount: 1000 },
        })
        expect(viaLedger.status).toBe(400)
        expect(viaLedger.data.errors[0].detail).toMatch(/chargeback is open/)

        const closed = listen(SYNC_EVENTS.DISPUTE_CLOSED)
        await moveDisputeToReview(provider, disputeId)
        await closeDispute(provider, disputeId, "lost")
        await release(psp)
        expect(await received(closed, 1)).toEqual([
          expect.objectContaining({ reference: disputeId, status: "lost", refund_id: expect.stringMatching(/^ref_/) }),
        ])

        const payment = await orderPayment(container(), order.orderId)
        expect(payment.refunds.map((r) => r.amount)).toEqual([40])
        expect(payment.data.open_disputes).toEqual([])
        const reasons = await container()
          .resolve<IPaymentModuleService>(Modules.PAYMENT)
          .listRefunds({ id: payment.refunds[0].id }, { relations: ["refund_reason"] })
        expect(reasons[0].refund_reason).toMatchObject({ code: "chargeback" })
        const [lost] = await disputes(order.orderId)
        expect(lost).toMatchObject({ status: "lost", meta: { refund_id: payment.refunds[0].id } })
        expect(lost.history[0].status).toBe("needs_response")
        expect(lost.history[lost.history.length - 1].status).toBe("lost")
        const lines = await transactions(order.orderId)
        expect(lines.find((t) => t.transaction_type === "capture")).toMatchObject({
          payment_details: { detailed_status: "reversed" },
          refunded_amount: 4000,
        })
        expect(lines.find((t) => t.transaction_type === "refund")).toMatchObject({
          amount: 4000,
          payment_details: { detailed_status: "reversed" },
        })
        expect(await totals(order.orderId)).toMatchObject({ refunded: 40, payment_status: "partially_refunded" })

        await redeliverAll(psp)
        expect((await orderPayment(container(), order.orderId)).refunds).toHaveLength(1)
        expect(await disputes(order.orderId)).toHaveLength(1)
        await expectLedgerAgrees(container(), await transactions(order.orderId), order.orderId)
      })

      it("won, it records nothing further and refunds are allowed again", async () => {
        const order = await placeCaptured(provider)
        await holdWebhooks(psp)
        const created = listen(SYNC_EVENTS.DISPUTE_CREATED)
        const closed = listen(SYNC_EVENTS.DISPUTE_CLOSED)
        const disputeId = await openDispute(provider, order.payment)
        await closeDispute(provider, disputeId, "won")
        // Opened and won before anything arrived: every event at once, shuffled, three times each.
        await release(psp)
        expect(await received(created, 1)).toEqual([expect.objectContaining({ reference: disputeId })])
        expect(await received(closed, 1)).toEqual([
          expect.objectContaining({ reference: disputeId, status: "won", refund_id: null }),
        ])
        await expectFoundWithoutCustomIds(psp, order.payment)
        const [won] = await disputes(order.orderId)
        expect(won).toMatchObject({ reference: disputeId, status: "won", amount: 7000, meta: { refund_id: null } })
        const payment = await orderPayment(container(), order.orderId)
        expect(payment.refunds).toEqual([])
        expect(payment.data.open_disputes ?? []).toEqual([])
        const capture = (await transactions(order.orderId)).find((t) => t.transaction_type === "capture")!
        expect(capture.payment_details.detailed_status).toBe("completed")
        const refunded = await call("post", `/admin/payments/${order.payment.id}/refund`, { amount: 5 })
        expect(refunded.status).toBe(200)
        await expectLedgerAgrees(container(), await transactions(order.orderId), order.orderId)
      })
    })

    describe("zero- and three-decimal currencies", () => {
      it.each([
        [STRIPE, "jpy", 9000, 2500, 4000],
        [PAYPAL, "jpy", 9000, 2500, 4000],
        [STRIPE, "kwd", 18500, 5500, 7250],
      ])(
        "%s in %s: a dashboard refund and a lost dispute in the currency's minor units",
        async (provider, currency, amount, refund, disputed) => {
          const psp = pspOf(provider)
          const { orderId, payment } = await placeCapturedModuleOrder(
            container(),
            sandbox.current,
            provider,
            currency,
            amount
          )
          await holdWebhooks(psp)
          if (provider === STRIPE) {
            await control().stripe.dashboardRefund({ payment_intent: payment.data.reference, amount: refund })
            const disputeId = (
              await control().stripe.openDispute({ payment_intent: payment.data.reference, amount: disputed })
            ).id
            await control().stripe.closeDispute(disputeId, "lost")
          } else {
            const captureId = payment.data.captures[0].id
            await control().paypal.refundCapture(captureId, payPalValueFromMinor(refund, currency))
            const dispute = await control().paypal.openDispute({
              capture_id: captureId,
              amount: payPalValueFromMinor(disputed, currency),
            })
            await control().paypal.resolveDispute(dispute.dispute_id, "lost")
          }
          await release(psp)
          const after = await orderPayment(container(), orderId)
          const minor = minorOf(after)
          expect(after.refunds.map((r) => minor(r.amount)).sort((a, b) => a - b)).toEqual(
            [refund, disputed].sort((a, b) => a - b)
          )
          const [dispute] = await disputes(orderId)
          expect(dispute).toMatchObject({ amount: disputed, currency: currency.toUpperCase(), status: "lost" })
          await expectLedgerAgrees(container(), await transactions(orderId), orderId)
        }
      )
    })

    describe("a sync that fails", () => {
      it("is not recorded as processed, so the redelivered event is synced, once", async () => {
        const order = await placeCaptured(STRIPE)
        await holdWebhooks("stripe")
        await dashboardRefund(STRIPE, order.payment, 2200)
        // Stripe cannot list the refunds for a while: every sync fails after the SDK's retries.
        await control().addFault({ psp: "stripe", method: "GET", path: "/v1/refunds", kind: "status", count: 1000 })
        const handlers = trackWebhookHandlers(container())
        const deliveries = await control().releaseWebhooks({ psp: "stripe", duplicates: 1, concurrent: true })
        const ids = [...new Set(deliveries.filter((d) => SYNCED.test(d.type)).map((d) => d.event_id))]
        // Every handler run has ended (the sync's after its last attempt, having released its claim).
        try {
          await handlers.done(deliveries.length)
        } finally {
          handlers.restore()
        }
        // Each distinct event was tried by the subscriber 5 times (src/subscribers/psp-webhook-sync.ts), each try
        // re-reading the refunds with three requests (the SDK retries 5xx twice); events of one payment tried at the
        // same moment share one re-read, so at least 5 rounds of 3.
        const attempts = await control().requests({ psp: "stripe", method: "GET", path: "/v1/refunds" })
        expect(ids.length).toBeGreaterThan(0)
        expect(attempts.length).toBeGreaterThanOrEqual(3 * 5)
        expect((await orderPayment(container(), order.orderId)).refunds).toEqual([])
        expect(await ledgerModule().listOrchestratorWebhookEvents({ event_id: ids })).toEqual([])

        await control().clearFaults()
        await redeliverAll("stripe")
        const payment = await orderPayment(container(), order.orderId)
        expect(payment.refunds.map((r) => r.amount)).toEqual([22])
        expect(await openInstructions(container(), payment)).toEqual([])
        await expectLedgerAgrees(container(), await transactions(order.orderId), order.orderId)
      })
    })

    describe("deliveries that cannot be trusted change nothing", () => {
      it("Stripe: forged, stale and unsigned events are rejected; the genuine one then counts once", async () => {
        const order = await placeCaptured(STRIPE)
        await holdWebhooks("stripe")
        await dashboardRefund(STRIPE, order.payment, 1200)
        const events = (await control().events("stripe")).filter((e) => SYNCED.test(e.type))
        expect(events.length).toBeGreaterThan(0)
        const now = Math.floor(Date.now() / 1000)
        const post = (body: string, extra: Record<string, string>) =>
          fetch(hookUrl("stripe"), { method: "POST", headers: { "content-type": "application/json", ...extra }, body })
        const handlers = trackWebhookHandlers(container())
        for (const event of events) {
          const forged = await post(event.payload, {
            "stripe-signature": signStripePayload(event.payload, "whsec_not_the_secret", now),
          })
          const unsigned = await post(event.payload, {})
          expect([forged.status, unsigned.status]).toEqual([200, 200])
        }
        const stale = await control().redeliver(
          events.map((e) => e.id),
          { timestamp_offset_seconds: -3600 }
        )
        expect(stale.every((d) => d.status === 200)).toBe(true)
        // Forged and unsigned (two per event) and stale (one per event): every subscriber has handled all of them.
        try {
          await handlers.done(3 * events.length)
        } finally {
          handlers.restore()
        }
        expect((await orderPayment(container(), order.orderId)).refunds).toEqual([])
        expect(await ledgerModule().listOrchestratorWebhookEvents({ gateway: "stripe" })).toEqual([])

        await release("stripe")
        expect((await orderPayment(container(), order.orderId)).refunds.map((r) => r.amount)).toEqual([12])
      })

      it("PayPal: events signed with another key, tampered with or unsigned are rejected; the genuine one counts once", async () => {
        const order = await placeCaptured(PAYPAL)
        await holdWebhooks("paypal")
        await dashboardRefund(PAYPAL, order.payment, 1200)
        const events = (await control().events("paypal")).filter((e) => SYNCED.test(e.type))
        expect(events.length).toBeGreaterThan(0)
        const { cert_url } = await control().paypal.certificates()
        const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
        const post = (body: string, extra: Record<string, string>) =>
          fetch(hookUrl("paypal"), { method: "POST", headers: { "content-type": "application/json", ...extra }, body })
        const handlers = trackWebhookHandlers(container())
        for (const event of events) {
          const sign = (body: string, key = privateKey) =>
            signTransmission({
              body,
              webhookId: sandbox.current.paypal.webhookId,
              privateKey: key,
              certUrl: cert_url,
              now: Date.now(),
            })
          const forged = await post(event.payload, sign(event.payload))
          const genuine = sign(event.payload, paypalSigningIdentity.privateKey())
          const tampered = await post(event.payload.replace(/"value":"12.00"/g, '"value":"1.00"'), genuine)
          const unsigned = await post(event.payload, {})
          expect([forged.status, tampered.status, unsigned.status]).toEqual([200, 200, 200])
        }
        // Forged, tampered and unsigned, three per event: every subscriber has handled all of them.
        try {
          await handlers.done(3 * events.length)
        } finally {
          handlers.restore()
        }
        expect((await orderPayment(container(), order.orderId)).refunds).toEqual([])
        expect(await ledgerModule().listOrchestratorWebhookEvents({ gateway: "paypal" })).toEqual([])

        await release("paypal")
        expect((await orderPayment(container(), order.orderId)).refunds.map((r) => r.amount)).toEqual([12])
      })
    })
  },
})
