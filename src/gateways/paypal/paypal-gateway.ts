import {
  CheckoutPaymentIntent,
  OrdersController,
  PatchOp,
  PaymentsController,
  type Client,
  type LinkDescription,
  type Money,
  type OAuthToken,
  type Order,
  type Refund,
} from "@paypal/paypal-server-sdk"
import { minorFromPayPalValue, payPalValueFromMinor } from "../../utils/money"
import { isOpenDisputeStatus, normaliseDisputeReason, normalisePayPalDisputeStatus } from "../dispute-status"
import { GatewayError, isGatewayError } from "../errors"
import { withRetries } from "../retry"
import type {
  CapturePaymentInput,
  CreatePaymentInput,
  GatewayCapture,
  GatewayDispute,
  GatewayPayment,
  GatewayRefund,
  PaymentGateway,
  RefundPaymentInput,
} from "../types"
import { createPayPalClient, payPalApiBaseUrl } from "./paypal-client"
import { fromPayPalError, isRetryablePayPalError, readPayPalFailure } from "./paypal-errors"
import { payPalPaymentStatus } from "./paypal-status"

export interface PayPalGatewayOptions {
  clientId: string
  clientSecret: string
  environment: "sandbox" | "live"
  apiBaseUrl?: string
  timeoutMs: number
  maxNetworkRetries: number
}

/**
 * Prefix of the `invoice_id` the plugin puts on its own refunds (`mpo-refund-<idempotency key>`), so that refunds
 * it issued are recognisable in webhooks and listings. The refund's `custom_id` is left alone: PayPal copies the
 * purchase unit's `custom_id` (the Medusa session id) onto it, which is how refund webhooks map back.
 */
export const PLUGIN_REFUND_INVOICE_PREFIX = "mpo-"

/** The only purchase unit the plugin creates. */
const REFERENCE_ID = "default"
const REPRESENTATION = "return=representation"
/**
 * PayPal's honor period: for 3 days after an authorization (and after a reauthorization) PayPal guarantees its funds,
 * and refuses to reauthorize it (payments_payment_v2 `authorizations.reauthorize`: "after its initial three-day honor
 * period expires"; see docs/psp-conformance.md).
 */
export const PAYPAL_HONOR_PERIOD_MS = 3 * 24 * 60 * 60 * 1000

/** What an authorization, a capture and a refund look like in PayPal's camelCased SDK models. */
interface PayPalAuthorization {
  id?: string
  status?: string
  amount?: Money
  expirationTime?: string
  createTime?: string
  invoiceId?: string
  customId?: string
}
interface PayPalCapture {
  id?: string
  status?: string
  amount?: Money
  finalCapture?: boolean
  invoiceId?: string
  customId?: string
  createTime?: string
  links?: LinkDescription[]
}

/**
 * The PayPal adapter: Orders v2 (create, patch, authorize or capture after the buyer's approval) and Payments v2
 * (partial and repeated captures of the authorization, void, refunds per capture). Every POST carries a
 * PayPal-Request-Id (the idempotency key); network errors, timeouts, 5xx and 409 are retried here with backoff and
 * the same id, since the SDK's retries are off.
 */
export class PayPalGateway implements PaymentGateway {
  readonly name = "paypal" as const
  readonly client: Client
  private readonly orders: OrdersController
  private readonly payments: PaymentsController
  private disputesToken: OAuthToken | undefined

  constructor(
    readonly options: PayPalGatewayOptions,
    client?: Client
  ) {
    this.client = client ?? createPayPalClient(options)
    this.orders = new OrdersController(this.client)
    this.payments = new PaymentsController(this.client)
  }

