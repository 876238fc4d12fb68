/** Renders the fake's records as PayPal's JSON (snake_case, amounts as decimal strings, HATEOAS links). */
import { money, type MoneyJson } from "./money"
import type {
  AuthorizationRecord,
  CaptureRecord,
  DisputeRecord,
  OrderRecord,
  PayPalState,
  PurchaseUnitRecord,
  RefundRecord,
} from "./state"

export interface LinkJson {
  href: string
  rel: string
  method: "GET" | "POST" | "PATCH" | "DELETE"
}

export interface AuthorizationJson {
  id: string
  status: string
  amount: MoneyJson
  invoice_id?: string
  custom_id?: string
  seller_protection: { status: string; dispute_categories: string[] }
  expiration_time: string
  create_time: string
  update_time: string
  links: LinkJson[]
  supplementary_data?: { related_ids: { order_id: string } }
}

export interface CaptureJson {
  id: string
  status: string
  amount: MoneyJson
  final_capture: boolean
  invoice_id?: string
  custom_id?: string
  seller_protection: { status: string; dispute_categories: string[] }
  seller_receivable_breakdown: { gross_amount: MoneyJson; paypal_fee: MoneyJson; net_amount: MoneyJson }
  create_time: string
  update_time: string
  links: LinkJson[]
  supplementary_data?: { related_ids: { order_id: string; authorization_id?: string } }
}

export interface RefundJson {
  id: string
  status: string
  amount: MoneyJson
  invoice_id?: string
  custom_id?: string
  note_to_payer?: string
  seller_payable_breakdown: {
    gross_amount: MoneyJson
    paypal_fee: MoneyJson
    net_amount: MoneyJson
    total_refunded_amount: MoneyJson
  }
  create_time: string
  update_time: string
  links: LinkJson[]
}

export interface OrderJson {
  id: string
  intent?: string
  status: string
  purchase_units?: Record<string, unknown>[]
  payer?: Record<string, unknown>
  payment_source?: Record<string, unknown>
  create_time?: string
  update_time?: string
  links: LinkJson[]
}

export interface DisputeJson {
  dispute_id: string
  create_time: string
  update_time: string
  disputed_transactions: Record<string, unknown>[]
  reason: string
  status: string
  dispute_amount: MoneyJson
  dispute_outcome?: { outcome_code: string; amount_refunded?: MoneyJson }
  dispute_life_cycle_stage: string
  dispute_channel: string
  seller_response_due_date: string
  links: LinkJson[]
}

/** PayPal's timestamp format: ISO 8601 in UTC, no milliseconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")
}

const SELLER_PROTECTION = { status: "ELIGIBLE", dispute_categories: ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"] }

/** PayPal's fee on a capture in the sandbox: 3.49% + 0.49 (0 for zero-decimal currencies' fixed part). */
export function paypalFee(minor: number, currency: string): number {
  const fixed = currency === "JPY" || currency === "HUF" || currency === "TWD" ? 0 : 49
  return Math.round(minor * 0.0349) + fixed
}

export class PayPalRenderer {
  constructor(
    private readonly state: PayPalState,
    /** The base URL of the fake's API (`http://127.0.0.1:<port>/paypal`), used for HATEOAS links. */
    private readonly apiBase: () => string
  ) {}

  link(path: string, rel: string, method: LinkJson["method"] = "GET"): LinkJson {
    return { href: `${this.apiBase()}${path}`, rel, method }
  }

  approveUrl(order: OrderRecord): string {
    return `https://www.sandbox.paypal.com/checkoutnow?token=${order.id}`
  }

  orderLinks(order: OrderRecord): LinkJson[] {
    const self = `/v2/checkout/orders/${order.id}`
    const links = [this.link(self, "self")]
    if (order.status === "CREATED") {
      links.push({ href: this.approveUrl(order), rel: "approve", method: "GET" })
      links.push(this.link(self, "update", "PATCH"))
    } else if (order.status === "APPROVED") {
      links.push(this.link(self, "update", "PATCH"))
      links.push(
        this.link(
          `${self}/${order.intent === "AUTHORIZE" ? "authorize" : "capture"}`,
          order.intent === "AUTHORIZE" ? "authorize" : "capture",
          "POST"
        )
      )
    }
    return links
  }

