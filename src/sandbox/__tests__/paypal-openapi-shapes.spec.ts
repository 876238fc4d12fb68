/**
 * The shapes the plugin relies on in PayPal's answers, written as our own schemas from PayPal's published OpenAPI
 * specifications (`paypal/paypal-rest-api-specifications`: checkout_orders_v2, payments_payment_v2,
 * customer_disputes_v1; objects are open, so only the fields the plugin reads are checked, with PayPal's types and
 * limits), checked against the sandbox's raw answers. The results of the full field-by-field comparison are in
 * `docs/psp-conformance.md`.
 */
import { z } from "@medusajs/framework/zod"
import { startSandbox, type RunningSandbox } from "../index"

/** PayPal `money`: `currency_code` is 3 characters, `value` a decimal string (`^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$`). */
const money = z.object({
  currency_code: z.string().length(3),
  value: z.string().regex(/^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$/),
})
/** `link_description`: `href`, `rel` required; `method` optional. */
const link = z.object({ href: z.string().min(1), rel: z.string().min(1), method: z.string().optional() })
const time = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)

/** `authorization-2` (Payments v2): what `toPayment` reads. */
const authorization = z.object({
  id: z.string().min(1),
  status: z.enum(["CREATED", "CAPTURED", "DENIED", "PARTIALLY_CAPTURED", "VOIDED", "PENDING"]),
  amount: money,
  expiration_time: time,
  links: z.array(link),
})
/** `capture-2`: the sync follows `supplementary_data.related_ids` and the `up` link; `custom_id` is optional. */
const capture = z.object({
  id: z.string().min(1),
  status: z.enum(["COMPLETED", "DECLINED", "PARTIALLY_REFUNDED", "PENDING", "REFUNDED", "FAILED"]),
  amount: money,
  final_capture: z.boolean(),
  custom_id: z.string().max(127).optional(),
  invoice_id: z.string().max(127).optional(),
  supplementary_data: z.object({
    related_ids: z.object({ order_id: z.string().min(1), authorization_id: z.string().min(1).optional() }),
  }),
  links: z.array(link),
})
/** `refund`: `up` names the capture; `invoice_id` carries the plugin's marker; `custom_id` optional. */
const refund = z.object({
  id: z.string().min(1),
  status: z.enum(["CANCELLED", "FAILED", "PENDING", "COMPLETED"]),
  amount: money,
  invoice_id: z.string().max(127).optional(),
  custom_id: z.string().max(127).optional(),
  note_to_payer: z.string().max(255).optional(),
  links: z.array(link),
})
/** `order` (Orders v2). */
const order = z.object({
  id: z.string().min(1),
  status: z.enum(["CREATED", "SAVED", "APPROVED", "VOIDED", "COMPLETED", "PAYER_ACTION_REQUIRED"]),
  intent: z.enum(["CAPTURE", "AUTHORIZE"]),
  purchase_units: z
    .array(
      z.object({
        reference_id: z.string().max(256),
        amount: money,
        custom_id: z.string().max(127).optional(),
        invoice_id: z.string().max(127).optional(),
        payments: z
          .object({
            authorizations: z.array(authorization.omit({ expiration_time: true })).optional(),
            captures: z.array(capture.omit({ supplementary_data: true })).optional(),
            refunds: z.array(refund).optional(),
          })
          .optional(),
      })
    )
    .min(1),
  links: z.array(link),
})
/** `dispute` (Disputes v1): what `toDispute` reads. */
const dispute = z.object({
  dispute_id: z.string().min(1),
  create_time: time,
  status: z.enum([
    "OPEN",
    "WAITING_FOR_BUYER_RESPONSE",
    "WAITING_FOR_SELLER_RESPONSE",
    "UNDER_REVIEW",
    "RESOLVED",
    "OTHER",
  ]),
  reason: z.string().min(1),
  dispute_amount: money,
  disputed_transactions: z.array(z.object({ seller_transaction_id: z.string().min(1), custom: z.string().optional() })),
  dispute_outcome: z.object({ outcome_code: z.string(), amount_refunded: money.optional() }).optional(),
  seller_response_due_date: time.optional(),
})