  async createPayment(input: CreatePaymentInput): Promise<GatewayPayment> {
    // Outside `run`: an amount PayPal cannot carry is refused before any call, not read as a lost answer.
    const orderAmount = payPalAmount(input.amount, input.currency)
    const order = await this.run("create the PayPal order", () =>
      this.orders.createOrder({
        paypalRequestId: input.idempotency_key,
        prefer: REPRESENTATION,
        body: {
          intent: input.capture === "automatic" ? CheckoutPaymentIntent.Capture : CheckoutPaymentIntent.Authorize,
          purchaseUnits: [
            {
              referenceId: REFERENCE_ID,
              amount: orderAmount,
              ...(input.session_id ? { customId: input.session_id } : {}),
              ...(input.custom_reference ? { invoiceId: input.custom_reference } : {}),
              ...(input.description ? { description: input.description.slice(0, 127) } : {}),
              ...(input.statement_descriptor ? { softDescriptor: input.statement_descriptor } : {}),
            },
          ],
        },
      })
    )
    return toPayment(order)
  }

  /** PATCHes the purchase unit's amount (allowed while the order is CREATED or APPROVED), then reads the order. */
  async updatePaymentAmount(reference: string, amount: number, currency: string): Promise<GatewayPayment> {
    const { currencyCode, value } = payPalAmount(amount, currency)
    await this.run("update the PayPal order amount", () =>
      this.orders.patchOrder({
        id: reference,
        body: [
          {
            op: PatchOp.Replace,
            path: `/purchase_units/@reference_id=='${REFERENCE_ID}'/amount`,
            value: { currency_code: currencyCode, value },
          },
        ],
      })
    )
    return this.retrievePayment(reference)
  }

  /**
   * Completes the payment once the buyer approved: authorizes the order (intent AUTHORIZE) or captures it (intent
   * CAPTURE). Before approval it answers `pending`; an order already completed is only read.
   */
  async authorizePayment(reference: string, idempotencyKey: string): Promise<GatewayPayment> {
    const order = await this.getOrder(reference)
    if (order.status !== "APPROVED") {
      return this.withAuthorization(order)
    }
    const completed =
      order.intent === CheckoutPaymentIntent.Capture
        ? await this.run("capture the approved PayPal order", () =>
            this.orders.captureOrder({ id: reference, paypalRequestId: idempotencyKey, prefer: REPRESENTATION })
          )
        : await this.run("authorize the approved PayPal order", () =>
            this.orders.authorizeOrder({ id: reference, paypalRequestId: idempotencyKey, prefer: REPRESENTATION })
          )
    return toPayment(completed as Order)
  }

  async retrievePayment(reference: string): Promise<GatewayPayment> {
    return this.withAuthorization(await this.getOrder(reference))
  }