  order(order: OrderRecord): OrderJson {
    return {
      id: order.id,
      intent: order.intent,
      status: order.status,
      ...(order.paymentSource ? { payment_source: order.paymentSource } : {}),
      purchase_units: order.purchaseUnits.map((pu) => this.purchaseUnit(pu)),
      ...(order.payer ? { payer: order.payer } : {}),
      create_time: isoTime(order.createTime),
      update_time: isoTime(order.updateTime),
      links: this.orderLinks(order),
    }
  }

  /** `Prefer: return=minimal`: id, status, links, and the payments made by an authorize or capture call. */
  orderMinimal(order: OrderRecord, withPayments: boolean): OrderJson {
    const out: OrderJson = { id: order.id, status: order.status, links: this.orderLinks(order) }
    if (withPayments) {
      out.purchase_units = order.purchaseUnits.map((pu) => ({
        reference_id: pu.referenceId,
        payments: this.payments(pu),
      }))
      if (order.payer) {
        out.payer = order.payer
      }
    }
    return out
  }

  purchaseUnit(pu: PurchaseUnitRecord): Record<string, unknown> {
    const payments = this.payments(pu)
    return {
      reference_id: pu.referenceId,
      amount: { ...money(pu.amountMinor, pu.currency), ...(pu.breakdown ? { breakdown: pu.breakdown } : {}) },
      payee: { email_address: "sandbox-merchant@example.com", merchant_id: "SANDBOXMERCHANT1" },
      ...(pu.description !== undefined ? { description: pu.description } : {}),
      ...(pu.customId !== undefined ? { custom_id: pu.customId } : {}),
      ...(pu.invoiceId !== undefined ? { invoice_id: pu.invoiceId } : {}),
      ...(pu.softDescriptor !== undefined ? { soft_descriptor: pu.softDescriptor } : {}),
      ...(pu.items ? { items: pu.items } : {}),
      ...(pu.shipping ? { shipping: pu.shipping } : {}),
      ...(payments ? { payments } : {}),
    }
  }

  private payments(pu: PurchaseUnitRecord): Record<string, unknown> | undefined {
    if (pu.authorizationIds.length === 0 && pu.captureIds.length === 0) {
      return undefined
    }
    const out: Record<string, unknown> = {}
    const auths = pu.authorizationIds
      .map((id) => this.state.authorizations.get(id))
      .filter((a): a is AuthorizationRecord => !!a)
    if (auths.length) {
      out.authorizations = auths.map((a) => {
        const { supplementary_data: _drop, ...rest } = this.authorization(a)
        return rest
      })
    }
    const captures = pu.captureIds.map((id) => this.state.captures.get(id)).filter((c): c is CaptureRecord => !!c)
    if (captures.length) {
      out.captures = captures.map((c) => {
        const { supplementary_data: _drop, ...rest } = this.capture(c)
        return rest
      })
      const refunds = captures
        .flatMap((c) => c.refundIds.map((id) => this.state.refunds.get(id)))
        .filter((r): r is RefundRecord => !!r)
      if (refunds.length) {
        out.refunds = refunds.map((r) => this.refund(r))
      }
    }
    return out
  }

  authorization(a: AuthorizationRecord): AuthorizationJson {
    const self = `/v2/payments/authorizations/${a.id}`
    const links = [this.link(self, "self")]
    if (a.status === "CREATED" || a.status === "PARTIALLY_CAPTURED") {
      links.push(this.link(`${self}/capture`, "capture", "POST"), this.link(`${self}/void`, "void", "POST"))
      if (a.status === "CREATED") {
        links.push(this.link(`${self}/reauthorize`, "reauthorize", "POST"))
      }
    }
    links.push(this.link(`/v2/checkout/orders/${a.orderId}`, "up"))
    return {
      id: a.id,
      status: a.status,
      amount: money(a.amountMinor, a.currency),
      ...(a.invoiceId !== undefined ? { invoice_id: a.invoiceId } : {}),
      ...(a.customId !== undefined ? { custom_id: a.customId } : {}),
      seller_protection: SELLER_PROTECTION,
      supplementary_data: { related_ids: { order_id: a.orderId } },
      expiration_time: isoTime(a.expirationTime),
      create_time: isoTime(a.createTime),
      update_time: isoTime(a.updateTime),
      links,
    }
  }

