/**
 * Medusa's own order flows (issue 12) with the plugin's providers, through Medusa's own admin API (never the plugin's
 * transactions API for the flow itself), for Stripe and PayPal against the sandbox: order cancel (authorized,
 * captured, partly refunded, manually captured, disputed), a return with its refund, a claim and an exchange that
 * refund a difference, and an order edit whose difference the customer pays with the provider through the store API.
 * Every test checks that the PSP (sandbox state), Medusa's rows (payments, captures, refunds, the order's summary)
 * and the ledger (`GET /admin/orders/:id/transactions`) agree; a flow that cannot work is refused with a sentence that
 * says what to do, and nothing moves anywhere. One app, seeded once (the seed is in the runner's snapshot).
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, OrderWorkflowEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import type { AxiosResponse } from "axios"
import { seedDemoStore, type SeededStore } from "../../demo/seed-store"
import type { TransactionView } from "../../src/ledger/transaction-view"
import type { PaymentRecord } from "../../src/payment-record/schema"
import { isLiveRefund } from "../../src/planners/refund-planner"
import { toMinorUnits } from "../../src/utils/money"
import { adminHeaders } from "../utils/admin"
import { expectLedgerAgrees } from "../utils/ledger"
import { orderPayment, PAYPAL, placeAuthorizedOrder, STRIPE, type AuthorizedOrder } from "../utils/orders"
import { pspMoney } from "../utils/planted"
import { useSandbox } from "../utils/sandbox"
import { trackWebhookHandlers } from "../utils/webhooks"

jest.setTimeout(240_000)

const sandbox = useSandbox()

type Psp = "stripe" | "paypal"

interface OrderRow {
  id: string
  status: string
  summary: { pending_difference: number; paid_total: number; refunded_total: number }
  payment_collections: {
    id: string
    status: string
    amount: number
    payments: {
      id: string
      provider_id: string
      amount: number
      data: { reference: string; authorization_id: string | null; status: string }
      captured_at: string | null
      canceled_at: string | null
      captures: { id: string; amount: number }[]
      refunds: { id: string; amount: number }[]
    }[]
  }[]
}

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer, utils }) => {
    let headers: Record<string, string>
    let store: SeededStore
    let locationId: string
    const container = (): MedusaContainer => getContainer()
    const control = () => sandbox.current.control

    beforeAll(async () => {
      // Seeded once: the runner snapshots the database after this hook and restores it before every test.
      store = await seedDemoStore(container())
      const { data } = await container()
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({ entity: "stock_location", fields: ["id"], filters: { name: "Demo warehouse" } })
      locationId = data[0].id
    })

    beforeEach(async () => {
      headers = await adminHeaders(container(), api)
    })

    const call = (method: "get" | "post", path: string, body?: unknown): Promise<AxiosResponse> =>
      (method === "get" ? api.get(path, { headers }) : api.post(path, body ?? {}, { headers })).catch(
        (e: { response?: AxiosResponse }) => {
          if (!e.response) {
            throw e
          }
          return e.response
        }
      )

    /** A Medusa admin call that must succeed: its body. */
    async function ok(path: string, body?: unknown): Promise<Record<string, unknown>> {
      const res = await call("post", path, body)
      if (res.status >= 300) {
        throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.data)}`)
      }
      return res.data
    }

    async function transactions(orderId: string): Promise<TransactionView[]> {
      const res = await call("get", `/admin/orders/${orderId}/transactions`)
      expect(res.status).toBe(200)
      return res.data.data
    }

    /** The order as Medusa holds it: status, summary, every payment collection with its payments' rows. */
    async function medusaOrder(orderId: string): Promise<OrderRow> {
      const { data } = await container()
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({
          entity: "order",
          fields: [
            "id",
            "status",
            "summary.*",
            "payment_collections.id",
            "payment_collections.status",
            "payment_collections.amount",
            "payment_collections.payments.*",
            "payment_collections.payments.captures.*",
            "payment_collections.payments.refunds.*",
          ],
          filters: { id: orderId },
        })
      const order = data[0] as unknown as OrderRow & { summary: Record<string, unknown> }
      const num = (v: unknown) => Number(v ?? 0)
      return {
        ...order,
        summary: {
          pending_difference: num(order.summary.pending_difference),
          paid_total: num(order.summary.paid_total),
          refunded_total: num(order.summary.refunded_total),
        },
        payment_collections: order.payment_collections
          .map((c) => ({
            ...c,
            amount: num(c.amount),
            payments: (c.payments ?? []).map((p) => ({
              ...p,
              amount: num(p.amount),
              captures: p.captures.map((x) => ({ id: x.id, amount: num(x.amount) })),
              refunds: p.refunds.map((x) => ({ id: x.id, amount: num(x.amount) })),
            })),
          }))
          .sort((a, b) => a.id.localeCompare(b.id)),
      }
    }

    const psp = (provider: string): Psp => (provider === STRIPE ? "stripe" : "paypal")

    /** The PSP's money and status for a Medusa payment (authorization status at PayPal, PaymentIntent status at Stripe). */
    async function pspState(provider: string, payment: { reference: string; authorization_id: string | null }) {
      const money = await pspMoney(sandbox.current, { ...payment, gateway: psp(provider) })
      const status =
        provider === STRIPE
          ? (await control().stripe.inspectPaymentIntent(payment.reference)).payment_intent.status
          : payment.authorization_id
            ? (await control().paypal.getAuthorization(payment.authorization_id)).status
            : null
      return { status, ...money }
    }

    /** Everything a refused flow must leave as it was: the PSP, Medusa's rows and the ledger. */
    async function everything(provider: string, order: AuthorizedOrder) {
      const medusa = await medusaOrder(order.orderId)
      return {
        psp: await pspState(provider, { reference: order.reference, authorization_id: order.authorizationId }),
        medusa,
        ledger: (await transactions(order.orderId)).map((t) => ({
          id: t.id,
          type: t.transaction_type,
          amount: t.amount,
          refunded: t.refunded_amount,
          detailed: t.payment_details.detailed_status,
        })),
      }
    }

    /**
     * The PSP, Medusa and the ledger agree on every payment of the order: the PSP captured and refunded what Medusa's
     * capture and refund rows say, and the ledger has one authorize line per payment, one capture line per Medusa
     * capture and the refund lines of Medusa's refunds, with the same totals (utils/ledger.ts for the first payment).
     * Answers the first payment and what its PSP holds.
     */
    async function expectAgreement(provider: string, order: AuthorizedOrder) {
      const medusa = await medusaOrder(order.orderId)
      const lines = await transactions(order.orderId)
      const sum = (xs: { amount: number }[]) => xs.reduce((s, x) => s + x.amount, 0)
      for (const payment of medusa.payment_collections.flatMap((c) => c.payments)) {
        const minor = (xs: { amount: number }[]) => toMinorUnits(sum(xs), "usd")
        // A manual capture, and its marking as refunded, moved money outside the PSP: the PSP holds the others.
        const record = payment.data as unknown as PaymentRecord
        const atPsp = await pspState(provider, payment.data)
        const viaPsp = (xs: { amount: number; mechanism?: string | null }[]) =>
          sum(xs.filter((x) => x.mechanism !== "manual"))
        expect({ captured: atPsp.captured, refunded: atPsp.refunded }).toEqual({
          captured: viaPsp(record.captures),
          refunded: viaPsp(record.refunds.filter(isLiveRefund)),
        })
        expect(sum(record.captures)).toBe(minor(payment.captures))
        const of = (type: string) =>
          lines.filter((t) => t.relationships.payment.data.id === payment.id && t.transaction_type === type)
        expect(of("authorize").map((t) => t.amount)).toEqual([toMinorUnits(payment.amount, "usd")])
        expect(of("capture")).toHaveLength(payment.captures.length)
        expect(sum(of("capture"))).toBe(minor(payment.captures))
        expect(sum(of("refund"))).toBe(minor(payment.refunds))
        expect(of("capture").reduce((s, c) => s + c.refunded_amount, 0)).toBe(minor(payment.refunds))
      }
      if (medusa.payment_collections.flatMap((c) => c.payments).length === 1) {
        await expectLedgerAgrees(container(), lines, order.orderId)
      }
      const first = await orderPayment(container(), order.orderId)
      return {
        payment: first,
        psp: await pspState(provider, { reference: order.reference, authorization_id: order.authorizationId }),
      }
    }

    const place = (provider: string) => placeAuthorizedOrder(api, container(), sandbox.current, provider)

    /** An order whose payment Medusa captured in full through its own route (`POST /admin/payments/:id/capture`). */
    async function placeCaptured(provider: string): Promise<AuthorizedOrder> {
      const order = await place(provider)
      await ok(`/admin/payments/${order.payment.id}/capture`)
      return order
    }

    /** Medusa's order cancel, and the plugin's subscriber that releases what the order's authorizations still hold. */
    async function canceled(orderId: string): Promise<void> {
      const released = TestEventUtils.waitSubscribersExecution(
        OrderWorkflowEvents.CANCELED,
        container().resolve(Modules.EVENT_BUS),
        { timeout: 60_000 }
      )
      await ok(`/admin/orders/${orderId}/cancel`)
      await released
    }

    /** Ships the order's one item (returns, claims and exchanges take back fulfilled items only). */
    async function fulfil(orderId: string): Promise<{ id: string; variant_id: string }> {
      const res = await call("get", `/admin/orders/${orderId}?fields=id,*items`)
      const [item] = res.data.order.items as { id: string; variant_id: string; quantity: number }[]
      expect(item.quantity).toBe(1)
      await ok(`/admin/orders/${orderId}/fulfillments`, {
        location_id: locationId,
        items: [{ id: item.id, quantity: 1 }],
      })
      return item
    }

    /** The warehouse receives a return (of a return, a claim or an exchange): Medusa credits the returned item. */
    async function receive(returnId: string, itemId: string): Promise<void> {
      await ok(`/admin/returns/${returnId}/receive`)
      await ok(`/admin/returns/${returnId}/receive-items`, { items: [{ id: itemId, quantity: 1 }] })
      await ok(`/admin/returns/${returnId}/receive/confirm`)
    }

    /** Medusa's refund of what the order owes the customer (the admin's "Refund" button on the order summary). */
    async function refundDifference(orderId: string, paymentId: string): Promise<number> {
      const owed = -(await medusaOrder(orderId)).summary.pending_difference
      expect(owed).toBeGreaterThan(0)
      await ok(`/admin/payments/${paymentId}/refund`, { amount: owed })
      return owed
    }

    /**
     * Medusa's Refund of what the order owes (`owed`, in dollars) on a captured $70 order: that much refunded at the
     * PSP in one refund, nothing owed after, and the PSP, Medusa and the ledger agreeing.
     */
    async function expectDifferenceRefunded(provider: string, order: AuthorizedOrder, owed: number) {
      expect(await refundDifference(order.orderId, order.payment.id)).toBe(owed)
      expect((await medusaOrder(order.orderId)).summary.pending_difference).toBe(0)
      const { psp } = await expectAgreement(provider, order)
      const minor = toMinorUnits(owed, "usd")
      expect(psp).toMatchObject({ captured: 7000, refunded: minor, refunds: [minor] })
    }

    async function openDispute(provider: string, order: AuthorizedOrder): Promise<string> {
      const payment = await orderPayment(container(), order.orderId)
      const id =
        provider === STRIPE
          ? (await control().stripe.openDispute({ payment_intent: order.reference })).id
          : (await control().paypal.openDispute({ capture_id: payment.data.captures[0].id })).dispute_id
      // The reconciler records the dispute at once (the webhook sync would, 5 s after the PSP's event).
      await ok(`/admin/orders/${order.orderId}/reconcile`)
      expect((await orderPayment(container(), order.orderId)).data.open_disputes).toEqual([id])
      return id
    }

    /** A refused flow: a 4xx whose message says what to do, and nothing moved at the PSP, in Medusa or in the ledger. */
    async function expectRefusedAndUnchanged(
      provider: string,
      order: AuthorizedOrder,
      act: () => Promise<AxiosResponse>,
      message: RegExp
    ) {
      const before = await everything(provider, order)
      const res = await act()
      expect(res.status).toBe(400)
      expect(res.data.message).toMatch(message)
      await utils.waitWorkflowExecutions()
      expect(await everything(provider, order)).toEqual(before)
    }

    describe.each([
      ["Stripe", STRIPE],
      ["PayPal", PAYPAL],
    ])("%s", (_name, provider) => {
      describe("POST /admin/orders/:id/cancel", () => {
        it("of an authorized order voids the authorization at the PSP; Medusa's payment is canceled and the ledger shows it voided", async () => {
          const order = await place(provider)
          await ok(`/admin/orders/${order.orderId}/cancel`)

          const medusa = await medusaOrder(order.orderId)
          expect(medusa.status).toBe("canceled")
          const [payment] = medusa.payment_collections[0].payments
          expect(payment).toMatchObject({ captures: [], refunds: [], data: { status: "canceled" } })
          expect(payment.canceled_at).not.toBeNull()
          const { psp: atPsp } = await expectAgreement(provider, order)
          expect(atPsp).toMatchObject({ status: provider === STRIPE ? "canceled" : "VOIDED", captured: 0 })
          const [auth] = await transactions(order.orderId)
          expect(auth).toMatchObject({ transaction_type: "authorize", payment_details: { detailed_status: "voided" } })
          expect(auth.next_actions).toEqual([])
        })

        it("of a captured order refunds the whole capture at the PSP, as one Medusa refund that the ledger shows", async () => {
          const order = await placeCaptured(provider)
          await ok(`/admin/orders/${order.orderId}/cancel`)

          const medusa = await medusaOrder(order.orderId)
          expect(medusa.status).toBe("canceled")
          expect(medusa.summary.refunded_total).toBe(70)
          const { payment, psp: atPsp } = await expectAgreement(provider, order)
          expect(payment.refunds.map((r) => r.amount)).toEqual([70])
          expect(atPsp).toMatchObject({ captured: 7000, refunded: 7000, refunds: [7000] })
          const capture = (await transactions(order.orderId)).find((t) => t.transaction_type === "capture")!
          expect(capture).toMatchObject({ refunded_amount: 7000, payment_details: { detailed_status: "refunded" } })
        })

        it("of a partly refunded order refunds only the rest at the PSP", async () => {
          const order = await placeCaptured(provider)
          await ok(`/admin/payments/${order.payment.id}/refund`, { amount: 25 })
          await ok(`/admin/orders/${order.orderId}/cancel`)

          expect((await medusaOrder(order.orderId)).status).toBe("canceled")
          const { payment, psp: atPsp } = await expectAgreement(provider, order)
          expect(payment.refunds.map((r) => r.amount).sort()).toEqual([25, 45])
          expect(atPsp.refunds.sort()).toEqual([2500, 4500])
          expect(atPsp.refunded).toBe(7000)
        })

        it("of a partly captured order refunds the capture and releases the uncaptured rest of the authorization at the PSP", async () => {
          const order = await place(provider)
          await ok(`/admin/payments/${order.payment.id}/capture`, { amount: 20 })
          await canceled(order.orderId)

          expect((await medusaOrder(order.orderId)).status).toBe("canceled")
          const { psp: atPsp } = await expectAgreement(provider, order)
          // Stripe (no multicapture) captured once and released the rest at once; PayPal's rest is voided now.
          expect(atPsp).toMatchObject({
            captured: 2000,
            refunded: 2000,
            status: provider === STRIPE ? "succeeded" : "VOIDED",
          })
          const [auth] = await transactions(order.orderId)
          expect(auth.next_actions).toEqual([])
          expect(auth.capturable_amount).toBe(0)
        })

        it("of a manually captured order is refused (the money was taken outside the PSP) and nothing moves; marked as refunded, the order cancels, no money moves at the PSP and its open authorization is released", async () => {
          const order = await place(provider)
          const [auth] = await transactions(order.orderId)
          const manual = await call("post", `/admin/orders/${order.orderId}/transactions/${auth.id}/capture`, {
            data: { capture_mechanism: "manual" },
          })
          expect(manual.status).toBe(200)

          await expectRefusedAndUnchanged(
            provider,
            order,
            () => call("post", `/admin/orders/${order.orderId}/cancel`),
            /manually captured.*Refund the customer outside the gateway, then mark the transaction as refunded/
          )
          expect((await medusaOrder(order.orderId)).status).not.toBe("canceled")

          // What the sentence says to do: mark the capture as refunded (no body), then cancel.
          const requestsBefore = (await control().requests({ psp: psp(provider) })).length
          const marked = await call(
            "post",
            `/admin/orders/${order.orderId}/transactions/${manual.data.data.id}/refund`,
            undefined
          )
          expect(marked.status).toBe(200)
          await canceled(order.orderId)
          expect((await medusaOrder(order.orderId)).status).toBe("canceled")
          const moneyCalls = (await control().requests({ psp: psp(provider) }))
            .slice(requestsBefore)
            .filter((r) => r.method === "POST" && /refund|capture/.test(r.path))
          expect(moneyCalls).toEqual([])
          const { psp: atPsp } = await expectAgreement(provider, order)
          // Medusa's cancel voids only payments without captures: the plugin releases the authorization the manual
          // capture left open at the PSP, and the ledger shows it voided.
          expect(atPsp).toMatchObject({ captured: 0, refunded: 0, status: provider === STRIPE ? "canceled" : "VOIDED" })
          const [authAfter] = await transactions(order.orderId)
          expect(authAfter).toMatchObject({ payment_details: { detailed_status: "voided" }, next_actions: [] })
        })

        it("of a disputed order is refused while the dispute is open (a refund could pay the customer twice) and nothing moves", async () => {
          const order = await placeCaptured(provider)
          await openDispute(provider, order)

          await expectRefusedAndUnchanged(
            provider,
            order,
            () => call("post", `/admin/orders/${order.orderId}/cancel`),
            /chargeback is open.*Respond to the dispute/
          )
          expect((await medusaOrder(order.orderId)).status).not.toBe("canceled")
          const capture = (await transactions(order.orderId)).find((t) => t.transaction_type === "capture")!
          expect(capture.payment_details.detailed_status).toBe("chargeback-initiated")
          await expectAgreement(provider, order)
        })
      })

      it("a return, received, is refunded through Medusa's refund route: the PSP refunds the returned item and the order owes nothing", async () => {
        const order = await placeCaptured(provider)
        const item = await fulfil(order.orderId)
        const { return: ret } = (await ok("/admin/returns", { order_id: order.orderId, location_id: locationId })) as {
          return: { id: string }
        }
        await ok(`/admin/returns/${ret.id}/request-items`, { items: [{ id: item.id, quantity: 1 }] })
        await ok(`/admin/returns/${ret.id}/request`)
        await receive(ret.id, item.id)

        await expectDifferenceRefunded(provider, order, 60)
      })

      it("a refund claim, its item received, is refunded through Medusa's refund route: the PSP refunds the claimed item", async () => {
        const order = await placeCaptured(provider)
        const item = await fulfil(order.orderId)
        const { claim } = (await ok("/admin/claims", { order_id: order.orderId, type: "refund" })) as {
          claim: { id: string }
        }
        const { return: inbound } = (await ok(`/admin/claims/${claim.id}/inbound/items`, {
          location_id: locationId,
          items: [{ id: item.id, quantity: 1 }],
        })) as { return: { id: string } }
        await ok(`/admin/claims/${claim.id}/request`)
        await receive(inbound.id, item.id)

        await expectDifferenceRefunded(provider, order, 60)
      })

      it("an exchange for a cheaper item, the returned item received, refunds the difference through Medusa's refund route", async () => {
        const order = await placeCaptured(provider)
        const item = await fulfil(order.orderId)
        const { exchange } = (await ok("/admin/exchanges", { order_id: order.orderId })) as {
          exchange: { id: string }
        }
        const { return: inbound } = (await ok(`/admin/exchanges/${exchange.id}/inbound/items`, {
          location_id: locationId,
          items: [{ id: item.id, quantity: 1 }],
        })) as { return: { id: string } }
        await ok(`/admin/exchanges/${exchange.id}/outbound/items`, {
          items: [{ variant_id: item.variant_id, quantity: 1, unit_price: 45 }],
        })
        await ok(`/admin/exchanges/${exchange.id}/request`)
        await receive(inbound.id, item.id)

        await expectDifferenceRefunded(provider, order, 15)
      })

      it("Medusa's refund route (a return's, claim's or exchange's Refund) on a manually captured payment is refused with what to do, and nothing moves", async () => {
        const order = await place(provider)
        const [auth] = await transactions(order.orderId)
        const manual = await call("post", `/admin/orders/${order.orderId}/transactions/${auth.id}/capture`, {
          data: { capture_mechanism: "manual" },
        })
        expect(manual.status).toBe(200)
        await expectRefusedAndUnchanged(
          provider,
          order,
          () => call("post", `/admin/payments/${order.payment.id}/refund`, { amount: 60 }),
          /manually captured.*mark the transaction as refunded/
        )
      })

      it("an order edit confirmed while the payment is only authorized: Medusa voids the authorization at the PSP and asks for the whole new total", async () => {
        const order = await place(provider)
        const edit = `/admin/order-edits/${order.orderId}`
        await ok("/admin/order-edits", { order_id: order.orderId })
        await ok(`${edit}/items`, { items: [{ variant_id: store.variant_id, quantity: 1 }] })
        await ok(`${edit}/request`)
        await ok(`${edit}/confirm`)

        const edited = await medusaOrder(order.orderId)
        expect(edited.summary.pending_difference).toBe(130)
        const first = edited.payment_collections.find((c) => c.payments.some((p) => p.id === order.payment.id))!
        expect(first.status).toBe("canceled")
        expect(first.payments[0].canceled_at).not.toBeNull()
        const due = edited.payment_collections.find((c) => c.status === "not_paid")!
        expect(due.amount).toBe(130)
        const { psp: atPsp } = await expectAgreement(provider, order)
        expect(atPsp).toMatchObject({ status: provider === STRIPE ? "canceled" : "VOIDED", captured: 0 })
        const [auth] = await transactions(order.orderId)
        expect(auth.payment_details.detailed_status).toBe("voided")
      })

      it("an order edit that adds an item: the customer pays the difference with the provider through the store API, the PSP's webhook authorizes it and Medusa's capture takes it", async () => {
        const order = await placeCaptured(provider)
        const edit = `/admin/order-edits/${order.orderId}`
        await ok("/admin/order-edits", { order_id: order.orderId })
        await ok(`${edit}/items`, { items: [{ variant_id: store.variant_id, quantity: 1 }] })
        await ok(`${edit}/request`)
        await ok(`${edit}/confirm`)

        const edited = await medusaOrder(order.orderId)
        expect(edited.summary.pending_difference).toBe(60)
        const due = edited.payment_collections.find((c) => c.status === "not_paid")!
        expect(due.amount).toBe(60)

        // The customer pays on the payment link's page: a session with the provider on the new collection.
        await control().configureWebhooks(psp(provider), {
          url: `${api.defaults.baseURL}/hooks/payment/${psp(provider)}_${psp(provider)}`,
          hold: true,
        })
        try {
          const {
            data: { payment_collection: collection },
          } = await api.post(
            `/store/payment-collections/${due.id}/payment-sessions`,
            { provider_id: provider },
            { headers: { "x-publishable-api-key": store.publishable_key } }
          )
          const session = collection.payment_sessions.find((s: { provider_id: string }) => s.provider_id === provider)
          const reference = session.data.reference as string
          if (provider === STRIPE) {
            await control().stripe.confirmPaymentIntent(reference)
          } else {
            await control().paypal.approveOrder(reference)
          }
          // The PSP tells Medusa that the buyer is done; Medusa's webhook handler authorizes the session.
          const type = provider === STRIPE ? "payment_intent.amount_capturable_updated" : "CHECKOUT.ORDER.APPROVED"
          const events = (await control().events(psp(provider))).filter(
            (e) => e.type === type && e.payload.includes(reference)
          )
          expect(events).toHaveLength(1)
          const handlers = trackWebhookHandlers(container())
          try {
            await control().redeliver([events[0].id])
            await handlers.done(1)
          } finally {
            handlers.restore()
          }
        } finally {
          await control().configureWebhooks(psp(provider), { url: null, hold: false })
        }

        const paid = await medusaOrder(order.orderId)
        const second = paid.payment_collections.find((c) => c.id === due.id)!
        expect(second.status).toBe("authorized")
        const [extra] = second.payments
        expect(extra).toMatchObject({ provider_id: provider, amount: 60, data: { status: "authorized" } })

        await ok(`/admin/payments/${extra.id}/capture`)
        const settled = await medusaOrder(order.orderId)
        expect(settled.summary.pending_difference).toBe(0)
        expect(settled.summary.paid_total).toBe(130)
        const extraAtPsp = await pspState(provider, extra.data)
        expect(extraAtPsp).toMatchObject({ captured: 6000, refunded: 0 })
        // The first payment is as it was; the ledger has both payments' lines, each as Medusa's rows say.
        const { psp: firstAtPsp } = await expectAgreement(provider, order)
        expect(firstAtPsp).toMatchObject({ captured: 7000, refunded: 0 })
        const lines = await transactions(order.orderId)
        const ofExtra = lines.filter((t) => t.relationships.payment?.data.id === extra.id)
        expect(ofExtra.map((t) => [t.transaction_type, t.amount])).toEqual([
          ["authorize", 6000],
          ["capture", 6000],
        ])
        expect(
          lines
            .filter((t) => t.transaction_type === "capture")
            .map((t) => t.amount)
            .sort()
        ).toEqual([6000, 7000])
      })
    })
  },
})