  /**
   * Captures part or all of the authorization. The amount is checked against what remains authorized before the
   * capture call (PayPal itself would accept up to 115%). Invoice ids: PayPal wants a unique `invoice_id` per
   * transaction, so the first capture carries the custom reference and the n-th one `<reference>-<n>`.
   */
  async capturePayment(input: CapturePaymentInput): Promise<{ capture: GatewayCapture; payment: GatewayPayment }> {
    const order = await this.getOrder(input.reference)
    const unit = purchaseUnit(order)
    const current = await this.withAuthorization(order)

    if (order.intent === CheckoutPaymentIntent.Capture) {
      // Captured at approval: a capture request matching that capture is its record, nothing else is capturable.
      const existing = current.captures.find((c) => c.status !== "failed" && c.amount === input.amount)
      if (existing) {
        return { capture: existing, payment: current }
      }
      throw new GatewayError(
        "paypal",
        current.captures.length ? "invalid_amount" : "invalid_state",
        current.captures.length
          ? `PayPal order ${order.id} was captured in full at approval (intent CAPTURE): a capture of ${input.amount} does not match it and nothing else can be captured.`
          : `PayPal order ${order.id} (intent CAPTURE) is ${order.status} and has no capture yet: the buyer must approve it and the payment be authorized first.`
      )
    }

    const authorization = latestAuthorization(unit, current.authorization_id)
    if (!authorization?.id) {
      throw new GatewayError(
        "paypal",
        "invalid_state",
        `PayPal order ${order.id} is ${order.status} and has no authorization to capture: the buyer must approve it and the payment be authorized first.`
      )
    }
    if (current.status === "expired") {
      throw new GatewayError(
        "paypal",
        "authorization_expired",
        `The PayPal authorization ${authorization.id} expired on ${authorization.expirationTime ?? "its expiration date"} before it was captured, so PayPal released the funds and nothing can be captured. ` +
          "Next: cancel the payment in Medusa and ask the customer to pay again; PayPal only lets an authorization be reauthorized while it is still valid, from day 4 to day 29 after it was made.",
        { status: null, code: "AUTHORIZATION_EXPIRED", body: authorization }
      )
    }
    if (current.status !== "authorized" && current.status !== "partially_captured") {
      throw new GatewayError(
        "paypal",
        "invalid_state",
        `The PayPal authorization ${authorization.id} is ${authorization.status ?? "in another state"}, so it cannot be captured.`,
        { status: null, code: authorization.status ?? null, body: authorization }
      )
    }
    const remaining = current.amount_capturable
    if (input.amount <= 0 || input.amount > remaining) {
      throw new GatewayError(
        "paypal",
        "invalid_amount",
        `Cannot capture ${input.amount} (minor units of ${current.currency.toUpperCase()}) on PayPal authorization ${authorization.id}: only ${remaining} remains authorized. PayPal would accept up to 115%, but the plugin never captures more than was authorized.`
      )
    }

    const sequence = current.captures.length + 1
    const invoiceId = input.custom_reference
      ? (sequence === 1 ? input.custom_reference : `${input.custom_reference}-${sequence}`).slice(0, 127)
      : undefined
    const captureAmount = payPalAmount(input.amount, input.currency)
    const captured = await this.run("capture the PayPal authorization", () =>
      this.payments.captureAuthorizedPayment({
        authorizationId: authorization.id!,
        paypalRequestId: input.idempotency_key,
        prefer: REPRESENTATION,
        body: {
          amount: captureAmount,
          finalCapture: input.final,
          ...(invoiceId ? { invoiceId } : {}),
          ...(input.statement_descriptor ? { softDescriptor: input.statement_descriptor.slice(0, 22) } : {}),
        },
      })
    )
    const capture = toCapture(captured, current.currency)
    if (capture.status === "failed") {
      throw new GatewayError(
        "paypal",
        "declined",
        `PayPal declined the capture ${capture.id} (${captured.status}): ask the customer for another payment method.`,
        { status: 201, code: captured.status ?? null, body: captured }
      )
    }
    return { capture, payment: await this.retrievePayment(input.reference) }
  }

  /**
   * Voids the authorization. An order that was never authorized holds no money: it is only read (to catch an
   * authorization Medusa did not record) and answered as canceled, with no void call. A second void is a success.
   */
  async cancelPayment(
    reference: string,
    authorizationId: string | null,
    idempotencyKey: string
  ): Promise<GatewayPayment> {
    const order = await this.getOrder(reference)
    const unit = purchaseUnit(order)
    const authorization = latestAuthorization(unit, authorizationId)
    if (!authorization?.id) {
      if ((unit.payments?.captures ?? []).length > 0) {
        throw new GatewayError(
          "paypal",
          "invalid_state",
          `PayPal order ${order.id} was captured at approval (intent CAPTURE): it cannot be canceled; refund it instead.`
        )
      }
      return { ...toPayment(order), status: "canceled" }
    }
    try {
      await this.run("void the PayPal authorization", () =>
        this.payments.voidPayment({
          authorizationId: authorization.id!,
          paypalRequestId: idempotencyKey,
          prefer: REPRESENTATION,
        })
      )
    } catch (e) {
      const code = (e as GatewayError).psp?.code
      // Already voided (a retry, or voided in the dashboard) or already expired: the funds are released either way.
      if (code !== "PREVIOUSLY_VOIDED" && code !== "AUTHORIZATION_VOIDED" && code !== "AUTHORIZATION_EXPIRED") {
        throw e
      }
    }
    return this.retrievePayment(reference)
  }