  capture(c: CaptureRecord): CaptureJson {
    const self = `/v2/payments/captures/${c.id}`
    const links = [this.link(self, "self")]
    if (c.status === "COMPLETED" || c.status === "PARTIALLY_REFUNDED") {
      links.push(this.link(`${self}/refund`, "refund", "POST"))
    }
    links.push(
      c.authorizationId
        ? this.link(`/v2/payments/authorizations/${c.authorizationId}`, "up")
        : this.link(`/v2/checkout/orders/${c.orderId}`, "up")
    )
    const fee = paypalFee(c.amountMinor, c.currency)
    return {
      id: c.id,
      status: c.status,
      amount: money(c.amountMinor, c.currency),
      final_capture: c.finalCapture,
      ...(c.invoiceId !== undefined ? { invoice_id: c.invoiceId } : {}),
      ...(c.customId !== undefined ? { custom_id: c.customId } : {}),
      seller_protection: SELLER_PROTECTION,
      seller_receivable_breakdown: {
        gross_amount: money(c.amountMinor, c.currency),
        paypal_fee: money(fee, c.currency),
        net_amount: money(c.amountMinor - fee, c.currency),
      },
      supplementary_data: {
        related_ids: { order_id: c.orderId, ...(c.authorizationId ? { authorization_id: c.authorizationId } : {}) },
      },
      create_time: isoTime(c.createTime),
      update_time: isoTime(c.updateTime),
      links,
    }
  }

  refund(r: RefundRecord): RefundJson {
    const capture = this.state.captures.get(r.captureId)
    const refundedSoFar = capture
      ? capture.refundIds
          .slice(0, capture.refundIds.indexOf(r.id) + 1)
          .reduce((sum, id) => sum + (this.state.refunds.get(id)?.amountMinor ?? 0), 0)
      : r.amountMinor
    return {
      id: r.id,
      status: r.status,
      amount: money(r.amountMinor, r.currency),
      ...(r.invoiceId !== undefined ? { invoice_id: r.invoiceId } : {}),
      ...(r.customId !== undefined ? { custom_id: r.customId } : {}),
      ...(r.noteToPayer !== undefined ? { note_to_payer: r.noteToPayer } : {}),
      seller_payable_breakdown: {
        gross_amount: money(r.amountMinor, r.currency),
        paypal_fee: money(0, r.currency),
        net_amount: money(r.amountMinor, r.currency),
        total_refunded_amount: money(refundedSoFar, r.currency),
      },
      create_time: isoTime(r.createTime),
      update_time: isoTime(r.updateTime),
      links: [
        this.link(`/v2/payments/refunds/${r.id}`, "self"),
        this.link(`/v2/payments/captures/${r.captureId}`, "up"),
      ],
    }
  }

  dispute(d: DisputeRecord): DisputeJson {
    const capture = this.state.captures.get(d.captureId)
    const refund = d.refundId ? this.state.refunds.get(d.refundId) : undefined
    return {
      dispute_id: d.id,
      create_time: isoTime(d.createTime),
      update_time: isoTime(d.updateTime),
      disputed_transactions: [
        {
          seller_transaction_id: d.captureId,
          create_time: capture ? isoTime(capture.createTime) : isoTime(d.createTime),
          transaction_status: capture?.status ?? "COMPLETED",
          gross_amount: capture ? money(capture.amountMinor, capture.currency) : money(d.amountMinor, d.currency),
          ...(capture?.invoiceId !== undefined ? { invoice_number: capture.invoiceId } : {}),
          ...(capture?.customId !== undefined ? { custom: capture.customId } : {}),
          seller: { merchant_id: "SANDBOXMERCHANT1", name: "Sandbox Merchant" },
        },
      ],
      reason: d.reason,
      status: d.status,
      dispute_amount: money(d.amountMinor, d.currency),
      ...(d.outcome
        ? {
            dispute_outcome: {
              outcome_code: d.outcome,
              ...(refund ? { amount_refunded: money(refund.amountMinor, refund.currency) } : {}),
            },
          }
        : {}),
      dispute_life_cycle_stage: "INQUIRY",
      dispute_channel: "INTERNAL",
      seller_response_due_date: isoTime(d.sellerResponseDueTime),
      links: [this.link(`/v1/customer/disputes/${d.id}`, "self")],
    }
  }
}