let sandbox: RunningSandbox
let headers: Record<string, string>

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 })
  const basic = Buffer.from(`${sandbox.paypal.clientId}:${sandbox.paypal.clientSecret}`).toString("base64")
  const token = (await (
    await fetch(`${sandbox.paypal.apiBaseUrl}/v1/oauth2/token`, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    })
  ).json()) as { access_token: string }
  headers = {
    authorization: `Bearer ${token.access_token}`,
    "content-type": "application/json",
    prefer: "return=representation",
  }
})

afterAll(async () => {
  await sandbox.close()
})

async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${sandbox.paypal.apiBaseUrl}${path}`, {
    method,
    headers: { ...headers, ...(method === "POST" ? { "paypal-request-id": `req-${Math.random()}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  expect(res.status).toBeLessThan(300)
  return res.json()
}

const up = (links: { rel: string; href: string }[]) => links.find((l) => l.rel === "up")?.href

it("orders, authorizations, captures, refunds and disputes have the shapes the plugin reads, as PayPal publishes them", async () => {
  // The request fields the gateway sends, as published: purchase_unit_request, capture_request, refund_request.
  const created = order.parse(
    await call("POST", "/v2/checkout/orders", {
      intent: "AUTHORIZE",
      purchase_units: [
        {
          reference_id: "default",
          custom_id: "payses_1",
          invoice_id: "ORDER-1",
          amount: { currency_code: "USD", value: "70.00" },
        },
      ],
    })
  )
  await sandbox.control.paypal.approveOrder(created.id)
  const authorized = order.parse(await call("POST", `/v2/checkout/orders/${created.id}/authorize`, {}))
  const authId = authorized.purchase_units[0].payments!.authorizations![0].id
  const auth = authorization.parse(await call("GET", `/v2/payments/authorizations/${authId}`))
  expect(up(auth.links)).toMatch(new RegExp(`/v2/checkout/orders/${created.id}$`))

  const captured = capture.parse(
    await call("POST", `/v2/payments/authorizations/${authId}/capture`, {
      amount: { currency_code: "USD", value: "30.00" },
      final_capture: false,
      invoice_id: "ORDER-1-2",
      soft_descriptor: "SHOP",
    })
  )
  // Without custom_id in the capture call, none: the sync must not need it.
  expect(captured.custom_id).toBeUndefined()
  expect(captured.supplementary_data.related_ids).toEqual({ order_id: created.id, authorization_id: authId })
  expect(up(captured.links)).toMatch(new RegExp(`/v2/payments/authorizations/${authId}$`))

  const refunded = refund.parse(
    await call("POST", `/v2/payments/captures/${captured.id}/refund`, {
      amount: { currency_code: "USD", value: "5.00" },
      invoice_id: "mpo-key",
      note_to_payer: "Sorry",
    })
  )
  expect(refunded.custom_id).toBeUndefined()
  expect(up(refunded.links)).toMatch(new RegExp(`/v2/payments/captures/${captured.id}$`))
  const dashboard = refund.parse(await sandbox.control.paypal.refundCapture(captured.id, "1.00"))
  expect(dashboard.custom_id).toBeUndefined()
  expect(dashboard.invoice_id).toBeUndefined()

  order.parse(await call("GET", `/v2/checkout/orders/${created.id}`))
  const opened = await sandbox.control.paypal.openDispute({ capture_id: captured.id })
  const disputed = dispute.parse(await call("GET", `/v1/customer/disputes/${opened.dispute_id}`))
  expect(disputed.disputed_transactions[0]).toEqual({ seller_transaction_id: captured.id })
})

it("the schemas refuse what the plugin could not rely on (they are not vacuous)", () => {
  expect(money.safeParse({ currency_code: "USD", value: 70 }).success).toBe(false)
  expect(
    capture.safeParse({
      id: "C",
      status: "COMPLETED",
      amount: { currency_code: "USD", value: "1" },
      final_capture: true,
      links: [],
    }).success
  ).toBe(false)
  expect(
    refund.safeParse({ id: "R", status: "DONE", amount: { currency_code: "USD", value: "1" }, links: [] }).success
  ).toBe(false)
})