  /**
   * Reauthorizes an uncaptured authorization (Payments v2 reauthorize, with `PayPal-Request-Id`): PayPal allows it from
   * day 4 to day 29 after the original authorization, for up to 115% of it, and answers with a NEW authorization that
   * later captures must use. The payment comes back with that id in `authorization_id`. PayPal's refusals (honor
   * period, already reauthorized, not allowed) become `invalid_state` errors that say what to do instead.
   */
  async reauthorizePayment(
    reference: string,
    authorizationId: string | null,
    amount: number,
    currency: string,
    idempotencyKey: string
  ): Promise<GatewayPayment> {
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      throw new GatewayError(
        "paypal",
        "invalid_amount",
        `Cannot reauthorize ${amount} (minor units of ${currency.toUpperCase()}) with PayPal: the amount must be a whole number of minor units above zero. Nothing was sent to PayPal.`
      )
    }
    const order = await this.getOrder(reference)
    const unit = purchaseUnit(order)
    // A named authorization is reauthorized as named (PayPal refuses a voided or captured one); none: the latest live.
    const authorization = authorizationId
      ? ((unit.payments?.authorizations ?? []) as PayPalAuthorization[]).find((a) => a.id === authorizationId)
      : latestAuthorization(unit, null)
    if (!authorization?.id) {
      throw new GatewayError(
        "paypal",
        authorizationId ? "invalid_request" : "invalid_state",
        authorizationId
          ? `PayPal order ${order.id} has no authorization ${authorizationId}, so it was not reauthorized: name one of the order's own authorizations.`
          : `PayPal order ${order.id} is ${order.status} and has no authorization to reauthorize: the buyer must approve it and the payment be authorized first.`
      )
    }
    const reauthorizeAmount = payPalAmount(amount, currency)
    const fresh = await this.run("reauthorize the PayPal authorization", () =>
      this.payments.reauthorizePayment({
        authorizationId: authorization.id!,
        paypalRequestId: idempotencyKey,
        prefer: REPRESENTATION,
        body: { amount: reauthorizeAmount },
      })
    )
    if (!fresh.id) {
      throw new GatewayError(
        "paypal",
        "unknown_outcome",
        `PayPal's answer to the reauthorization of ${authorization.id} named no new authorization: the outcome at PayPal is unknown. Read the order again, or retry with the same PayPal-Request-Id.`
      )
    }
    // A minimal answer (id, status, links) lacks the amount and the expiry: read the new authorization then.
    const renewed: PayPalAuthorization =
      fresh.amount && fresh.expirationTime
        ? fresh
        : await this.run("read the new PayPal authorization", () =>
            this.payments.getAuthorizedPayment({ authorizationId: fresh.id! })
          )
    return toPayment(await this.getOrder(reference), renewed)
  }

  /**
   * Refunds one capture. Our refunds carry `invoice_id = mpo-<idempotency key>`; a retry with the same key that
   * finds the capture fully refunded is a success when that refund is ours.
   */
  async refundPayment(input: RefundPaymentInput): Promise<GatewayRefund> {
    if (!input.capture_id) {
      throw new GatewayError(
        "paypal",
        "invalid_request",
        "PayPal refunds a capture: the refund names no PayPal capture id."
      )
    }
    const marker = `${PLUGIN_REFUND_INVOICE_PREFIX}${input.idempotency_key}`.slice(0, 127)
    const note = input.note ?? input.reason ?? undefined
    const refundAmount = payPalAmount(input.amount, input.currency)
    try {
      const refund = await this.run("refund the PayPal capture", () =>
        this.payments.refundCapturedPayment({
          captureId: input.capture_id!,
          paypalRequestId: input.idempotency_key,
          prefer: REPRESENTATION,
          body: {
            amount: refundAmount,
            invoiceId: marker,
            ...(note ? { noteToPayer: note.slice(0, 255) } : {}),
          },
        })
      )
      return toRefund(refund, input.currency, input.capture_id)
    } catch (e) {
      if ((e as GatewayError).psp?.code === "CAPTURE_FULLY_REFUNDED") {
        const ours = (await this.listRefunds(input.reference)).find(
          (r) =>
            r.issued_by_plugin_key === input.idempotency_key &&
            r.capture_id === input.capture_id &&
            r.amount === input.amount
        )
        if (ours) {
          return ours
        }
      }
      throw e
    }
  }

  async listRefunds(reference: string): Promise<GatewayRefund[]> {
    const order = await this.getOrder(reference)
    const unit = purchaseUnit(order)
    const currency = (unit.amount?.currencyCode ?? "").toLowerCase()
    return (unit.payments?.refunds ?? []).map((r) => toRefund(r, currency, null))
  }

  /**
   * One dispute, from Disputes v1 (`GET /v1/customer/disputes/{id}`). The SDK has no Disputes API, so this is a
   * `fetch` with the SDK client's own OAuth token, against the same base URL the SDK talks to.
   */
  async retrieveDispute(id: string): Promise<GatewayDispute> {
    const json = await this.disputesApi<PayPalDisputeJson>(
      `/v1/customer/disputes/${encodeURIComponent(id)}`,
      "read the PayPal dispute"
    )
    return toDispute(json)
  }

  /** The disputes on the order's captures (`disputed_transaction_id` per capture), each read in full. */
  async listDisputes(reference: string): Promise<GatewayDispute[]> {
    const unit = purchaseUnit(await this.getOrder(reference))
    const captureIds = ((unit.payments?.captures ?? []) as PayPalCapture[]).map((c) => c.id).filter(Boolean)
    const disputes: GatewayDispute[] = []
    for (const captureId of captureIds) {
      const list = await this.disputesApi<{ items?: { dispute_id?: string }[] }>(
        `/v1/customer/disputes?disputed_transaction_id=${encodeURIComponent(captureId!)}`,
        "list the PayPal disputes"
      )
      for (const item of list.items ?? []) {
        if (item.dispute_id && !disputes.some((d) => d.id === item.dispute_id)) {
          disputes.push({ ...(await this.retrieveDispute(item.dispute_id)), capture_id: captureId! })
        }
      }
    }
    return disputes.sort((a, b) => b.created_at.localeCompare(a.created_at))
  }

  /**
   * Where a capture belongs, for webhooks that name only the capture (refunds through their `up` link, disputes
   * through `seller_transaction_id`): `supplementary_data.related_ids` (the order, and the authorization when the
   * capture was made from one), which PayPal always gives; `custom_id` is only what the capture call sent, if any.
   */
  async locateCapture(
    captureId: string
  ): Promise<{ session_id: string | null; order_id: string | null; authorization_id: string | null }> {
    const capture = await this.run("read the PayPal capture", () => this.payments.getCapturedPayment({ captureId }))
    const related = capture.supplementaryData?.relatedIds
    return {
      session_id: capture.customId ?? null,
      order_id: related?.orderId ?? null,
      authorization_id: related?.authorizationId ?? authorizationOfLinks(capture.links) ?? null,
    }
  }

  private async disputesApi<T>(path: string, what: string): Promise<T> {
    const url = `${payPalApiBaseUrl(this.options)}${path}`
    const attempt = async (): Promise<T> => {
      this.disputesToken = await this.client.clientCredentialsAuthManager.updateToken(this.disputesToken)
      let response: Response
      try {
        response = await fetch(url, {
          headers: { accept: "application/json", authorization: `Bearer ${this.disputesToken.accessToken}` },
          signal: AbortSignal.timeout(this.options.timeoutMs),
        })
      } catch (e) {
        throw new DisputesTransportError((e as Error).message)
      }
      const text = await response.text()
      if (response.ok) {
        return JSON.parse(text) as T
      }
      if (response.status === 401) {
        this.disputesToken = undefined
      }
      if (response.status >= 500 || response.status === 401 || response.status === 409) {
        throw new DisputesTransportError(`HTTP ${response.status}`)
      }
      const body = safeJson(text) as { name?: string; message?: string } | null
      throw new GatewayError(
        "paypal",
        response.status === 404 ? "invalid_request" : response.status === 403 ? "authentication" : "invalid_request",
        `PayPal refused to ${what} (HTTP ${response.status}${body?.name ? ` ${body.name}` : ""}${body?.message ? `: ${body.message}` : ""}).${response.status === 403 ? " The REST app needs the Disputes permission." : ""}`,
        { status: response.status, code: body?.name ?? null, body }
      )
    }
    try {
      return await withRetries(attempt, (e) => e instanceof DisputesTransportError, {
        maxRetries: this.options.maxNetworkRetries,
      })
    } catch (e) {
      if (isGatewayError(e)) {
        throw e
      }
      throw new GatewayError(
        "paypal",
        "unknown_outcome",
        `PayPal did not answer a request to ${what} (${(e as Error).message}). Nothing was changed; try again later.`
      )
    }
  }

  private getOrder(reference: string): Promise<Order> {
    return this.run("read the PayPal order", () => this.orders.getOrder({ id: reference }))
  }

  /** The payment from the order, with the latest authorization read fresh from Payments v2 when there is one. */
  private async withAuthorization(order: Order): Promise<GatewayPayment> {
    const unit = purchaseUnit(order)
    const embedded = latestAuthorization(unit, null)
    if (!embedded?.id) {
      return toPayment(order)
    }
    const fresh = await this.run("read the PayPal authorization", () =>
      this.payments.getAuthorizedPayment({ authorizationId: embedded.id! })
    )
    return toPayment(order, fresh as PayPalAuthorization)
  }

  /** One SDK call with retries (same PayPal-Request-Id) on network errors, timeouts, 5xx and 409. */
  private async run<T>(what: string, call: () => Promise<{ result: T }>): Promise<T> {
    try {
      const response = await withRetries(call, isRetryablePayPalError, { maxRetries: this.options.maxNetworkRetries })
      return response.result
    } catch (e) {
      throw fromPayPalError(e, what)
    }
  }
}

