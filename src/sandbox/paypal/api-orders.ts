/** Orders v2: create, get, patch, authorize, capture (`/v2/checkout/orders`). */
import { paypalId } from "../core/ids"
import type { Router, SandboxRequest, SandboxResponse } from "../core/router"
import { DAY_MS, optionalString, wantsRepresentation, type PayPalFakeContext } from "./context"
import { invalidRequest, notFound, unprocessable } from "./errors"
import { parseMoney } from "./money"
import { AUTHORIZATION_VALIDITY_DAYS, refreshAuthorization } from "./api-payments"
import type { AuthorizationRecord, CaptureRecord, OrderRecord, PurchaseUnitRecord } from "./state"

const BREAKDOWN_ADD = ["item_total", "shipping", "handling", "tax_total", "insurance"]
const BREAKDOWN_SUBTRACT = ["shipping_discount", "discount"]

function parsePurchaseUnit(raw: unknown, index: number, many: boolean): PurchaseUnitRecord {
  const field = `/purchase_units/@reference_id=='${index}'`
  if (!raw || typeof raw !== "object") {
    throw invalidRequest(
      "INVALID_PARAMETER_SYNTAX",
      "The value of a field does not conform to the expected format.",
      `/purchase_units/${index}`
    )
  }
  const pu = raw as Record<string, unknown>
  const referenceId = optionalString(pu, "reference_id")
  if (many && !referenceId) {
    throw unprocessable(
      "REFERENCE_ID_REQUIRED",
      "'reference_id' is required for each 'purchase_unit' if multiple purchase_units are provided.",
      `/purchase_units/${index}/reference_id`
    )
  }
  const amount = parseMoney(pu.amount, `${field}/amount`)
  const breakdown = (pu.amount as Record<string, unknown>).breakdown as Record<string, unknown> | undefined
  if (breakdown && typeof breakdown === "object") {
    let total = 0
    for (const key of [...BREAKDOWN_ADD, ...BREAKDOWN_SUBTRACT]) {
      if (breakdown[key] !== undefined) {
        const part = parseMoney(breakdown[key], `${field}/amount/breakdown/${key}`)
        if (part.currency !== amount.currency) {
          throw unprocessable(
            "CURRENCY_MISMATCH",
            "Should have same currency code for all the amount fields in the breakdown.",
            `${field}/amount/breakdown/${key}/currency_code`
          )
        }
        total += BREAKDOWN_SUBTRACT.includes(key) ? -part.minor : part.minor
      }
    }
    if (total !== amount.minor) {
      throw unprocessable(
        "AMOUNT_MISMATCH",
        "Should equal item_total + tax_total + shipping + handling + insurance - shipping_discount - discount.",
        `${field}/amount/value`
      )
    }
  }
  const items = Array.isArray(pu.items) ? pu.items : undefined
  if (items && breakdown?.item_total !== undefined) {
    let sum = 0
    items.forEach((item, i) => {
      const it = item as Record<string, unknown>
      const unit = parseMoney(it.unit_amount, `${field}/items/${i}/unit_amount`)
      sum += unit.minor * Number(it.quantity ?? 1)
    })
    if (sum !== parseMoney(breakdown.item_total, `${field}/amount/breakdown/item_total`).minor) {
      throw unprocessable(
        "ITEM_TOTAL_MISMATCH",
        "Should equal sum of (unit_amount * quantity) across all items for a given purchase_unit.",
        `${field}/amount/breakdown/item_total/value`
      )
    }
  }
  return {
    referenceId: referenceId ?? "default",
    currency: amount.currency,
    amountMinor: amount.minor,
    breakdown,
    description: optionalString(pu, "description"),
    customId: optionalString(pu, "custom_id"),
    invoiceId: optionalString(pu, "invoice_id"),
    softDescriptor: optionalString(pu, "soft_descriptor"),
    items,
    shipping: pu.shipping,
    authorizationIds: [],
    captureIds: [],
  }
}

export function findOrder(pp: PayPalFakeContext, id: string): OrderRecord {
  const order = pp.state.orders.get(id)
  if (!order) {
    throw notFound(`Specified resource ID does not exist. Please check the resource ID and try again.`)
  }
  for (const pu of order.purchaseUnits) {
    for (const authId of pu.authorizationIds) {
      const a = pp.state.authorizations.get(authId)
      if (a) {
        refreshAuthorization(pp, a)
      }
    }
  }
  return order
}

