/**
 * The Elastic Path-shaped transaction API (`/admin/orders/:id/transactions…`) on a real Medusa app, for Stripe and
 * PayPal against the sandbox. Every test checks the HTTP body, Medusa's payment rows and the PSP's state, and that the
 * ledger agrees with Medusa's totals.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { AxiosResponse } from "axios"
import { ledgerTransactionId } from "../../src/ledger/ledger-ids"
import type { TransactionView } from "../../src/ledger/transaction-view"
import { adminHeaders } from "../utils/admin"
import { expectLedgerAgrees as expectLedgerMatches } from "../utils/ledger"
import {
  orderPayment,
  PAYPAL,
  placeAuthorizedOrder,
  STRIPE,
  STRIPE_MULTICAPTURE_CARD,
  type AuthorizedOrder,
} from "../utils/orders"
import { useSandbox } from "../utils/sandbox"

jest.setTimeout(180_000)

const sandbox = useSandbox()

/** What the PSP holds for a payment, the same shape for both PSPs (amounts in minor units). */
interface PspView {
  status: string
  captures: { amount: number; final: boolean; descriptor: string | null; reference: string | null }[]
  refunded: number
}

async function pspView(order: AuthorizedOrder): Promise<PspView> {
  if (order.authorizationId) {
    const auth = await sandbox.current.control.paypal.getAuthorization(order.authorizationId)
    return {
      status: auth.status,
      captures: auth.captures.map((c) => ({
        amount: Math.round(Number(c.amount.value) * 100),
        final: c.final_capture,
        descriptor: c.soft_descriptor,
        reference: c.invoice_id ?? null,
      })),
      refunded: auth.captures
        .flatMap((c) => c.refunds)
        .reduce((sum, r) => sum + Math.round(Number(r.amount.value) * 100), 0),
    }
  }
  const pi = await sandbox.current.control.stripe.inspectPaymentIntent(order.reference)
  return {
    status: pi.payment_intent.status,
    captures: pi.captures.map((c) => ({
      amount: c.amount,
      final: c.final,
      descriptor: c.statement_descriptor_suffix,
      reference: c.metadata.custom_reference ?? null,
    })),
    refunded: pi.refunds.filter((r) => r.status !== "failed").reduce((sum, r) => sum + r.amount, 0),
  }
}

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let headers: Record<string, string>

    beforeEach(async () => {
      headers = await adminHeaders(getContainer(), api)
    })

    const call = (method: "get" | "post", path: string, body?: unknown, auth = true): Promise<AxiosResponse> =>
      (method === "get"
        ? api.get(path, { headers: auth ? headers : {} })
        : api.post(path, body, { headers: auth ? headers : {} })
      ).catch((e: { response: AxiosResponse }) => e.response)

    const base = (orderId: string) => `/admin/orders/${orderId}/transactions`

    async function transactions(orderId: string): Promise<TransactionView[]> {
      const res = await call("get", base(orderId))
      expect(res.status).toBe(200)
      return res.data.data
    }

    async function authorization(orderId: string): Promise<TransactionView> {
      return (await transactions(orderId)).find((t) => t.transaction_type === "authorize")!
    }

    const capture = (orderId: string, txId: string, data?: Record<string, unknown>) =>
      call("post", `${base(orderId)}/${txId}/capture`, data === undefined ? undefined : { data })
    const refund = (orderId: string, txId: string, body?: unknown) =>
      call("post", `${base(orderId)}/${txId}/refund`, body)
    const cancel = (orderId: string, txId: string) => call("post", `${base(orderId)}/${txId}/cancel`, {})

    /** The ledger and Medusa's rows agree: captured and refunded totals, one ledger line per Medusa record. */
    async function expectLedgerAgrees(container: MedusaContainer, orderId: string): Promise<void> {
      await expectLedgerMatches(container, await transactions(orderId), orderId)
    }

    describe.each([
      ["Stripe", STRIPE],
      ["PayPal", PAYPAL],
    ])("%s", (_name, provider) => {
      // Several tests capture in parts (non-final): on Stripe that needs the multicapture card.
      const place = (options: Parameters<typeof placeAuthorizedOrder>[4] = {}) =>
        placeAuthorizedOrder(api, getContainer(), sandbox.current, provider, {
          ...(provider === STRIPE ? { payment_method: STRIPE_MULTICAPTURE_CARD } : {}),
          ...options,
        })

      it("lists the authorization in Elastic Path's shape, with ProcessOut's detailed status and next actions", async () => {
        const order = await place({ session_data: { custom_reference: "auth-ref-1" } })
        const [tx] = await transactions(order.orderId)
        expect(tx).toMatchObject({
          type: "transaction",
          transaction_type: "authorize",
          gateway: provider === STRIPE ? "stripe" : "paypal",
          reference: order.authorizationId ?? order.reference,
          custom_reference: "auth-ref-1",
          amount: 7000,
          refunded_amount: 0,
          currency: "USD",
          status: "complete",
          payment_details: { detailed_status: "authorized" },
          next_actions: ["capture", "cancel"],
          capturable_amount: 7000,
          relationships: { order: { data: { type: "order", id: order.orderId } } },
          meta: {
            display_price: { amount: 7000, currency: "USD", formatted: "$70.00" },
            display_refunded_amount: { total: { amount: 0, currency: "USD", formatted: "$0.00" } },
          },
        })
        expect(tx.id).toMatch(/^potx_/)
        expect(tx.expires_at).toEqual(expect.any(String))
        const one = await call("get", `${base(order.orderId)}/${tx.id}`)
        expect(one.status).toBe(200)
        expect(one.data.data).toEqual(tx)
      })

      it("captures in three parts: custom_reference overwritten, persisted, cleared; non-final then final; descriptor at the PSP", async () => {
        const order = await place({ session_data: { custom_reference: "auth-ref" } })
        const auth = await authorization(order.orderId)

        const first = await capture(order.orderId, auth.id, {
          capture_amount: 2000,
          capture_type: "non-final",
          custom_reference: "cap-ref",
          capture_statement_descriptor: "ORDER 1001",
        })
        expect(first.status).toBe(200)
        expect(first.data.data).toMatchObject({
          transaction_type: "capture",
          amount: 2000,
          custom_reference: "cap-ref",
          capture_mechanism: "automatic",
          status: "complete",
          payment_details: { detailed_status: "completed" },
          next_actions: ["refund"],
          statement_descriptor: "ORDER 1001",
          relationships: { parent: { data: { type: "transaction", id: auth.id } } },
        })

        const second = await capture(order.orderId, auth.id, { capture_amount: 1000, capture_type: "non-final" })
        expect(second.status).toBe(200)
        expect(second.data.data).toMatchObject({ amount: 1000, custom_reference: "cap-ref" })

        const last = await capture(order.orderId, auth.id, { custom_reference: "" })
        expect(last.status).toBe(200)
        expect(last.data.data).toMatchObject({ amount: 4000, custom_reference: null })

        const psp = await pspView(order)
        expect(psp.captures.map((c) => c.amount)).toEqual([2000, 1000, 4000])
        expect(psp.captures.map((c) => c.final)).toEqual([false, false, true])
        expect(psp.captures[0].descriptor).toBe("ORDER 1001")
        expect(psp.captures[0].reference).toMatch(/^cap-ref/)
        expect(psp.captures[1].reference).toMatch(/^cap-ref/)
        // Stripe's metadata is cleared: neither the capture's old reference nor the authorization's ("auth-ref") is
        // sent. PayPal has no empty invoice_id, so the cleared reference is not sent and PayPal shows the invoice_id
        // the authorization carries (a capture without one inherits it), whatever the plugin sent.
        expect(psp.captures[2].reference).toBe(provider === STRIPE ? null : "auth-ref")

        // Persisted: a fresh read of the ledger shows what each capture answered.
        const listed = await transactions(order.orderId)
        const reread = (id: string) => listed.find((t) => t.id === id)
        expect(reread(first.data.data.id)).toMatchObject({
          amount: 2000,
          custom_reference: "cap-ref",
          statement_descriptor: "ORDER 1001",
        })
        expect(reread(second.data.data.id)).toMatchObject({ amount: 1000, custom_reference: "cap-ref" })
        expect(reread(last.data.data.id)).toMatchObject({ amount: 4000, custom_reference: null })
        const one = await call("get", `${base(order.orderId)}/${last.data.data.id}`)
        expect(one.status).toBe(200)
        expect(one.data.data).toMatchObject({ amount: 4000, custom_reference: null })

        const payment = await orderPayment(getContainer(), order.orderId)
        expect(payment.captures.map((c) => c.amount).sort()).toEqual([10, 20, 40])
        expect(payment.captured_at).not.toBeNull()
        expect(await authorization(order.orderId)).toMatchObject({
          payment_details: { detailed_status: "completed" },
          capturable_amount: 0,
          next_actions: [],
        })
        await expectLedgerAgrees(getContainer(), order.orderId)
      })

      it("a final partial capture releases the rest of the authorization", async () => {
        const order = await place()
        const auth = await authorization(order.orderId)
        const res = await capture(order.orderId, auth.id, { capture_amount: 2500 })
        expect(res.status).toBe(200)
        const psp = await pspView(order)
        expect(psp.captures).toEqual([expect.objectContaining({ amount: 2500, final: true })])
        expect(await authorization(order.orderId)).toMatchObject({ capturable_amount: 0, next_actions: [] })
        const again = await capture(order.orderId, auth.id, { capture_amount: 100 })
        expect(again.status).toBe(400)
        expect(again.data.errors[0].detail).toMatch(/nothing is left to capture/)
        await expectLedgerAgrees(getContainer(), order.orderId)
      })

      it("captures the chosen line items (invoice_detail_ids), one line of several, then another", async () => {
        // Two lines: 2 × M (120.00) and 1 × L (60.00), plus 10.00 shipping.
        const order = await place({
          items: [
            { size: "M", quantity: 2 },
            { size: "L", quantity: 1 },
          ],
        })
        const container = getContainer()
        const { data } = await container.resolve("query").graph({
          entity: "order",
          fields: ["items.id", "items.variant_sku"],
          filters: { id: order.orderId },
        })
        const items = (data[0] as { items: { id: string; variant_sku: string }[] }).items
        expect(items).toHaveLength(2)
        const lineOf = (size: string) => items.find((i) => i.variant_sku === `ORCH-TSHIRT-${size}`)!.id
        const auth = await authorization(order.orderId)
        expect(auth).toMatchObject({ amount: 19000, capturable_amount: 19000 })

        const res = await capture(order.orderId, auth.id, {
          invoice_detail_ids: [lineOf("M")],
          capture_type: "non-final",
        })
        expect({ status: res.status, errors: res.data.errors }).toEqual({ status: 200 })
        expect(res.data.data).toMatchObject({ amount: 12000, invoice_detail_ids: [lineOf("M")] })
        expect((await pspView(order)).captures.map((c) => c.amount)).toEqual([12000])
        expect(await authorization(order.orderId)).toMatchObject({ capturable_amount: 7000 })

        const other = await capture(order.orderId, auth.id, {
          invoice_detail_ids: [lineOf("L")],
          capture_type: "non-final",
        })
        expect({ status: other.status, errors: other.data.errors }).toEqual({ status: 200 })
        expect(other.data.data).toMatchObject({ amount: 6000, invoice_detail_ids: [lineOf("L")] })
        expect((await pspView(order)).captures.map((c) => c.amount)).toEqual([12000, 6000])
        expect(await authorization(order.orderId)).toMatchObject({ capturable_amount: 1000 })
        expect(
          (await orderPayment(container, order.orderId)).captures.map((c) => c.amount).sort((a, b) => a - b)
        ).toEqual([60, 120])

        const unknown = await capture(order.orderId, auth.id, { invoice_detail_ids: ["ordli_nope"] })
        expect(unknown.status).toBe(400)
        expect(unknown.data.errors[0].detail).toMatch(/ordli_nope is not a line item/)
        await expectLedgerAgrees(container, order.orderId)
      })

      it("manual capture: nothing at the PSP, automatic refund refused, mark as refunded works", async () => {
        const order = await place()
        const auth = await authorization(order.orderId)
        const captured = await capture(order.orderId, auth.id, { capture_mechanism: "manual" })
        expect(captured.status).toBe(200)
        expect(captured.data.data).toMatchObject({
          transaction_type: "capture",
          capture_mechanism: "manual",
          amount: 7000,
          status: "complete",
        })
        expect((await pspView(order)).captures).toEqual([])
        const payment = await orderPayment(getContainer(), order.orderId)
        expect(payment.captured_at).not.toBeNull()

        const refused = await refund(order.orderId, captured.data.data.id, { data: { amount: 1000 } })
        expect(refused.status).toBe(400)
        expect(refused.data.errors[0]).toMatchObject({
          status: 400,
          title: "Error while refunding",
          detail: expect.stringMatching(/^Unable to automatically refund a manually captured transaction/),
        })
        expect((await orderPayment(getContainer(), order.orderId)).refunds).toEqual([])

        const viaMedusa = await call("post", `/admin/payments/${order.payment.id}/refund`, { amount: 10 })
        expect(viaMedusa.status).toBeGreaterThanOrEqual(400)
        expect(JSON.stringify(viaMedusa.data)).toMatch(/manually captured/)

        const marked = await refund(order.orderId, captured.data.data.id)
        expect(marked.status).toBe(200)
        expect(marked.data.data).toMatchObject({
          transaction_type: "refund",
          refund_mechanism: "manual",
          amount: 7000,
          status: "complete",
        })
        expect((await pspView(order)).refunded).toBe(0)
        const after = await orderPayment(getContainer(), order.orderId)
        expect(after.refunds.map((r) => r.amount)).toEqual([70])
        const capturedTx = (await transactions(order.orderId)).find((t) => t.transaction_type === "capture")!
        expect(capturedTx).toMatchObject({ refunded_amount: 7000, payment_details: { detailed_status: "refunded" } })
        await expectLedgerAgrees(getContainer(), order.orderId)
      })

      it("refunds a capture automatically, partly then the rest, at the PSP and in Medusa", async () => {
        const order = await place()
        const auth = await authorization(order.orderId)
        const captured = (await capture(order.orderId, auth.id)).data.data as TransactionView
        const partial = await refund(order.orderId, captured.id, { data: { amount: 1500 } })
        expect(partial.status).toBe(200)
        expect(partial.data.data).toMatchObject({
          transaction_type: "refund",
          refund_mechanism: "automatic",
          amount: 1500,
          relationships: { parent: { data: { id: captured.id } } },
        })
        expect(partial.data.data.reference).toBeTruthy()
        const afterPartial = (await transactions(order.orderId)).find((t) => t.id === captured.id)!
        expect(afterPartial).toMatchObject({
          refunded_amount: 1500,
          refundable_amount: 5500,
          payment_details: { detailed_status: "partially-refunded" },
        })
        const tooMuch = await refund(order.orderId, captured.id, { data: { amount: 5600 } })
        expect(tooMuch.status).toBe(400)
        expect(tooMuch.data.errors[0].detail).toMatch(/only \$55\.00 of this capture is left to refund/)
        const rest = await refund(order.orderId, captured.id, { data: { amount: 5500 } })
        expect(rest.status).toBe(200)
        expect((await pspView(order)).refunded).toBe(7000)
        const payment = await orderPayment(getContainer(), order.orderId)
        expect(payment.refunds.map((r) => r.amount).sort()).toEqual([15, 55])
        expect((await transactions(order.orderId)).find((t) => t.id === captured.id)).toMatchObject({
          payment_details: { detailed_status: "refunded" },
          next_actions: [],
        })
        await expectLedgerAgrees(getContainer(), order.orderId)
      })

      it("captures and refunds made through Medusa's own admin routes appear in the ledger", async () => {
        const order = await place({ session_data: { custom_reference: "from-storefront" } })
        const captured = await call("post", `/admin/payments/${order.payment.id}/capture`, { amount: 30 })
        expect(captured.status).toBe(200)
        const refunded = await call("post", `/admin/payments/${order.payment.id}/refund`, { amount: 5 })
        expect(refunded.status).toBe(200)
        const lines = await transactions(order.orderId)
        expect(lines.map((t) => [t.transaction_type, t.amount])).toEqual([
          ["authorize", 7000],
          ["capture", 3000],
          ["refund", 500],
        ])
        expect(lines[1]).toMatchObject({ custom_reference: "from-storefront", refunded_amount: 500 })
        expect((await pspView(order)).captures.map((c) => c.amount)).toEqual([3000])
        await expectLedgerAgrees(getContainer(), order.orderId)
      })

      it("cancels an uncaptured authorization at the PSP; refuses to cancel it twice or once captured", async () => {
        const order = await place()
        const auth = await authorization(order.orderId)
        const res = await cancel(order.orderId, auth.id)
        expect(res.status).toBe(200)
        expect(res.data.data).toMatchObject({
          id: auth.id,
          status: "canceled",
          payment_details: { detailed_status: "voided" },
          next_actions: [],
        })
        expect((await pspView(order)).status).toBe(provider === STRIPE ? "canceled" : "VOIDED")
        expect((await orderPayment(getContainer(), order.orderId)).canceled_at).not.toBeNull()
        const twice = await cancel(order.orderId, auth.id)
        expect(twice.status).toBe(400)
        expect(twice.data.errors[0].detail).toMatch(/already canceled/)
        const captureCanceled = await capture(order.orderId, auth.id)
        expect(captureCanceled.status).toBe(400)
        expect(captureCanceled.data.errors[0].detail).toMatch(/canceled authorization cannot be captured/)

        const other = await place()
        const otherAuth = await authorization(other.orderId)
        expect((await capture(other.orderId, otherAuth.id, { capture_mechanism: "manual" })).status).toBe(200)
        const capturedCancel = await cancel(other.orderId, otherAuth.id)
        expect(capturedCancel.status).toBe(400)
        expect(capturedCancel.data.errors[0].detail).toMatch(/already captured/)
        expect((await pspView(other)).status).toBe(provider === STRIPE ? "requires_capture" : "CREATED")
      })

      it("an expired authorization answers the PSP's error as the seed shows, then offers cancel", async () => {
        const order = await place()
        if (order.authorizationId) {
          await sandbox.current.control.paypal.expireAuthorization(order.authorizationId)
        } else {
          await sandbox.current.control.stripe.expirePaymentIntent(order.reference)
        }
        const auth = await authorization(order.orderId)
        const res = await capture(order.orderId, auth.id, { custom_reference: "late" })
        if (provider === STRIPE) {
          expect(res.status).toBe(400)
          expect(res.data.errors[0]).toMatchObject({
            status: 400,
            title: "Payment gateway processing failed",
            detail: expect.stringMatching(/could not be captured because it has a status of canceled/),
            meta: { error: { code: "payment_intent_unexpected_state" } },
          })
          expect(JSON.stringify(res.data)).not.toMatch(/client_secret|_secret_/)
        } else {
          expect(res.status).toBe(422)
          expect(res.data.errors[0]).toMatchObject({
            status: 422,
            title: "Error received from paypal",
            meta: { details: [expect.objectContaining({ issue: "AUTHORIZATION_EXPIRED" })] },
          })
        }
        expect(await authorization(order.orderId)).toMatchObject({
          payment_details: { detailed_status: "expired_uncaptured_charge" },
          next_actions: ["cancel"],
        })
        expect((await orderPayment(getContainer(), order.orderId)).captures).toEqual([])
        const canceled = await cancel(order.orderId, auth.id)
        expect(canceled.status).toBe(200)
        expect(canceled.data.data).toMatchObject({ status: "canceled" })
      })
    })

    describe("the ledger is written when money moves, never on reads", () => {
      interface RowSnapshot {
        id: string
        source_id: string
        status: string
        detailed_status: string
        status_history: { status: string; detailed_status: string; at: string }[]
        updated_at: string
      }

      /** The order's rows in the plugin's table, with what a write would change. */
      async function ledgerRows(orderId: string): Promise<RowSnapshot[]> {
        const module = getContainer().resolve<{
          listOrchestratorTransactions(f: object, c?: object): Promise<(RowSnapshot & { updated_at: Date })[]>
        }>("paymentOrchestrator")
        const rows = await module.listOrchestratorTransactions({ order_id: orderId }, { order: { source_id: "ASC" } })
        return rows.map((r) => ({
          id: r.id,
          source_id: r.source_id,
          status: r.status,
          detailed_status: r.detailed_status,
          status_history: r.status_history,
          updated_at: new Date(r.updated_at).toISOString(),
        }))
      }

      /** The rows once the subscribers (order.placed, payment.captured, payment.refunded) have written theirs. */
      async function settledRows(orderId: string, done: (rows: RowSnapshot[]) => boolean): Promise<RowSnapshot[]> {
        const deadline = Date.now() + 20_000
        let previous = JSON.stringify(await ledgerRows(orderId))
        for (;;) {
          await new Promise((r) => setTimeout(r, 300))
          const rows = await ledgerRows(orderId)
          if (done(rows) && JSON.stringify(rows) === previous) {
            return rows
          }
          if (Date.now() > deadline) {
            throw new Error(`The ledger rows did not settle: ${JSON.stringify(rows)}`)
          }
          previous = JSON.stringify(rows)
        }
      }

      /** When a Medusa payment, capture or refund was created (the orders helper does not type it). */
      const createdAt = (row: object) => new Date((row as { created_at: string }).created_at).toISOString()

      it("a GET of the transactions and of one transaction changes no row; an action answers its new transaction", async () => {
        const order = await placeAuthorizedOrder(api, getContainer(), sandbox.current, STRIPE)
        const medusaPayment = await orderPayment(getContainer(), order.orderId)
        // The authorization's row is written by the order.placed subscriber, with the id the read showed before it.
        const placed = await settledRows(order.orderId, (rows) => rows.length === 1)
        expect(placed).toEqual([
          expect.objectContaining({
            id: ledgerTransactionId(medusaPayment.id),
            source_id: medusaPayment.id,
            status_history: [{ status: "complete", detailed_status: "authorized", at: createdAt(medusaPayment) }],
          }),
        ])
        const auth = await authorization(order.orderId)
        expect(auth.id).toBe(placed[0].id)

        const captured = await capture(order.orderId, auth.id, { capture_amount: 3000 })
        expect(captured.status).toBe(200)
        const [medusaCapture] = (await orderPayment(getContainer(), order.orderId)).captures
        expect(captured.data.data).toMatchObject({
          id: ledgerTransactionId(medusaCapture.id),
          transaction_type: "capture",
          amount: 3000,
          relationships: { parent: { data: { type: "transaction", id: auth.id } } },
          meta: {
            status_history: [{ status: "complete", detailed_status: "completed", at: createdAt(medusaCapture) }],
          },
        })
        // Written by the capture itself, before any read: the capture's row and its authorization's new status.
        const afterCapture = await ledgerRows(order.orderId)
        expect(afterCapture.find((r) => r.source_id === medusaCapture.id)?.id).toBe(captured.data.data.id)
        expect(afterCapture.find((r) => r.source_id === medusaPayment.id)?.status_history).toEqual([
          { status: "complete", detailed_status: "authorized", at: createdAt(medusaPayment) },
          { status: "complete", detailed_status: "completed", at: createdAt(medusaCapture) },
        ])

        const before = await settledRows(order.orderId, (rows) => rows.length === 2)
        const list = await transactions(order.orderId)
        const one = await call("get", `${base(order.orderId)}/${captured.data.data.id}`)
        expect(one.status).toBe(200)
        expect(one.data.data).toEqual(captured.data.data)
        expect(await call("get", `${base(order.orderId)}/${auth.id}`)).toMatchObject({ status: 200 })
        expect(await ledgerRows(order.orderId)).toEqual(before)
        expect(list.map((t) => t.id).sort()).toEqual(before.map((r) => r.id).sort())

        const refunded = await refund(order.orderId, captured.data.data.id, { data: { amount: 500 } })
        expect(refunded.status).toBe(200)
        const [medusaRefund] = (await orderPayment(getContainer(), order.orderId)).refunds
        expect(refunded.data.data).toMatchObject({
          id: ledgerTransactionId(medusaRefund.id),
          transaction_type: "refund",
          amount: 500,
          relationships: { parent: { data: { type: "transaction", id: captured.data.data.id } } },
        })
        expect((await ledgerRows(order.orderId)).find((r) => r.source_id === medusaRefund.id)?.id).toBe(
          refunded.data.data.id
        )

        // Medusa's own refund route: the payment.refunded subscriber writes the row, a read does not.
        expect((await call("post", `/admin/payments/${order.payment.id}/refund`, { amount: 2 })).status).toBe(200)
        const refunds = (await orderPayment(getContainer(), order.orderId)).refunds
        const own = refunds.find((r) => r.id !== medusaRefund.id)!
        const settled = await settledRows(order.orderId, (rows) => rows.some((r) => r.source_id === own.id))
        expect(settled).toHaveLength(4)
        // Partly refunded since the first refund; the second changed no status, so added no history.
        expect(settled.find((r) => r.source_id === medusaCapture.id)?.status_history).toEqual([
          { status: "complete", detailed_status: "completed", at: createdAt(medusaCapture) },
          { status: "complete", detailed_status: "partially-refunded", at: createdAt(medusaRefund) },
        ])
        await transactions(order.orderId)
        await call("get", `${base(order.orderId)}/${ledgerTransactionId(own.id)}`)
        expect(await ledgerRows(order.orderId)).toEqual(settled)
        await expectLedgerAgrees(getContainer(), order.orderId)
      })
    })

    describe("reauthorize (PayPal, past the 3-day honor period)", () => {
      const DAY_SECONDS = 24 * 60 * 60
      const reauthorize = (orderId: string, txId: string, body: unknown = {}) =>
        call("post", `${base(orderId)}/${txId}/reauthorize`, body)
      const reauthorizeCalls = async () =>
        (await sandbox.current.control.requests({ psp: "paypal", method: "POST", path: "/reauthorize" })).length

      /** An order whose PayPal authorization was made 4 days ago: the sandbox's clock is set back while the buyer pays. */
      async function placeAgedPayPalOrder(): Promise<AuthorizedOrder> {
        await sandbox.current.control.advanceClock(-4 * DAY_SECONDS)
        try {
          return await placeAuthorizedOrder(api, getContainer(), sandbox.current, PAYPAL)
        } finally {
          await sandbox.current.control.advanceClock(4 * DAY_SECONDS)
        }
      }

      it("offers reauthorize after the honor period; the new authorization is recorded and later captures use it; a second one is refused", async () => {
        const order = await placeAgedPayPalOrder()
        const oldAuthorizationId = order.authorizationId!
        const auth = await authorization(order.orderId)
        expect(auth).toMatchObject({
          reference: oldAuthorizationId,
          next_actions: ["capture", "reauthorize", "cancel"],
          honor_until: expect.any(String),
        })
        expect(Date.parse(auth.honor_until!)).toBeLessThan(Date.now())

        const res = await reauthorize(order.orderId, auth.id, { data: {} })
        expect(res.status).toBe(200)
        const newAuthorizationId = res.data.data.reference as string
        expect(newAuthorizationId).not.toBe(oldAuthorizationId)
        expect(res.data.data).toMatchObject({
          id: auth.id,
          transaction_type: "authorize",
          status: "complete",
          payment_details: { detailed_status: "authorized", psp_status: "CREATED" },
          amount: 7000,
          capturable_amount: 7000,
          expires_at: auth.expires_at,
          next_actions: ["capture", "cancel"],
        })
        // A reauthorization has a new honor period of 3 days, from now.
        expect(Date.parse(res.data.data.honor_until)).toBeGreaterThan(Date.now())

        // The PSP: the old authorization can no longer be captured, the new one holds the same amount, once.
        expect((await sandbox.current.control.paypal.getAuthorization(oldAuthorizationId)).status).toBe("VOIDED")
        expect(await sandbox.current.control.paypal.getAuthorization(newAuthorizationId)).toMatchObject({
          status: "CREATED",
          amount: { currency_code: "USD", value: "70.00" },
          expiration_time: (await sandbox.current.control.paypal.getAuthorization(oldAuthorizationId)).expiration_time,
        })
        const calls = await sandbox.current.control.requests({
          psp: "paypal",
          method: "POST",
          path: oldAuthorizationId,
        })
        expect(calls.filter((c) => c.path.endsWith("/reauthorize"))).toEqual([
          expect.objectContaining({
            path: `/v2/payments/authorizations/${oldAuthorizationId}/reauthorize`,
            status: 201,
            idempotency_key: expect.stringMatching(/^mpo-reauth-pay_/),
          }),
        ])

        // Medusa: the payment's record names the new authorization, reauthorized once.
        const payment = await orderPayment(getContainer(), order.orderId)
        expect(payment.data).toMatchObject({ authorization_id: newAuthorizationId, reauthorized: true })
        expect(payment.captures).toEqual([])

        // A second reauthorization is refused before PayPal is called, and changes nothing.
        const callsAfterFirst = await reauthorizeCalls()
        const before = await transactions(order.orderId)
        const twice = await reauthorize(order.orderId, auth.id)
        expect(twice.status).toBe(400)
        expect(twice.data).toEqual({
          errors: [
            {
              status: 400,
              title: "Error while reauthorizing",
              detail: expect.stringMatching(/already reauthorized once.*Capture the current authorization/),
            },
          ],
        })
        expect(await reauthorizeCalls()).toBe(callsAfterFirst)
        expect(await transactions(order.orderId)).toEqual(before)
        expect((await orderPayment(getContainer(), order.orderId)).data).toEqual(payment.data)

        // A capture through our route captures on the new authorization.
        const captured = await capture(order.orderId, auth.id, { capture_amount: 3000, capture_type: "final" })
        expect(captured.status).toBe(200)
        const renewed = await sandbox.current.control.paypal.getAuthorization(newAuthorizationId)
        expect(renewed.captures.map((c) => c.amount.value)).toEqual(["30.00"])
        expect((await sandbox.current.control.paypal.getAuthorization(oldAuthorizationId)).captures).toEqual([])
        expect(captured.data.data.reference).toBe(renewed.captures[0].id)
        await expectLedgerAgrees(getContainer(), order.orderId)

        // Captured: nothing left to reauthorize.
        const afterCapture = await reauthorize(order.orderId, auth.id)
        expect(afterCapture.status).toBe(400)
        expect(afterCapture.data.errors[0].detail).toMatch(/already captured.*only an uncaptured authorization/)
        expect(await reauthorizeCalls()).toBe(callsAfterFirst)
      })

      it("refuses inside the honor period, for Stripe, and with a body, in Elastic Path's error shape; nothing changes", async () => {
        const fresh = await placeAuthorizedOrder(api, getContainer(), sandbox.current, PAYPAL)
        const stripe = await placeAuthorizedOrder(api, getContainer(), sandbox.current, STRIPE)
        const freshAuth = await authorization(fresh.orderId)
        const stripeAuth = await authorization(stripe.orderId)
        expect(freshAuth.next_actions).toEqual(["capture", "cancel"])
        expect(stripeAuth.next_actions).toEqual(["capture", "cancel"])
        const callsBefore = await reauthorizeCalls()
        const before = {
          fresh: await transactions(fresh.orderId),
          stripe: await transactions(stripe.orderId),
          freshData: (await orderPayment(getContainer(), fresh.orderId)).data,
          stripeData: (await orderPayment(getContainer(), stripe.orderId)).data,
        }

        const cases: [string, () => Promise<AxiosResponse>, number, RegExp][] = [
          [
            "inside the honor period",
            () => reauthorize(fresh.orderId, freshAuth.id),
            400,
            /still in its honor period.*Capture it now if the order ships, or reauthorize it after the honor period ends/,
          ],
          [
            "a Stripe payment",
            () => reauthorize(stripe.orderId, stripeAuth.id),
            400,
            /Stripe has no reauthorization.*Capture it before then, or cancel it/,
          ],
          ["an amount", () => reauthorize(fresh.orderId, freshAuth.id, { data: { amount: 8000 } }), 400, /data/],
          ["a capture", () => reauthorize(fresh.orderId, "potx_nope"), 404, /potx_nope was not found/],
        ]
        for (const [name, send, status, detail] of cases) {
          const res = await send()
          expect({ name, status: res.status }).toEqual({ name, status })
          expect(res.data.errors).toEqual([
            expect.objectContaining({ status, title: expect.any(String), detail: expect.stringMatching(detail) }),
          ])
        }
        const unauthenticated = await call("post", `${base(fresh.orderId)}/${freshAuth.id}/reauthorize`, {}, false)
        expect(unauthenticated.status).toBe(401)

        expect(await reauthorizeCalls()).toBe(callsBefore)
        expect(await transactions(fresh.orderId)).toEqual(before.fresh)
        expect(await transactions(stripe.orderId)).toEqual(before.stripe)
        expect((await orderPayment(getContainer(), fresh.orderId)).data).toEqual(before.freshData)
        expect((await orderPayment(getContainer(), stripe.orderId)).data).toEqual(before.stripeData)
        expect((await sandbox.current.control.paypal.getAuthorization(fresh.authorizationId!)).status).toBe("CREATED")
      })
    })

    describe("errors change nothing", () => {
      it("answers 404, 400 and 401 in Elastic Path's error shape, with Medusa and the PSP untouched", async () => {
        const order = await placeAuthorizedOrder(api, getContainer(), sandbox.current, STRIPE)
        const other = await placeAuthorizedOrder(api, getContainer(), sandbox.current, STRIPE)
        const auth = await authorization(order.orderId)
        const otherAuth = await authorization(other.orderId)
        const before = await transactions(order.orderId)

        // One request at a time, each sent only when its turn comes (a list of promises would send them all at once).
        const cases: [string, () => Promise<AxiosResponse>, number, RegExp][] = [
          ["unknown order", () => call("get", base("order_nope")), 404, /Order order_nope was not found/],
          [
            "unknown transaction",
            () => call("get", `${base(order.orderId)}/potx_nope`),
            404,
            /potx_nope was not found/,
          ],
          ["another order's transaction", () => capture(order.orderId, otherAuth.id), 404, /was not found on order/],
          [
            "amount not an integer",
            () => capture(order.orderId, auth.id, { capture_amount: 10.5 }),
            400,
            /capture_amount/,
          ],
          ["amount a string", () => capture(order.orderId, auth.id, { capture_amount: "100" }), 400, /capture_amount/],
          ["negative amount", () => capture(order.orderId, auth.id, { capture_amount: -5 }), 400, /capture_amount/],
          ["unknown field", () => capture(order.orderId, auth.id, { amount: 100 }), 400, /amount|Unrecognized/i],
          ["bad capture_type", () => capture(order.orderId, auth.id, { capture_type: "partial" }), 400, /capture_type/],
          [
            "descriptor too long",
            () => capture(order.orderId, auth.id, { capture_statement_descriptor: "X".repeat(23) }),
            400,
            /capture_statement_descriptor/,
          ],
          ["over-capture", () => capture(order.orderId, auth.id, { capture_amount: 7001 }), 400, /only \$70\.00/],
          [
            "refund of an authorization",
            () => refund(order.orderId, auth.id, { data: { amount: 100 } }),
            400,
            /only a capture/,
          ],
          ["refund with a bad amount", () => refund(order.orderId, auth.id, { data: { amount: 0 } }), 400, /amount/],
          [
            "both amount and line items",
            () => capture(order.orderId, auth.id, { capture_amount: 1, invoice_detail_ids: ["x"] }),
            400,
            /either/,
          ],
        ]
        for (const [name, send, status, detail] of cases) {
          const res = await send()
          expect({ name, status: res.status }).toEqual({ name, status })
          expect(res.data.errors).toEqual([
            expect.objectContaining({ status, title: expect.any(String), detail: expect.stringMatching(detail) }),
          ])
        }

        const noSession = await call("get", base(order.orderId), undefined, false)
        expect(noSession.status).toBe(401)
        const noSessionCapture = await call("post", `${base(order.orderId)}/${auth.id}/capture`, {}, false)
        expect(noSessionCapture.status).toBe(401)

        expect(await transactions(order.orderId)).toEqual(before)
        const payment = await orderPayment(getContainer(), order.orderId)
        expect(payment.captures).toEqual([])
        expect(payment.refunds).toEqual([])
        expect((await pspView(order)).captures).toEqual([])
      })
    })
  },
})