type PurchaseUnit = NonNullable<Order["purchaseUnits"]>[number]

function purchaseUnit(order: Order): PurchaseUnit {
  const unit = order.purchaseUnits?.find((pu) => pu.referenceId === REFERENCE_ID) ?? order.purchaseUnits?.[0]
  if (!unit) {
    throw new GatewayError("paypal", "invalid_request", `PayPal order ${order.id} has no purchase unit.`)
  }
  return unit
}

/** The authorization to act on: the one named if present, else the newest (a reauthorization comes last). */
function latestAuthorization(unit: PurchaseUnit, preferredId: string | null): PayPalAuthorization | undefined {
  const auths = (unit.payments?.authorizations ?? []) as PayPalAuthorization[]
  const live = auths.filter((a) => a.status === "CREATED" || a.status === "PARTIALLY_CAPTURED")
  return (
    (preferredId ? live.find((a) => a.id === preferredId) : undefined) ??
    live[live.length - 1] ??
    auths[auths.length - 1]
  )
}

function approveUrl(links: LinkDescription[] | undefined): string | undefined {
  return links?.find((l) => l.rel === "approve" || l.rel === "payer-action")?.href
}

function minor(money: Money | undefined, currency: string): number {
  return money?.value ? minorFromPayPalValue(money.value, money.currencyCode || currency) : 0
}