function assertPayable(order: OrderRecord, action: "AUTHORIZE" | "CAPTURE"): void {
  if (order.intent !== action) {
    throw unprocessable(
      "ACTION_DOES_NOT_MATCH_INTENT",
      `Order was created with an intent to '${order.intent}'. Please use /v2/checkout/orders/${order.id}/${order.intent === "AUTHORIZE" ? "authorize" : "capture"} to complete the transaction.`
    )
  }
  switch (order.status) {
    case "CREATED":
      throw unprocessable(
        "ORDER_NOT_APPROVED",
        "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request."
      )
    case "COMPLETED":
      throw action === "AUTHORIZE"
        ? unprocessable(
            "ORDER_ALREADY_AUTHORIZED",
            "Order already authorized. If 'intent=AUTHORIZE' only one authorization per order is allowed."
          )
        : unprocessable(
            "ORDER_ALREADY_CAPTURED",
            "Order already captured. If 'intent=CAPTURE' only one capture per order is allowed."
          )
    case "VOIDED":
      throw unprocessable("ORDER_COMPLETED_OR_VOIDED", "Order is voided or completed and hence cannot be processed.")
  }
}

function orderAnswer(
  pp: PayPalFakeContext,
  req: SandboxRequest,
  status: number,
  order: OrderRecord,
  withPayments: boolean
): SandboxResponse {
  return {
    status,
    body: wantsRepresentation(req) ? pp.render.order(order) : pp.render.orderMinimal(order, withPayments),
  }
}

/** The payer PayPal reports once the buyer approved (the control route can pass its own). */
export function defaultPayer(): Record<string, unknown> {
  return {
    name: { given_name: "John", surname: "Doe" },
    email_address: "sb-buyer@personal.example.com",
    payer_id: paypalId().slice(0, 13),
    address: { country_code: "US" },
  }
}

function applyPatch(order: OrderRecord, ops: unknown): void {
  if (!Array.isArray(ops)) {
    throw invalidRequest(
      "INVALID_PARAMETER_SYNTAX",
      "The request body must be a JSON Patch array of {op, path, value}."
    )
  }
  const fields: Record<string, keyof PurchaseUnitRecord> = {
    custom_id: "customId",
    invoice_id: "invoiceId",
    description: "description",
    soft_descriptor: "softDescriptor",
    items: "items",
    shipping: "shipping",
  }
  ops.forEach((raw, i) => {
    const op = raw as { op?: string; path?: string; value?: unknown }
    if (!op || !["add", "replace", "remove"].includes(op.op ?? "") || typeof op.path !== "string") {
      throw invalidRequest(
        "INVALID_PATCH_OPERATION",
        "The operation cannot be honored. Use add, replace or remove with a path.",
        `/${i}/op`
      )
    }
    if (op.path === "/intent") {
      if (op.value !== "AUTHORIZE" && op.value !== "CAPTURE") {
        throw invalidRequest("INVALID_PARAMETER_VALUE", "The value of a field is invalid.", `/${i}/value`)
      }
      order.intent = op.value
      return
    }
    const match = /^\/purchase_units\/@reference_id=='([^']*)'\/([a-z_]+)$/.exec(op.path)
    const pu = match && order.purchaseUnits.find((p) => p.referenceId === match[1])
    if (!match || !pu) {
      throw unprocessable(
        "INVALID_JSON_POINTER_FORMAT",
        `Path ${op.path} should be of the form /purchase_units/@reference_id=='<id>'/<field>.`,
        `/${i}/path`
      )
    }
    const field = match[2]
    if (field === "amount") {
      const parsed = parsePurchaseUnit({ reference_id: pu.referenceId, amount: op.value }, 0, false)
      pu.amountMinor = parsed.amountMinor
      pu.currency = parsed.currency
      pu.breakdown = parsed.breakdown
      return
    }
    const key = fields[field]
    if (!key) {
      throw unprocessable(
        "PATCH_PATH_NOT_SUPPORTED",
        `Patching ${field} is not supported by the sandbox.`,
        `/${i}/path`
      )
    }
    ;(pu as unknown as Record<string, unknown>)[key] = op.op === "remove" ? undefined : op.value
  })
}

