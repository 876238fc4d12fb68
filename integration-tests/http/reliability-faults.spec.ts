/**
 * Reliability under PSP faults, on a real Medusa app against the sandbox, for Stripe and PayPal: faults injected at the
 * sandbox on capture (through Medusa's `POST /admin/payments/:id/capture` and the transactions route), refund and
 * cancel — 5xx, connection reset, no answer within the client timeout, latency past it — then the SDK's retries (one
 * idempotency key), the merchant's retries, and a crash window (a second Medusa process killed with SIGKILL after the
 * PSP captured and before Medusa recorded it). Every test asserts what the PSP holds (the sandbox's objects and its
 * request log: idempotency keys, replays) and what Medusa holds (payment rows, the provider's data, the ledger).
 * No assertion is about time: slow faults only cost time.
 */
import { spawn, type ChildProcess } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import axios, { type AxiosInstance, type AxiosResponse } from "axios"
import type { FaultRule, LoggedRequest } from "../../src/sandbox"
import type { TransactionView } from "../../src/ledger/transaction-view"
import { adminHeaders } from "../utils/admin"
import {
  openInstructions,
  orderPayment,
  PAYPAL,
  placeAuthorizedOrder,
  STRIPE,
  STRIPE_MULTICAPTURE_CARD,
  type AuthorizedOrder,
} from "../utils/orders"
import { useSandbox } from "../utils/sandbox"
import { expectLedgerAgrees } from "../utils/ledger"
import type { IOrderModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { PAYMENT_ORCHESTRATOR_MODULE } from "../../src/modules/payment-orchestrator"
import type PaymentOrchestratorModuleService from "../../src/modules/payment-orchestrator/service"
import { WebhookClaims } from "../../src/modules/payment-orchestrator/webhook-claims"
import { payPalValueFromMinor } from "../../src/utils/money"
import reconcilePaymentsJob, { runReconcileSweep } from "../../src/jobs/reconcile-payments"

jest.setTimeout(300_000)

const sandbox = useSandbox()
const control = () => sandbox.current.control

/** The providers' client timeout in medusa-config.ts: a `timeout` or `latency` fault must outlast it. */
const CLIENT_TIMEOUT_MS = 10_000
const PAST_CLIENT_TIMEOUT_MS = CLIENT_TIMEOUT_MS + 2_000

/** What the PSP holds for the order's payment, the same shape for both (minor units). */
interface PspState {
  status: string
  captures: number[]
  refunds: number[]
}

async function pspState(order: AuthorizedOrder): Promise<PspState> {
  if (order.authorizationId) {
    const auth = await control().paypal.getAuthorization(order.authorizationId)
    const minor = (value: string) => Math.round(Number(value) * 100)
    return {
      status: auth.status,
      captures: auth.captures.map((c) => minor(c.amount.value)),
      refunds: auth.captures.flatMap((c) => c.refunds).map((r) => minor(r.amount.value)),
    }
  }
  const pi = await control().stripe.inspectPaymentIntent(order.reference)
  return {
    status: pi.payment_intent.status,
    captures: pi.captures.map((c) => c.amount),
    refunds: pi.refunds.filter((r) => r.status !== "failed").map((r) => r.amount),
  }
}

type Operation = "capture" | "refund" | "cancel"

/** The PSP call that moves money (or voids) for each operation: path pattern of the sandbox's request log. */
const OPERATION_PATH: Record<Operation, RegExp> = {
  capture: /\/capture$/,
  refund: /\/refunds?$/,
  cancel: /\/(cancel|void)$/,
}

function fault(operation: Operation, rule: Omit<FaultRule, "method" | "path">): FaultRule {
  return { method: "POST", path: `/${OPERATION_PATH[operation].source}/`, ...rule }
}

/** Whether the PSP did the work on this call (not a replay, and not refused before acting by an injected fault). */
function acted(r: LoggedRequest): boolean {
  return !r.replayed && (r.fault === null || r.fault.endsWith(":after") || r.fault.startsWith("latency"))
}

/**
 * The sandbox's log of POSTs for the operation, once no call is still inside an injected latency (a latency fault
 * answers late, after the client gave up; its log line is complete only then).
 */
async function pspCalls(operation: Operation): Promise<LoggedRequest[]> {
  for (let i = 0; ; i++) {
    const calls = (await control().requests({ method: "POST" })).filter((r) => OPERATION_PATH[operation].test(r.path))
    if (!calls.some((r) => r.fault?.startsWith("latency") && r.status === null) || i > 120) {
      return calls
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

/** One operation at the PSP: every attempt carried the same idempotency key and exactly one of them acted. */
async function expectActedOnce(operation: Operation): Promise<LoggedRequest[]> {
  const calls = await pspCalls(operation)
  expect(calls.length).toBeGreaterThan(0)
  expect(new Set(calls.map((c) => c.idempotency_key)).size).toBe(1)
  expect(calls[0].idempotency_key).toEqual(expect.any(String))
  expect(calls.filter(acted)).toHaveLength(1)
  return calls
}

medusaIntegrationTestRunner({
  inApp: true,
  // The webhook sync's retry waits 20 ms, 40 ms, … instead of 1 s, 2 s, … (README "Webhook sync"); the processes the
  // crash tests start inherit it.
  env: { ORCHESTRATOR_WEBHOOK_RETRY_DELAY_MS: "20" },
  testSuite: ({ api, getContainer, dbConfig }) => {
    let headers: Record<string, string>

    beforeEach(async () => {
      // Medusa's database is restored before each test; the sandbox forgets its state too, so its log is this test's.
      await control().reset()
      headers = await adminHeaders(getContainer(), api)
    })

    const call = (method: "get" | "post", url: string, body?: unknown, client: AxiosInstance = api) =>
      (method === "get" ? client.get(url, { headers }) : client.post(url, body, { headers })).catch(
        (e: { response?: AxiosResponse }) => {
          if (!e.response) {
            throw e
          }
          return e.response
        }
      )

    const txBase = (orderId: string) => `/admin/orders/${orderId}/transactions`

    async function ledger(orderId: string, client: AxiosInstance = api): Promise<TransactionView[]> {
      const res = await call("get", txBase(orderId), undefined, client)
      expect(res.status).toBe(200)
      return res.data.data
    }

    const ofType = (lines: TransactionView[], type: string) =>
      lines.filter((t) => t.transaction_type === type && t.status !== "failed").map((t) => t.amount)

    /** What Medusa holds: its rows (minor units), the provider's records in payment.data, and the ledger. */
    async function medusaState(order: AuthorizedOrder) {
      const payment = await orderPayment(getContainer(), order.orderId)
      const lines = await ledger(order.orderId)
      return {
        captures: payment.captures.map((c) => Math.round(c.amount * 100)),
        refunds: payment.refunds.map((r) => Math.round(r.amount * 100)),
        captured: payment.captured_at !== null,
        canceled: payment.canceled_at !== null,
        recorded_captures: payment.data.captures.map((c) => c.amount),
        recorded_refunds: payment.data.refunds.map((r) => r.amount),
        ledger_captures: ofType(lines, "capture"),
        ledger_refunds: ofType(lines, "refund"),
        capture_ids: payment.captures.map((c) => c.id),
        recorded_capture_ids: payment.data.captures.map((c) => c.medusa_capture_id),
      }
    }

    /** Captures the whole authorization through Medusa's route or the transactions route. */
    async function captureVia(
      route: "medusa" | "transactions",
      order: AuthorizedOrder,
      data?: Record<string, unknown>
    ): Promise<AxiosResponse> {
      if (route === "medusa") {
        return call("post", `/admin/payments/${order.payment.id}/capture`, {})
      }
      const auth = (await ledger(order.orderId)).find((t) => t.transaction_type === "authorize")!
      return call("post", `${txBase(order.orderId)}/${auth.id}/capture`, data ? { data } : {})
    }

    async function refundVia(route: "medusa" | "transactions", order: AuthorizedOrder, minor: number) {
      if (route === "medusa") {
        return call("post", `/admin/payments/${order.payment.id}/refund`, { amount: minor / 100 })
      }
      const capture = (await ledger(order.orderId)).find((t) => t.transaction_type === "capture")!
      return call("post", `${txBase(order.orderId)}/${capture.id}/refund`, { data: { amount: minor } })
    }

    async function cancel(order: AuthorizedOrder) {
      const auth = (await ledger(order.orderId)).find((t) => t.transaction_type === "authorize")!
      return call("post", `${txBase(order.orderId)}/${auth.id}/cancel`, {})
    }

    /** An unknown outcome answers clearly: a 502 in our shape, or Medusa's 500 with the provider's sentence. */
    function expectUnknownOutcome(res: AxiosResponse, route: "medusa" | "transactions") {
      if (route === "transactions") {
        expect(res.status).toBe(502)
        expect(res.data.errors).toEqual([
          expect.objectContaining({
            status: 502,
            title: "Payment gateway did not answer",
            detail: expect.stringMatching(/outcome at (Stripe|PayPal) is unknown/),
          }),
        ])
      } else {
        expect(res.status).toBe(500)
        expect(res.data.message).toMatch(/outcome at (Stripe|PayPal) is unknown/)
      }
    }

    /**
     * The PSP, Medusa's rows, the provider's record and the ledger agree on the payment: the same captures and refunds
     * everywhere, each Medusa row in the record and with its order transaction, `captured_at` once fully captured, no
     * attempt left open.
     */
    async function expectConverged(order: AuthorizedOrder, expected: { captures: number[]; refunds: number[] }) {
      expect(await pspState(order)).toMatchObject(expected)
      const medusa = await medusaState(order)
      expect(medusa).toMatchObject({
        captures: expected.captures,
        captured: true,
        refunds: expected.refunds,
        recorded_captures: expected.captures,
        recorded_refunds: expected.refunds,
        ledger_captures: expected.captures,
        ledger_refunds: expected.refunds,
      })
      expect(medusa.recorded_capture_ids).toEqual(medusa.capture_ids)
      const payment = await orderPayment(getContainer(), order.orderId)
      expect(new Set(payment.data.refunds.map((r) => r.medusa_refund_id))).toEqual(
        new Set(payment.refunds.map((r) => r.id))
      )
      expect(await openInstructions(getContainer(), payment)).toEqual([])
      const orders = getContainer().resolve<IOrderModuleService>(Modules.ORDER)
      const transactions = await orders.listOrderTransactions({ order_id: order.orderId } as never)
      expect(transactions.map((t) => t.reference_id).sort()).toEqual(
        [...payment.captures.map((c) => c.id), ...payment.refunds.map((r) => r.id)].sort()
      )
      await expectLedgerAgrees(getContainer(), await ledger(order.orderId), order.orderId)
    }

    describe.each([
      ["Stripe", STRIPE],
      ["PayPal", PAYPAL],
    ])("%s", (_name, provider) => {
      // Captures in parts (non-final): on Stripe that needs the multicapture card.
      const place = () =>
        placeAuthorizedOrder(
          api,
          getContainer(),
          sandbox.current,
          provider,
          provider === STRIPE ? { payment_method: STRIPE_MULTICAPTURE_CARD } : {}
        )

      describe("capture: a fault on one attempt is retried with the same idempotency key", () => {
        it.each<[string, "medusa" | "transactions", Omit<FaultRule, "method" | "path">]>([
          ["5xx after the PSP captured", "medusa", { kind: "status", status: 503, phase: "after" }],
          ["5xx before the PSP acted", "transactions", { kind: "status", status: 500, phase: "before" }],
          ["connection reset after the PSP captured", "transactions", { kind: "reset", phase: "after" }],
          [
            "no answer within the client timeout",
            "transactions",
            { kind: "timeout", phase: "after", delay_ms: PAST_CLIENT_TIMEOUT_MS },
          ],
          ["latency past the client timeout", "medusa", { kind: "latency", delay_ms: PAST_CLIENT_TIMEOUT_MS }],
        ])("%s (%s route): one capture at the PSP, one in Medusa", async (_case, route, rule) => {
          const order = await place()
          await control().addFault(fault("capture", { psp: order.authorizationId ? "paypal" : "stripe", ...rule }))

          const res = await captureVia(route, order)
          expect({ status: res.status, body: res.status === 200 ? null : res.data }).toEqual({
            status: 200,
            body: null,
          })

          const calls = await expectActedOnce("capture")
          expect(calls.length).toBeGreaterThanOrEqual(2)
          expect(calls[0].fault).toEqual(`${rule.kind}:${rule.kind === "latency" ? "before" : rule.phase}`)
          expect(await pspState(order)).toMatchObject({ captures: [7000] })
          const medusa = await medusaState(order)
          expect(medusa).toMatchObject({
            captures: [7000],
            captured: true,
            recorded_captures: [7000],
            ledger_captures: [7000],
          })
          expect(medusa.recorded_capture_ids).toEqual(medusa.capture_ids)
        })
      })

      describe.each<"medusa" | "transactions">(["medusa", "transactions"])(
        "capture through the %s route when every attempt fails after the PSP captured",
        (route) => {
          it("answers that the outcome is unknown; the retry records the PSP's capture once instead of capturing again", async () => {
            const order = await place()
            await control().addFault(fault("capture", { kind: "status", status: 500, phase: "after", count: 3 }))

            const lost = await captureVia(route, order)
            expectUnknownOutcome(lost, route)
            const calls = await expectActedOnce("capture")
            expect(calls).toHaveLength(3)
            expect(calls.map((c) => c.replayed)).toEqual([false, true, true])
            expect(await pspState(order)).toMatchObject({ captures: [7000] })
            // Medusa deleted its capture row when the provider failed: nothing is recorded, nothing half-recorded.
            expect(await medusaState(order)).toMatchObject({ captures: [], captured: false, recorded_captures: [] })

            const retried = await captureVia(route, order)
            expect({ status: retried.status, body: retried.status === 200 ? null : retried.data }).toEqual({
              status: 200,
              body: null,
            })
            // No new capture call reached the PSP: the provider read the payment and found the lost capture.
            expect(await pspCalls("capture")).toHaveLength(3)
            expect(await pspState(order)).toMatchObject({ captures: [7000] })
            const medusa = await medusaState(order)
            expect(medusa).toMatchObject({
              captures: [7000],
              captured: true,
              recorded_captures: [7000],
              ledger_captures: [7000],
            })
            expect(medusa.recorded_capture_ids).toEqual(medusa.capture_ids)
          })
        }
      )

      it("a lost partial capture: another amount is refused (nothing captured), the same amount is recorded once", async () => {
        const order = await place()
        await control().addFault(fault("capture", { kind: "reset", phase: "after", count: 3 }))
        const lost = await captureVia("transactions", order, { capture_amount: 2000, capture_type: "non-final" })
        expectUnknownOutcome(lost, "transactions")
        expect(await pspState(order)).toMatchObject({ captures: [2000] })

        const other = await captureVia("transactions", order, { capture_amount: 3000, capture_type: "non-final" })
        expect(other.status).toBe(400)
        expect(other.data.errors[0].detail).toMatch(
          /already captured \$20\.00 of this payment that Medusa has no record of.*capture exactly \$20\.00/
        )
        const viaMedusa = await call("post", `/admin/payments/${order.payment.id}/capture`, { amount: 30 })
        expect(viaMedusa.status).toBe(400)
        expect(await pspState(order)).toMatchObject({ captures: [2000] })
        expect(await medusaState(order)).toMatchObject({ captures: [], recorded_captures: [] })

        const same = await captureVia("transactions", order, { capture_amount: 2000, capture_type: "non-final" })
        expect(same.status).toBe(200)
        expect(same.data.data).toMatchObject({ transaction_type: "capture", amount: 2000 })
        const rest = await captureVia("transactions", order)
        expect(rest.status).toBe(200)
        expect(await pspState(order)).toMatchObject({ captures: [2000, 5000] })
        expect(await medusaState(order)).toMatchObject({
          captures: expect.arrayContaining([2000, 5000]),
          recorded_captures: [2000, 5000],
          ledger_captures: [2000, 5000],
          captured: true,
        })
      })

      describe("refund", () => {
        it.each<[string, "medusa" | "transactions", Omit<FaultRule, "method" | "path">]>([
          ["5xx after the PSP refunded", "transactions", { kind: "status", status: 502, phase: "after" }],
          ["connection reset after the PSP refunded", "medusa", { kind: "reset", phase: "after" }],
          ["latency past the client timeout", "transactions", { kind: "latency", delay_ms: PAST_CLIENT_TIMEOUT_MS }],
        ])("%s (%s route): one refund at the PSP, one in Medusa", async (_case, route, rule) => {
          const order = await place()
          expect((await captureVia("transactions", order)).status).toBe(200)
          await control().addFault(fault("refund", rule))

          const res = await refundVia(route, order, 2500)
          expect({ status: res.status, body: res.status === 200 ? null : res.data }).toEqual({
            status: 200,
            body: null,
          })
          await expectActedOnce("refund")
          expect(await pspState(order)).toMatchObject({ captures: [7000], refunds: [2500] })
          expect(await medusaState(order)).toMatchObject({
            refunds: [2500],
            recorded_refunds: [2500],
            ledger_refunds: [2500],
          })
        })

        it("every attempt fails after the PSP refunded: the outcome is unknown, the PSP refunded once, Medusa records nothing", async () => {
          const order = await place()
          expect((await captureVia("transactions", order)).status).toBe(200)
          await control().addFault(fault("refund", { kind: "status", status: 500, phase: "after", count: 3 }))

          const res = await refundVia("transactions", order, 2500)
          expectUnknownOutcome(res, "transactions")
          await expectActedOnce("refund")
          expect(await pspState(order)).toMatchObject({ refunds: [2500] })
          expect(await medusaState(order)).toMatchObject({ refunds: [], recorded_refunds: [], ledger_refunds: [] })
        })

        // Medusa's retry comes with a new refund id, hence a new idempotency key: the provider finds the refund the
        // plugin issued but never recorded and records it instead of refunding again; another amount is refused.
        it("the merchant's retry of a refund whose outcome was unknown records the PSP's refund once", async () => {
          const order = await place()
          expect((await captureVia("transactions", order)).status).toBe(200)
          await control().addFault(fault("refund", { kind: "status", status: 500, phase: "after", count: 3 }))
          expectUnknownOutcome(await refundVia("transactions", order, 2500), "transactions")

          const other = await refundVia("medusa", order, 1000)
          expect(other.status).toBe(400)
          expect(other.data.message).toMatch(/already refunded .*25\.00.* no record of/)
          expect(await pspState(order)).toMatchObject({ refunds: [2500] })

          const retry = await refundVia("transactions", order, 2500)
          expect(retry.status).toBe(200)
          expect(await pspState(order)).toMatchObject({ refunds: [2500] })
          expect(await medusaState(order)).toMatchObject({
            refunds: [2500],
            recorded_refunds: [2500],
            ledger_refunds: [2500],
          })
        })
      })

      describe("cancel", () => {
        it.each<[string, Omit<FaultRule, "method" | "path">]>([
          ["5xx after the PSP voided", { kind: "status", status: 500, phase: "after" }],
          ["connection reset after the PSP voided", { kind: "reset", phase: "after" }],
        ])("%s: voided once at the PSP, canceled once in Medusa", async (_case, rule) => {
          const order = await place()
          await control().addFault(fault("cancel", rule))
          const res = await cancel(order)
          expect(res.status).toBe(200)
          await expectActedOnce("cancel")
          expect((await pspState(order)).status).toBe(provider === STRIPE ? "canceled" : "VOIDED")
          expect(await medusaState(order)).toMatchObject({ canceled: true, captures: [] })
        })

        it("every attempt fails after the PSP voided: the outcome is unknown; the retry (same key) converges", async () => {
          const order = await place()
          await control().addFault(fault("cancel", { kind: "reset", phase: "after", count: 3 }))
          expectUnknownOutcome(await cancel(order), "transactions")
          expect((await pspState(order)).status).toBe(provider === STRIPE ? "canceled" : "VOIDED")
          expect(await medusaState(order)).toMatchObject({ canceled: false })

          const retried = await cancel(order)
          expect(retried.status).toBe(200)
          expect(retried.data.data).toMatchObject({ status: "canceled" })
          await expectActedOnce("cancel")
          expect((await pspState(order)).status).toBe(provider === STRIPE ? "canceled" : "VOIDED")
          expect(await medusaState(order)).toMatchObject({ canceled: true })
        })
      })
    })

    describe("reconciliation", () => {
      beforeEach(async () => {
        // No webhook reaches Medusa in these tests: what the PSP does is never announced.
        await control().configureWebhooks("stripe", { url: null, hold: false })
        await control().configureWebhooks("paypal", { url: null, hold: false })
      })

      const reconcile = (orderId: string, body: unknown = {}, client: AxiosInstance = api) =>
        call("post", `/admin/orders/${orderId}/reconcile`, body, client)

      async function dashboardRefund(order: AuthorizedOrder, minor: number): Promise<string> {
        if (order.authorizationId === null) {
          return (await control().stripe.dashboardRefund({ payment_intent: order.reference, amount: minor })).id
        }
        const payment = await orderPayment(getContainer(), order.orderId)
        return (await control().paypal.refundCapture(payment.data.captures[0].id, payPalValueFromMinor(minor, "usd")))
          .id
      }

      async function openDispute(order: AuthorizedOrder, minor: number): Promise<string> {
        if (order.authorizationId === null) {
          return (await control().stripe.openDispute({ payment_intent: order.reference, amount: minor })).id
        }
        const payment = await orderPayment(getContainer(), order.orderId)
        return (
          await control().paypal.openDispute({
            capture_id: payment.data.captures[0].id,
            amount: payPalValueFromMinor(minor, "usd"),
          })
        ).dispute_id
      }

      /** Everything of the order that a second pass must leave as it was. */
      async function snapshot(order: AuthorizedOrder) {
        const payment = await orderPayment(getContainer(), order.orderId)
        const module = getContainer().resolve<PaymentOrchestratorModuleService>(PAYMENT_ORCHESTRATOR_MODULE)
        const disputes = await module.listOrchestratorDisputes({ order_id: order.orderId })
        return { payment, disputes, ledger: await ledger(order.orderId) }
      }

      describe.each([
        ["Stripe", STRIPE],
        ["PayPal", PAYPAL],
      ])("%s", (_name, provider) => {
        it("records a refund and a dispute whose webhooks never came, through the webhook sync's paths; a second pass changes nothing", async () => {
          const order = await placeAuthorizedOrder(api, getContainer(), sandbox.current, provider)
          expect((await captureVia("medusa", order)).status).toBe(200)
          const refundId = await dashboardRefund(order, 1500)
          const disputeId = await openDispute(order, 2000)

          const first = await reconcile(order.orderId)
          expect(first.status).toBe(200)
          expect(first.data.data).toMatchObject({ checked: 1, discrepancies: [] })
          expect(first.data.data.repaired.map((r: { code: string }) => r.code)).toEqual(
            expect.arrayContaining(["missed_refunds_synced", "missed_dispute_synced"])
          )
          const payment = await orderPayment(getContainer(), order.orderId)
          expect(payment.refunds.map((r) => Math.round(r.amount * 100))).toEqual([1500])
          expect(payment.data.refunds).toEqual([
            expect.objectContaining({
              id: refundId,
              amount: 1500,
              source: "psp",
              medusa_refund_id: payment.refunds[0].id,
            }),
          ])
          expect(payment.data.open_disputes).toEqual([disputeId])
          const lines = await ledger(order.orderId)
          expect(ofType(lines, "refund")).toEqual([1500])
          await expectLedgerAgrees(getContainer(), lines, order.orderId)
          expect(await pspState(order)).toMatchObject({ captures: [7000], refunds: [1500] })

          const before = await snapshot(order)
          const second = await reconcile(order.orderId)
          expect(second.status).toBe(200)
          expect(second.data.data).toEqual({ checked: 1, repaired: [], discrepancies: [] })
          expect(await snapshot(order)).toEqual(before)
          expect((await pspCalls("refund")).filter(acted)).toHaveLength(0)
        })

        it("reports money the PSP moved that no Medusa record explains, and repairs nothing", async () => {
          const order = await placeAuthorizedOrder(api, getContainer(), sandbox.current, provider)
          // Every capture attempt fails after the PSP captured: Medusa deletes its capture row, the PSP keeps the money.
          await control().addFault(fault("capture", { kind: "status", status: 500, phase: "after", count: 3 }))
          expectUnknownOutcome(await captureVia("transactions", order), "transactions")
          await control().clearFaults()

          const before = await snapshot(order)
          for (let pass = 0; pass < 2; pass++) {
            const res = await reconcile(order.orderId)
            expect(res.status).toBe(200)
            expect(res.data.data).toEqual({
              checked: 1,
              repaired: [],
              discrepancies: [
                {
                  payment_id: order.payment.id,
                  code: "psp_captured_more",
                  detail: expect.stringMatching(
                    /captured \$70\.00 .* explain \$0\.00: \$70\.00 moved at (stripe|paypal) without a Medusa record\. Check the payment/
                  ),
                },
              ],
            })
          }
          expect(await snapshot(order)).toEqual(before)
          expect((await pspCalls("capture")).filter(acted)).toHaveLength(1)
        })
      })

      it("refuses bad input in the Elastic Path shape and changes nothing", async () => {
        const order = await placeAuthorizedOrder(api, getContainer(), sandbox.current, STRIPE)
        const unknownField = await reconcile(order.orderId, { data: { payment_id: order.payment.id, force: true } })
        expect(unknownField.status).toBe(400)
        expect(unknownField.data.errors).toEqual([
          expect.objectContaining({
            status: 400,
            title: "Invalid request",
            detail: expect.stringMatching(/force|Unrecognized/),
          }),
        ])
        const badId = await reconcile(order.orderId, { data: { payment_id: "nope" } })
        expect(badId.status).toBe(400)
        expect(badId.data.errors[0].detail).toMatch(/payment_id must be a Medusa payment id/)
        const otherPayment = await reconcile(order.orderId, { data: { payment_id: "pay_01NOTTHISONE" } })
        expect(otherPayment.status).toBe(404)
        const noOrder = await reconcile("order_nope")
        expect(noOrder.status).toBe(404)
        expect(noOrder.data.errors).toEqual([
          expect.objectContaining({ status: 404, detail: expect.stringMatching(/order_nope was not found/) }),
        ])
        const one = await reconcile(order.orderId, { data: { payment_id: order.payment.id } })
        expect(one.status).toBe(200)
        expect(one.data.data).toEqual({ checked: 1, repaired: [], discrepancies: [] })
        expect(
          (await control().requests({ method: "POST" })).filter((r) => /capture|refund|cancel|void/.test(r.path))
        ).toEqual([])
      })

      it("the scheduled job sweeps recent payments in batches and repairs what a lost webhook left; it runs only on its interval", async () => {
        const orders = [
          await placeAuthorizedOrder(api, getContainer(), sandbox.current, STRIPE),
          await placeAuthorizedOrder(api, getContainer(), sandbox.current, PAYPAL),
        ]
        for (const order of orders) {
          expect((await captureVia("medusa", order)).status).toBe(200)
        }
        const refundId = await dashboardRefund(orders[0], 1000)
        const onInterval = new Date(Math.floor(Date.now() / (15 * 60_000)) * 15 * 60_000)
        // The test store turns the sweep off (medusa-config.ts); the job is run here as a store that has it on would.
        const on = { enabled: true, batchSize: 1, paymentsPerSecond: 20 }
        expect(await reconcilePaymentsJob(getContainer())).toBeNull()
        expect(await runReconcileSweep(getContainer(), onInterval)).toBeNull()
        expect(await runReconcileSweep(getContainer(), new Date(onInterval.getTime() + 60_000), on)).toBeNull()

        const summary = await runReconcileSweep(getContainer(), onInterval, on)
        expect(summary).not.toBeNull()
        expect(summary!.failed).toEqual([])
        expect(summary!.checked).toBeGreaterThanOrEqual(2)
        expect(summary!.discrepancies).toEqual([])
        expect(summary!.repaired).toEqual([
          expect.objectContaining({ payment_id: orders[0].payment.id, code: "missed_refunds_synced" }),
        ])
        expect((await orderPayment(getContainer(), orders[0].orderId)).data.refunds).toEqual([
          expect.objectContaining({ id: refundId, amount: 1000 }),
        ])
        const again = await runReconcileSweep(getContainer(), onInterval, on)
        expect(again!.repaired).toEqual([])
      })

      it("a webhook claim stranded by a dead process is taken over by the next delivery once its lease ran out, and by the reconciler", async () => {
        const order = await placeAuthorizedOrder(api, getContainer(), sandbox.current, STRIPE)
        const db = getContainer().resolve<{
          raw: (sql: string, b?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>
        }>(ContainerRegistrationKeys.PG_CONNECTION)
        const claims = new WebhookClaims(db)
        const event = (id: string) => ({
          gateway: "stripe",
          event_id: id,
          event_type: "charge.refunded",
          object_id: null,
          payment_id: order.payment.id,
        })
        const expire = (id: string) =>
          db.raw(`UPDATE orchestrator_webhook_event SET lease_until = now() - interval '1 second' WHERE event_id = ?`, [
            id,
          ])

        const first = await claims.claim(event("evt_stranded_1"))
        expect(first).toMatchObject({ claimed: true, attempts: 1 })
        // Within the lease, any number of concurrent deliveries are duplicates.
        const dupes = await Promise.all([1, 2, 3].map(() => claims.claim(event("evt_stranded_1"))))
        expect(dupes.every((d) => !d.claimed)).toBe(true)
        // The lease ran out: of concurrent deliveries, exactly one takes it over.
        await expire("evt_stranded_1")
        const takeovers = await Promise.all([1, 2, 3].map(() => claims.claim(event("evt_stranded_1"))))
        expect(takeovers.filter((t) => t.claimed)).toEqual([{ id: first.id, claimed: true, attempts: 2 }])
        await claims.finish(first.id, "done")
        await expire("evt_stranded_1")
        expect((await claims.claim(event("evt_stranded_1"))).claimed).toBe(false)

        // The reconciler takes over the payment's claims whose lease ran out, and only those.
        await claims.claim(event("evt_stranded_2"))
        await claims.claim(event("evt_live_3"))
        await expire("evt_stranded_2")
        const res = await reconcile(order.orderId)
        expect(res.status).toBe(200)
        expect(res.data.data.repaired).toEqual([
          expect.objectContaining({
            code: "stranded_webhook_claims_taken_over",
            detail: expect.stringContaining("evt_stranded_2"),
          }),
        ])
        const { rows } = await db.raw(
          `SELECT event_id, state, attempts FROM orchestrator_webhook_event WHERE payment_id = ? ORDER BY event_id`,
          [order.payment.id]
        )
        expect(rows).toEqual([
          { event_id: "evt_live_3", state: "processing", attempts: 1 },
          { event_id: "evt_stranded_1", state: "done", attempts: 2 },
          { event_id: "evt_stranded_2", state: "done", attempts: 2 },
        ])
        expect((await reconcile(order.orderId)).data.data.repaired).toEqual([])
      })
    })

    describe("crash window: Medusa is killed after the PSP captured, before it recorded the capture", () => {
      let server: { child: ChildProcess; url: string; log: string } | undefined

      afterEach(() => {
        killServer(server)
        server = undefined
      })

      it("after a restart, the retries and the PSP's webhooks change nothing; one reconcile pass converges and the repaired capture can be refunded", async () => {
        const stripeOrder = await placeAuthorizedOrder(api, getContainer(), sandbox.current, STRIPE)
        const paypalOrder = await placeAuthorizedOrder(api, getContainer(), sandbox.current, PAYPAL)

        server = await startServer(dbConfig.clientUrl, "first")
        const first = axios.create({ baseURL: server.url })
        // The PSPs' webhooks wait (held) until the restarted process can take them.
        await control().configureWebhooks("stripe", { url: `${server.url}/hooks/payment/stripe_stripe`, hold: true })
        await control().configureWebhooks("paypal", { url: `${server.url}/hooks/payment/paypal_paypal`, hold: true })
        // Each PSP captures, then keeps the connection open without answering: the capture is in flight in Medusa.
        await control().addFault(
          fault("capture", { psp: "stripe", kind: "timeout", phase: "after", delay_ms: 120_000 })
        )
        await control().addFault(
          fault("capture", { psp: "paypal", kind: "timeout", phase: "after", delay_ms: 120_000 })
        )

        const paypalInFlight = call("post", `/admin/payments/${paypalOrder.payment.id}/capture`, {}, first).catch(
          (e: Error) => e
        )
        await waitUntil(async () => (await pspState(paypalOrder)).captures.length === 1, "PayPal's capture")
        const stripeAuth = (await ledger(stripeOrder.orderId, first)).find((t) => t.transaction_type === "authorize")!
        const stripeInFlight = call("post", `${txBase(stripeOrder.orderId)}/${stripeAuth.id}/capture`, {}, first).catch(
          (e: Error) => e
        )
        await waitUntil(async () => (await pspState(stripeOrder)).captures.length === 1, "Stripe's capture")
        expect(await pspState(stripeOrder)).toMatchObject({ captures: [7000] })
        expect(await pspState(paypalOrder)).toMatchObject({ captures: [7000] })

        // kill -9 while both captures are in flight (the PSPs hold their answers): neither request gets an answer.
        killServer(server)
        for (const outcome of await Promise.all([paypalInFlight, stripeInFlight])) {
          expect(outcome).toBeInstanceOf(Error)
        }
        const killedLog = server.log
        server = await startServer(dbConfig.clientUrl, "restarted", killedLog)
        const restarted = axios.create({ baseURL: server.url })
        await control().clearFaults()

        for (const order of [stripeOrder, paypalOrder]) {
          // What the crash left: Medusa wrote its capture row before calling the PSP, so the capture is recorded
          // once; what the PSP answered (its capture id) never reached the payment's data.
          const after = await medusaState(order)
          expect(after).toMatchObject({
            captures: [7000],
            captured: false,
            recorded_captures: [],
            ledger_captures: [7000],
          })

          // (a) The merchant retries the same capture: refused, nothing is left to capture; the PSP is not called.
          const again = await call("post", `/admin/payments/${order.payment.id}/capture`, {}, restarted)
          expect(again.status).toBe(400)
          expect(again.data.message).toMatch(/cannot capture more than the authorized amount/)
          const auth = (await ledger(order.orderId, restarted)).find((t) => t.transaction_type === "authorize")!
          const viaTransactions = await call("post", `${txBase(order.orderId)}/${auth.id}/capture`, {}, restarted)
          expect(viaTransactions.status).toBe(400)
          expect(viaTransactions.data.errors[0].detail).toMatch(/nothing is left to capture/)
        }
        expect((await pspCalls("capture")).filter(acted)).toHaveLength(2)

        // (b) The PSPs' webhooks about the captures reach the restarted process, twice each.
        await control().configureWebhooks("stripe", { url: `${server.url}/hooks/payment/stripe_stripe` })
        await control().configureWebhooks("paypal", { url: `${server.url}/hooks/payment/paypal_paypal` })
        const deliveries = await control().releaseWebhooks({ duplicates: 1 })
        expect(deliveries.length).toBeGreaterThan(0)
        expect(deliveries.every((d) => d.status === 200)).toBe(true)
        await waitForWebhookHandling(server, deliveries.length)

        for (const order of [stripeOrder, paypalOrder]) {
          expect(await pspState(order)).toMatchObject({ captures: [7000] })
          expect(await medusaState(order)).toMatchObject({ captures: [7000], ledger_captures: [7000] })
        }
        expect((await pspCalls("capture")).filter(acted)).toHaveLength(2)

        // (c) One reconcile pass: the crash leftover becomes a complete capture (record, captured_at, instruction
        // done, order transaction, ledger), without a PSP call that moves money.
        for (const order of [stripeOrder, paypalOrder]) {
          const res = await call("post", `/admin/orders/${order.orderId}/reconcile`, {}, restarted)
          expect(res.status).toBe(200)
          expect(res.data.data).toMatchObject({ checked: 1, discrepancies: [] })
          expect(res.data.data.repaired).toEqual(
            expect.arrayContaining([expect.objectContaining({ code: "crash_capture_recorded" })])
          )
          await expectConverged(order, { captures: [7000], refunds: [] })
          const again = await call("post", `/admin/orders/${order.orderId}/reconcile`, {}, restarted)
          expect(again.data.data).toEqual({ checked: 1, repaired: [], discrepancies: [] })
        }
        expect((await pspCalls("capture")).filter(acted)).toHaveLength(2)

        // (d) The repaired capture can be refunded, once, through the transactions route and Medusa's.
        for (const [order, route] of [
          [stripeOrder, "transactions"],
          [paypalOrder, "medusa"],
        ] as const) {
          const refunded =
            route === "transactions"
              ? await call(
                  "post",
                  `${txBase(order.orderId)}/${(await ledger(order.orderId, restarted)).find((t) => t.transaction_type === "capture")!.id}/refund`,
                  { data: { amount: 2500 } },
                  restarted
                )
              : await call("post", `/admin/payments/${order.payment.id}/refund`, { amount: 25 }, restarted)
          expect({ status: refunded.status, body: refunded.status === 200 ? null : refunded.data }).toEqual({
            status: 200,
            body: null,
          })
          await expectConverged(order, { captures: [7000], refunds: [2500] })
        }
        expect((await pspCalls("refund")).filter(acted)).toHaveLength(2)
      })

      it("killed after the PSP refunded, after it voided, and after a webhook claim: one reconcile pass converges, nothing moves twice", async () => {
        const container = getContainer()
        const db = container.resolve<{
          raw: (sql: string, b?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>
        }>(ContainerRegistrationKeys.PG_CONNECTION)
        const refunding = {
          stripe: await placeAuthorizedOrder(api, container, sandbox.current, STRIPE),
          paypal: await placeAuthorizedOrder(api, container, sandbox.current, PAYPAL),
        }
        const voiding = {
          stripe: await placeAuthorizedOrder(api, container, sandbox.current, STRIPE),
          paypal: await placeAuthorizedOrder(api, container, sandbox.current, PAYPAL),
        }
        const announced = await placeAuthorizedOrder(api, container, sandbox.current, STRIPE)
        for (const order of [refunding.stripe, refunding.paypal, announced]) {
          expect((await captureVia("transactions", order)).status).toBe(200)
        }
        await control().configureWebhooks("stripe", { url: null, hold: false })
        await control().configureWebhooks("paypal", { url: null, hold: false })

        server = await startServer(dbConfig.clientUrl, "refund-void-claim")
        const first = axios.create({ baseURL: server.url })
        const ids = {
          capture: {} as Record<string, string>,
          auth: {} as Record<string, string>,
        }
        for (const order of [refunding.stripe, refunding.paypal]) {
          ids.capture[order.orderId] = (await ledger(order.orderId, first)).find(
            (t) => t.transaction_type === "capture"
          )!.id
        }
        for (const order of [voiding.stripe, voiding.paypal]) {
          ids.auth[order.orderId] = (await ledger(order.orderId, first)).find(
            (t) => t.transaction_type === "authorize"
          )!.id
        }
        // Each PSP refunds or voids, then holds its answer past every retry of the client (3 attempts).
        for (const psp of ["stripe", "paypal"] as const) {
          for (const operation of ["refund", "cancel"] as const) {
            await control().addFault(
              fault(operation, { psp, kind: "timeout", phase: "after", delay_ms: 120_000, count: 3 })
            )
          }
        }
        // A refund made in Stripe's dashboard is announced to the doomed process, whose sync claims the event and
        // then waits on its read of the payment's refunds (held by the PSP): killed after the claim, before its effect.
        await control().addFault({
          psp: "stripe",
          method: "GET",
          path: "/\\/v1\\/refunds$/",
          kind: "latency",
          delay_ms: 120_000,
          count: 20,
        })
        await control().configureWebhooks("stripe", { url: `${server.url}/hooks/payment/stripe_stripe` })
        const dashboardRefund = await control().stripe.dashboardRefund({
          payment_intent: announced.reference,
          amount: 1500,
        })
        const inFlight: Promise<unknown>[] = [
          ...[refunding.stripe, refunding.paypal].map((order) =>
            call(
              "post",
              `${txBase(order.orderId)}/${ids.capture[order.orderId]}/refund`,
              { data: { amount: 2500 } },
              first
            ).catch((e: Error) => e)
          ),
          ...[voiding.stripe, voiding.paypal].map((order) =>
            call("post", `${txBase(order.orderId)}/${ids.auth[order.orderId]}/cancel`, {}, first).catch((e: Error) => e)
          ),
        ]
        await Promise.all([
          ...[refunding.stripe, refunding.paypal].map((order) =>
            waitUntil(async () => (await pspState(order)).refunds.length === 1, "the PSP's refund")
          ),
          ...[voiding.stripe, voiding.paypal].map((order) =>
            waitUntil(async () => ["canceled", "VOIDED"].includes((await pspState(order)).status), "the PSP's void")
          ),
          waitUntil(async () => {
            const { rows } = await db.raw(
              `SELECT state FROM orchestrator_webhook_event WHERE payment_id = ? AND state = 'processing'`,
              [announced.payment.id]
            )
            return rows.length > 0
          }, "the webhook claim"),
        ])

        killServer(server)
        await Promise.all(inFlight)
        await control().configureWebhooks("stripe", { url: null, hold: false })
        await control().clearFaults()
        server = await startServer(dbConfig.clientUrl, "refund-void-claim-restarted", server.log)
        const restarted = axios.create({ baseURL: server.url })

        // What the crash left: Medusa's refund rows without the PSP's answer, payments voided at the PSP and not in
        // Medusa, a refund at the PSP whose event was claimed and never processed.
        for (const order of [refunding.stripe, refunding.paypal]) {
          expect(await medusaState(order)).toMatchObject({ refunds: [2500], recorded_refunds: [] })
        }
        for (const order of [voiding.stripe, voiding.paypal]) {
          expect(await medusaState(order)).toMatchObject({ canceled: false })
        }
        expect(await medusaState(announced)).toMatchObject({ refunds: [], recorded_refunds: [] })
        // The claim's lease runs out (5 minutes; moved into the past instead of waiting).
        await db.raw(
          `UPDATE orchestrator_webhook_event SET lease_until = now() - interval '1 second' WHERE state = 'processing'`
        )

        const expectedCodes: [AuthorizedOrder, string][] = [
          [refunding.stripe, "crash_refund_recorded"],
          [refunding.paypal, "crash_refund_recorded"],
          [voiding.stripe, "psp_void_recorded"],
          [voiding.paypal, "psp_void_recorded"],
          [announced, "missed_refunds_synced"],
          [announced, "stranded_webhook_claims_taken_over"],
        ]
        for (const order of [refunding.stripe, refunding.paypal, voiding.stripe, voiding.paypal, announced]) {
          const res = await call("post", `/admin/orders/${order.orderId}/reconcile`, {}, restarted)
          expect(res.status).toBe(200)
          expect(res.data.data).toMatchObject({ checked: 1, discrepancies: [] })
          const codes = res.data.data.repaired.map((r: { code: string }) => r.code)
          for (const [o, code] of expectedCodes.filter(([o]) => o === order)) {
            expect({ order: o.orderId, codes }).toEqual({ order: o.orderId, codes: expect.arrayContaining([code]) })
          }
        }

        for (const order of [refunding.stripe, refunding.paypal]) {
          await expectConverged(order, { captures: [7000], refunds: [2500] })
        }
        for (const order of [voiding.stripe, voiding.paypal]) {
          expect((await pspState(order)).status).toBe(order === voiding.stripe ? "canceled" : "VOIDED")
          const state = await medusaState(order)
          expect(state).toMatchObject({ canceled: true, captures: [], recorded_captures: [] })
          expect((await orderPayment(container, order.orderId)).data.status).toBe("canceled")
          expect((await ledger(order.orderId)).find((t) => t.transaction_type === "authorize")).toMatchObject({
            status: "canceled",
          })
        }
        await expectConverged(announced, { captures: [7000], refunds: [1500] })
        expect((await orderPayment(container, announced.orderId)).data.refunds).toEqual([
          expect.objectContaining({ id: dashboardRefund.id, source: "psp" }),
        ])
        const { rows: claims } = await db.raw(`SELECT state FROM orchestrator_webhook_event WHERE payment_id = ?`, [
          announced.payment.id,
        ])
        expect(claims.length).toBeGreaterThan(0)
        expect(claims.every((c) => c.state === "done")).toBe(true)

        // Nothing moved twice, and a second pass changes nothing.
        expect((await pspCalls("refund")).filter(acted)).toHaveLength(2)
        expect((await pspCalls("cancel")).filter(acted)).toHaveLength(2)
        for (const order of [refunding.stripe, refunding.paypal, voiding.stripe, voiding.paypal, announced]) {
          const again = await call("post", `/admin/orders/${order.orderId}/reconcile`, {}, restarted)
          expect(again.data.data).toEqual({ checked: 1, repaired: [], discrepancies: [] })
        }
      })
    })
  },
})

/** Polls until `check` holds (bounded); the crash window needs the PSP to have acted before the kill. */
async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`Gave up waiting for ${what}.`)
}

const root = path.resolve(__dirname, "..", "..")
const logDir = path.join(root, ".tmp", "reliability")

/**
 * Starts this repository's store (medusa-config.ts) as its own Medusa process (`medusa start`, in its own process
 * group) against the test runner's database and the sandbox, and waits for /health.
 */
async function startServer(
  databaseUrl: string,
  name: string,
  previousLog?: string
): Promise<{ child: ChildProcess; url: string; log: string }> {
  fs.mkdirSync(logDir, { recursive: true })
  const port = await freePort()
  const log = path.join(logDir, `crash-window-${name}.log`)
  fs.writeFileSync(log, previousLog ? `(previous process: ${previousLog})\n` : "")
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const key of ["NODE_OPTIONS", "JEST_WORKER_ID", "TEST_TYPE", "TEST_DB_SLOT"]) {
    delete env[key]
  }
  const fd = fs.openSync(log, "a")
  const child = spawn(path.join(root, "node_modules", ".bin", "medusa"), ["start"], {
    cwd: root,
    env: {
      ...env,
      NODE_ENV: "development",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      PSP_SANDBOX_URL: sandbox.current.url,
      MEDUSA_ADMIN_DISABLED: "true",
      MEDUSA_DISABLE_TELEMETRY: "true",
    },
    stdio: ["ignore", fd, fd],
    detached: true,
  })
  fs.closeSync(fd)
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Medusa exited before answering /health; see ${log}`)
    }
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false
    )
    if (ok) {
      return { child, url, log }
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  killServer({ child })
  throw new Error(`Medusa did not answer /health; see ${log}`)
}

/** kill -9 of the server's process group. */
function killServer(server: { child: ChildProcess } | undefined): void {
  if (!server?.child.pid) {
    return
  }
  try {
    process.kill(-server.child.pid, "SIGKILL")
  } catch {
    // already gone
  }
}

/** Waits until the server logged that Medusa's webhook handler ran for every delivery (its fixed 5 s delay). */
async function waitForWebhookHandling(server: { log: string }, deliveries: number): Promise<void> {
  await waitUntil(async () => {
    const text = fs.readFileSync(server.log, "utf8")
    return (text.match(/payment\.webhook_received/g) ?? []).length >= deliveries
  }, "Medusa's webhook handler")
  // The log line comes as the handlers start; give them a moment to finish (they only read and verify).
  await new Promise((resolve) => setTimeout(resolve, 3_000))
}

async function freePort(): Promise<number> {
  const net = await import("node:net")
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.on("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}