const CAPTURE_COUNTS = new Set(["COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED", "PENDING"])
const REFUND_COUNTS = new Set(["COMPLETED", "PENDING"])

export function toCapture(c: PayPalCapture, currency: string): GatewayCapture {
  const status = c.status ?? ""
  return {
    id: c.id ?? "",
    amount: minor(c.amount, currency),
    status: status === "PENDING" ? "pending" : CAPTURE_COUNTS.has(status) ? "succeeded" : "failed",
    created_at: c.createTime ?? new Date().toISOString(),
  }
}

/** The plugin's view of a PayPal order (and, when given, its authorization as read from Payments v2). */
export function toPayment(order: Order, authorization?: PayPalAuthorization, now: number = Date.now()): GatewayPayment {
  const unit = purchaseUnit(order)
  const currency = (unit.amount?.currencyCode ?? "").toLowerCase()
  const amount = minor(unit.amount, currency)
  const auth = authorization ?? latestAuthorization(unit, null)
  const rawCaptures = (unit.payments?.captures ?? []) as PayPalCapture[]
  const captures = rawCaptures.map((c) => toCapture(c, currency))
  const amountCaptured = rawCaptures
    .filter((c) => CAPTURE_COUNTS.has(c.status ?? ""))
    .reduce((sum, c) => sum + minor(c.amount, currency), 0)
  const amountRefunded = (unit.payments?.refunds ?? [])
    .filter((r) => REFUND_COUNTS.has(r.status ?? ""))
    .reduce((sum, r) => sum + minor(r.amount, currency), 0)
  const orderCapture = auth ? null : rawCaptures[rawCaptures.length - 1]
  const status = payPalPaymentStatus({
    orderStatus: order.status,
    authorization: auth ?? null,
    capture: orderCapture,
    now,
  })
  const authorized = auth ? minor(auth.amount, currency) : 0
  const capturable =
    status === "authorized" || status === "partially_captured" ? Math.max(0, authorized - amountCaptured) : 0
  const failed = status === "failed"
  return {
    gateway: "paypal",
    reference: order.id ?? "",
    authorization_id: auth?.id ?? null,
    status,
    psp_status: auth?.status ?? orderCapture?.status ?? order.status ?? "UNKNOWN",
    currency,
    amount,
    amount_capturable: capturable,
    amount_captured: amountCaptured,
    amount_refunded: amountRefunded,
    captures,
    expires_at: auth?.expirationTime ?? null,
    client: {
      ...(approveUrl(order.links) ? { approve_url: approveUrl(order.links) } : {}),
      ...(order.intent ? { intent: order.intent === CheckoutPaymentIntent.Capture ? "capture" : "authorize" } : {}),
    },
    failure: failed
      ? {
          code: auth?.status ?? orderCapture?.status ?? null,
          message: `PayPal ${auth ? "authorization" : "capture"} ${auth?.status ?? orderCapture?.status}`,
        }
      : null,
    custom_reference: unit.invoiceId ?? null,
    session_id: unit.customId ?? null,
    // PayPal captures an authorization several times (final_capture false) on every account.
    multicapture: true,
    honor_until: honorUntil(auth?.createTime),
    // The order holds an earlier authorization: this one is a reauthorization (the plugin reauthorizes once).
    reauthorized: (unit.payments?.authorizations ?? []).length > 1,
  }
}