export function registerOrderRoutes(api: Router, pp: PayPalFakeContext): void {
  const { state, render, events } = pp

  api.post("/v2/checkout/orders", (req) => {
    const intent = req.body.intent
    if (intent !== "AUTHORIZE" && intent !== "CAPTURE") {
      throw invalidRequest(
        "INVALID_PARAMETER_VALUE",
        "The value of a field is invalid: intent must be CAPTURE or AUTHORIZE.",
        "/intent"
      )
    }
    const units = req.body.purchase_units
    if (!Array.isArray(units) || units.length === 0) {
      throw invalidRequest("MISSING_REQUIRED_PARAMETER", "A required field / parameter is missing.", "/purchase_units")
    }
    if (units.length > 10) {
      throw invalidRequest(
        "INVALID_ARRAY_MAX_ITEMS",
        "The number of items in an array parameter is too large (at most 10).",
        "/purchase_units"
      )
    }
    const purchaseUnits = units.map((pu, i) => parsePurchaseUnit(pu, i, units.length > 1))
    const refs = new Set(purchaseUnits.map((pu) => pu.referenceId))
    if (refs.size !== purchaseUnits.length) {
      throw unprocessable(
        "DUPLICATE_REFERENCE_ID",
        "reference_id must be unique if multiple purchase_unit are provided.",
        "/purchase_units"
      )
    }
    const now = pp.now()
    const order: OrderRecord = {
      id: paypalId(),
      intent,
      status: "CREATED",
      purchaseUnits,
      paymentSource: (req.body.payment_source as Record<string, unknown> | undefined) ?? undefined,
      declineInstrument: false,
      createTime: now,
      updateTime: now,
    }
    state.orders.set(order.id, order)
    return orderAnswer(pp, req, 201, order, false)
  })

  api.get("/v2/checkout/orders/:id", (req) => ({ status: 200, body: render.order(findOrder(pp, req.params.id)) }))

  api.patch("/v2/checkout/orders/:id", (req) => {
    const order = findOrder(pp, req.params.id)
    if (order.status !== "CREATED" && order.status !== "APPROVED") {
      throw unprocessable("ORDER_COMPLETED_OR_VOIDED", "Order is voided or completed and hence cannot be processed.")
    }
    let ops: unknown
    try {
      ops = JSON.parse(req.rawBody.toString("utf8") || "null")
    } catch {
      throw invalidRequest("MALFORMED_REQUEST_JSON", "The request JSON is not well formed.")
    }
    applyPatch(order, ops)
    order.updateTime = pp.now()
    return { status: 204 }
  })

  api.post("/v2/checkout/orders/:id/authorize", (req) => {
    const order = findOrder(pp, req.params.id)
    assertPayable(order, "AUTHORIZE")
    if (order.declineInstrument) {
      throw unprocessable(
        "INSTRUMENT_DECLINED",
        "The instrument presented was either declined by the processor or bank, or it can't be used for this payment."
      )
    }
    const now = pp.now()
    const created: AuthorizationRecord[] = order.purchaseUnits.map((pu) => {
      const a: AuthorizationRecord = {
        id: paypalId(),
        orderId: order.id,
        referenceId: pu.referenceId,
        currency: pu.currency,
        amountMinor: pu.amountMinor,
        status: "CREATED",
        customId: pu.customId,
        invoiceId: pu.invoiceId,
        createTime: now,
        updateTime: now,
        expirationTime: now + AUTHORIZATION_VALIDITY_DAYS * DAY_MS,
        windowStart: now,
        captureIds: [],
        capturedMinor: 0,
      }
      state.authorizations.set(a.id, a)
      pu.authorizationIds.push(a.id)
      return a
    })
    order.status = "COMPLETED"
    order.updateTime = now
    created.forEach((a) => events.authorizationCreated(a))
    return orderAnswer(pp, req, 201, order, true)
  })

  api.post("/v2/checkout/orders/:id/capture", (req) => {
    const order = findOrder(pp, req.params.id)
    assertPayable(order, "CAPTURE")
    const now = pp.now()
    const created: CaptureRecord[] = order.purchaseUnits.map((pu) => {
      const c: CaptureRecord = {
        id: paypalId(),
        orderId: order.id,
        currency: pu.currency,
        amountMinor: pu.amountMinor,
        status: order.declineInstrument ? "DECLINED" : "COMPLETED",
        finalCapture: true,
        customId: pu.customId,
        invoiceId: pu.invoiceId,
        softDescriptor: pu.softDescriptor,
        createTime: now,
        updateTime: now,
        refundIds: [],
        refundedMinor: 0,
        disputeIds: [],
        reversed: false,
      }
      state.captures.set(c.id, c)
      pu.captureIds.push(c.id)
      return c
    })
    order.status = "COMPLETED"
    order.updateTime = now
    created.forEach((c) => (c.status === "DECLINED" ? events.captureDeclined(c) : events.captureCompleted(c)))
    return orderAnswer(pp, req, 201, order, true)
  })
}

/** The buyer approves the order in PayPal's popup. */
export function approveOrder(pp: PayPalFakeContext, order: OrderRecord, payer?: Record<string, unknown>): OrderRecord {
  if (order.status !== "CREATED") {
    throw new Error(`Order ${order.id} is ${order.status}; only a CREATED order can be approved.`)
  }
  order.status = "APPROVED"
  order.payer = payer ?? order.payer ?? defaultPayer()
  order.paymentSource ??= {
    paypal: {
      email_address: order.payer.email_address ?? "sb-buyer@personal.example.com",
      account_id: order.payer.payer_id ?? "SANDBOXBUYER1",
      account_status: "VERIFIED",
      name: order.payer.name ?? { given_name: "John", surname: "Doe" },
      address: { country_code: "US" },
    },
  }
  order.updateTime = pp.now()
  pp.events.orderApproved(order)
  return order
}