/** The end of an authorization's honor period (its `create_time` plus 3 days); null when PayPal gave no time. */
function honorUntil(createTime: string | undefined): string | null {
  const created = createTime ? Date.parse(createTime) : NaN
  return Number.isFinite(created) ? new Date(created + PAYPAL_HONOR_PERIOD_MS).toISOString() : null
}

/** The authorization a capture was made from, from its `up` link (`…/v2/payments/authorizations/<id>`). */
function authorizationOfLinks(links: LinkDescription[] | undefined): string | null {
  const up = links?.find((l) => l.rel === "up")?.href ?? ""
  const match = /\/v2\/payments\/authorizations\/([^/?#]+)/.exec(up)
  return match ? decodeURIComponent(match[1]) : null
}

/** The capture a refund belongs to, from its `up` link (`…/v2/payments/captures/<id>`). */
function captureIdOf(refund: Refund): string | null {
  const up = refund.links?.find((l) => l.rel === "up")?.href ?? ""
  const match = /\/v2\/payments\/captures\/([^/?#]+)/.exec(up)
  return match ? decodeURIComponent(match[1]) : null
}

export function toRefund(refund: Refund, currency: string, captureId: string | null): GatewayRefund {
  const status = refund.status ?? ""
  const invoice = refund.invoiceId ?? ""
  return {
    id: refund.id ?? "",
    amount: minor(refund.amount, currency),
    currency: (refund.amount?.currencyCode ?? currency).toLowerCase(),
    status:
      status === "COMPLETED"
        ? "succeeded"
        : status === "FAILED"
          ? "failed"
          : status === "CANCELLED"
            ? "canceled"
            : "pending",
    capture_id: captureId ?? captureIdOf(refund),
    reason: refund.noteToPayer ?? null,
    created_at: refund.createTime ?? new Date().toISOString(),
    issued_by_plugin_key: invoice.startsWith(PLUGIN_REFUND_INVOICE_PREFIX)
      ? invoice.slice(PLUGIN_REFUND_INVOICE_PREFIX.length)
      : null,
  }
}

/** Exposed for the webhook mapping and tests: PayPal's structured failure of an SDK error. */
export { readPayPalFailure }

/** PayPal's money object for an amount in minor units: the one place the gateway formats amounts for PayPal. */
function payPalAmount(minor: number, currency: string): { currencyCode: string; value: string } {
  return { currencyCode: currency.toUpperCase(), value: payPalValueFromMinor(minor, currency) }
}

/** A dispute as Disputes v1 answers it (snake_case JSON, amounts as PayPal money objects). */
export interface PayPalDisputeJson {
  dispute_id: string
  create_time?: string
  update_time?: string
  reason?: string
  status?: string
  dispute_amount?: { currency_code?: string; value?: string }
  dispute_outcome?: { outcome_code?: string; amount_refunded?: { currency_code?: string; value?: string } }
  seller_response_due_date?: string
  disputed_transactions?: { seller_transaction_id?: string; custom?: string }[]
}

/** A PayPal dispute in the plugin's vocabulary (`dispute-status.ts` maps PayPal's status and outcome words). */
export function toDispute(json: PayPalDisputeJson): GatewayDispute {
  const currency = (json.dispute_amount?.currency_code ?? json.dispute_outcome?.amount_refunded?.currency_code ?? "")
    .trim()
    .toLowerCase()
  const amount = json.dispute_amount?.value ? minorFromPayPalValue(json.dispute_amount.value, currency) : 0
  const status = normalisePayPalDisputeStatus(json.status, json.dispute_outcome?.outcome_code)
  const refunded = json.dispute_outcome?.amount_refunded?.value
  const transaction = json.disputed_transactions?.[0]
  return {
    gateway: "paypal",
    id: json.dispute_id,
    amount,
    currency,
    reason: normaliseDisputeReason(json.reason),
    status,
    psp_status: [json.status, json.dispute_outcome?.outcome_code].filter(Boolean).join(":") || "UNKNOWN",
    open: isOpenDisputeStatus(status),
    amount_lost: status === "lost" ? (refunded ? minorFromPayPalValue(refunded, currency) : amount) : 0,
    evidence_due_by: json.seller_response_due_date ? new Date(json.seller_response_due_date).toISOString() : null,
    created_at: new Date(json.create_time ?? Date.now()).toISOString(),
    capture_id: transaction?.seller_transaction_id ?? null,
    payment_reference: null,
    session_id: transaction?.custom ?? null,
  }
}

/** A network error, timeout, 401 or 5xx from Disputes v1: retried, then an unknown outcome. */
class DisputesTransportError extends Error {}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
