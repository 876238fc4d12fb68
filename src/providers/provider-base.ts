import type {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  BigNumberInput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CapturePaymentInput,
  CapturePaymentOutput,
  DeletePaymentInput,
  DeletePaymentOutput,
  GetPaymentStatusInput,
  GetPaymentStatusOutput,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  Logger,
  ProviderWebhookPayload,
  RefundPaymentInput,
  RefundPaymentOutput,
  RetrievePaymentInput,
  RetrievePaymentOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
  WebhookActionResult,
} from "@medusajs/framework/types"
import { AbstractPaymentProvider, MedusaError, PaymentActions } from "@medusajs/framework/utils"
import { GatewayError, isGatewayError } from "../gateways/errors"
import type { GatewayDispute, GatewayName, GatewayRefund, PaymentGateway } from "../gateways/types"
import { formatMoney, toMinorUnits } from "../utils/money"
import { paymentData, readPaymentData, type CaptureRecord, type RefundRecord } from "./payment-data"
import { registerProviderInstance, SYNC_PROVIDER_BRAND } from "./provider-registry"
import { allocateRefund, type RefundPart } from "./refund-allocation"
import { toSessionStatus } from "./status-map"
import type { PspEventKind, PspPaymentLocation, VerifiedPspEvent, WebhookSyncProvider } from "./webhook-sync-types"

type Cradle = Record<string, unknown> & { logger?: Logger }

interface CaptureRow {
  id: string
  amount: BigNumberInput
  raw_amount?: BigNumberInput
}

/**
 * What both providers share: the Medusa provider contract mapped onto a `PaymentGateway`. Subclasses give the gateway,
 * the webhook verification and the event mapping; everything about Medusa's data and amounts lives here once.
 */
export abstract class OrchestratorProvider<TOptions extends { capture: boolean }>
  extends AbstractPaymentProvider<TOptions>
  implements WebhookSyncProvider
{
  protected readonly logger: Logger | undefined
  protected abstract readonly gatewayName: GatewayName
  protected abstract readonly gateway: PaymentGateway
  readonly [SYNC_PROVIDER_BRAND] = true

  protected constructor(cradle: Cradle, options: TOptions) {
    super(cradle, options)
    this.logger = cradle.logger
    registerProviderInstance((this.constructor as unknown as { identifier: string }).identifier, this)
  }

  /** The PSP behind this provider. */
  get pspName(): GatewayName {
    return this.gatewayName
  }

  /** The statement descriptor used when a capture names none. */
  protected abstract defaultStatementDescriptor(): string | undefined

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const data = (input.data ?? {}) as Record<string, unknown>
    const sessionId = stringOrNull(data.session_id)
    const customReference = stringOrNull(data.custom_reference)
    const currency = input.currency_code.toLowerCase()
    const payment = await this.call("create the payment", () =>
      this.gateway.createPayment({
        amount: toMinorUnits(input.amount, currency),
        currency,
        idempotency_key: `init-${input.context?.idempotency_key ?? sessionId ?? cryptoRandom()}`,
        session_id: sessionId ?? "",
        capture: this.config.capture ? "automatic" : "manual",
        custom_reference: customReference,
        customer: accountHolderId(input.context),
        payment_method: stringOrNull(data.payment_method) ?? undefined,
        off_session: data.off_session === true,
        save_payment_method: data.setup_future_usage === "off_session" || data.save_payment_method === true,
      })
    )
    return {
      id: payment.reference,
      status: toSessionStatus(payment.status),
      data: paymentData(payment, { session_id: sessionId, custom_reference: customReference }),
    }
  }

  async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const current = readPaymentData(input.data, this.gatewayName)
    const currency = (input.currency_code ?? current.currency).toLowerCase()
    const amount = toMinorUnits(input.amount, currency)
    if (amount === current.amount && currency === current.currency) {
      return { status: toSessionStatus(current.status), data: current }
    }
    const payment = await this.call("update the payment amount", () =>
      this.gateway.updatePaymentAmount(current.reference, amount, currency, input.context?.idempotency_key)
    )
    return { status: toSessionStatus(payment.status), data: paymentData(payment, current) }
  }

  async deletePayment(input: DeletePaymentInput): Promise<DeletePaymentOutput> {
    return this.cancelPayment(input)
  }

  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    const current = readPaymentData(input.data, this.gatewayName)
    const payment = await this.call("authorize the payment", () =>
      this.gateway.authorizePayment(current.reference, `authorize-${current.session_id ?? current.reference}`)
    )
    return { status: toSessionStatus(payment.status), data: paymentData(payment, current) }
  }

  async retrievePayment(input: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const current = readPaymentData(input.data, this.gatewayName)
    const payment = await this.call("retrieve the payment", () => this.gateway.retrievePayment(current.reference))
    return { data: paymentData(payment, current) }
  }

  async getPaymentStatus(input: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    const current = readPaymentData(input.data, this.gatewayName)
    const payment = await this.call("read the payment status", () => this.gateway.retrievePayment(current.reference))
    return { status: toSessionStatus(payment.status), data: paymentData(payment, current) }
  }

  async cancelPayment(input: CancelPaymentInput): Promise<CancelPaymentOutput> {
    const current = readPaymentData(input.data, this.gatewayName)
    if (current.status === "canceled" || current.status === "expired") {
      return { data: current }
    }
    const payment = await this.call("cancel the payment", () =>
      this.gateway.cancelPayment(
        current.reference,
        current.authorization_id,
        `cancel-${input.context?.idempotency_key ?? current.reference}`
      )
    )
    return { data: paymentData(payment, current) }
  }

  /**
   * Captures exactly the amount Medusa recorded. Medusa does not pass it to providers, so it is read from the capture
   * row whose id Medusa passes as the idempotency key; the row is committed before the provider is called. Options
   * for this capture (final or not, descriptor, custom reference, manual mechanism) come from `data.pending_capture`,
   * set by the plugin's capture workflow.
   */
  async capturePayment(input: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const current = readPaymentData(input.data, this.gatewayName)
    const captureId = input.context?.idempotency_key ?? null
    if (current.captures.some((c) => captureId && c.medusa_capture_id === captureId)) {
      return { data: current }
    }
    const alreadyCaptured = current.captures.reduce((sum, c) => sum + c.amount, 0)
    const found = captureId ? await this.findCapture(captureId) : undefined
    const row = found?.row
    if (captureId && !row) {
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `Could not read Medusa's capture ${captureId} to learn its amount, so nothing was captured at ${this.gatewayName}. Retry the capture.`
      )
    }
    const amount = row ? toMinorUnits(row.raw_amount ?? row.amount, current.currency) : current.amount - alreadyCaptured
    if (amount <= 0) {
      return { data: current }
    }
    if (alreadyCaptured + amount > current.amount) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Cannot capture ${formatMoney(amount, current.currency)}: only ${formatMoney(current.amount - alreadyCaptured, current.currency)} of the authorization is left to capture.`
      )
    }
    const pending = current.pending_capture ?? {}
    const final = pending.final ?? alreadyCaptured + amount >= current.amount
    const customReference = pending.custom_reference === undefined ? current.custom_reference : pending.custom_reference
    const statementDescriptor = pending.statement_descriptor ?? this.defaultStatementDescriptor() ?? null
    const details = {
      medusa_capture_id: captureId,
      amount,
      final,
      mechanism: pending.mechanism ?? "automatic",
      custom_reference: customReference ?? null,
      statement_descriptor: pending.mechanism === "manual" ? null : statementDescriptor,
      invoice_detail_ids: pending.invoice_detail_ids ?? null,
    } satisfies Partial<CaptureRecord>
    if (pending.mechanism === "manual") {
      // Elastic Path's manual capture: the money was taken outside the gateway, so nothing is sent to the PSP.
      const record: CaptureRecord = { ...details, id: `manual_${captureId ?? cryptoRandom()}`, created_at: now() }
      return {
        data: {
          ...current,
          custom_reference: customReference ?? null,
          captures: [...current.captures, record],
          pending_capture: null,
        },
      }
    }
    const recovered = await this.lostCapture(current, captureId, amount, found?.siblings)
    if (recovered) {
      const record: CaptureRecord = { ...details, id: recovered.id, created_at: recovered.created_at }
      return {
        data: {
          ...paymentData(recovered.payment, current),
          custom_reference: customReference ?? null,
          captures: [...current.captures, record],
          pending_capture: null,
        },
      }
    }
    const result = await this.call("capture the payment", () =>
      this.gateway.capturePayment({
        reference: current.reference,
        authorization_id: current.authorization_id,
        amount,
        currency: current.currency,
        final,
        idempotency_key: `capture-${captureId ?? `${current.reference}-${current.captures.length + 1}`}`,
        statement_descriptor: statementDescriptor,
        custom_reference: customReference,
      })
    )
    const record: CaptureRecord = {
      ...details,
      id: result.capture.id,
      amount: result.capture.amount,
      created_at: result.capture.created_at,
    }
    return {
      data: {
        ...paymentData(result.payment, current),
        custom_reference: customReference ?? null,
        captures: [...current.captures, record],
        pending_capture: null,
      },
    }
  }

  /**
   * Refunds at the PSP, or records a refund without calling it: a refund made at the PSP that Medusa is recording now
   * (`pending_external_refunds`, from the webhook sync), or a capture marked as refunded (`pending_refund.mechanism:
   * "manual"`). Every refund is spread over the captures it gives back, so the ledger can show each capture's refunds.
   */
  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const current = readPaymentData(input.data, this.gatewayName)
    const amount = toMinorUnits(input.amount, current.currency)
    const refundId = input.context?.idempotency_key ?? null
    const pending = current.pending_refund ?? {}
    const mechanism = pending.mechanism ?? "automatic"

    const external = [...(current.pending_external_refunds ?? [])]
    const match = external.findIndex((r) => r.amount === amount)
    if (match >= 0) {
      const [synced] = external.splice(match, 1)
      return {
        data: {
          ...current,
          pending_refund: null,
          pending_external_refunds: external,
          refunds: current.refunds.map((r) =>
            r.id === synced.id
              ? { ...r, medusa_refund_id: refundId, medusa_capture_id: r.medusa_capture_id ?? synced.medusa_capture_id }
              : r
          ),
        },
      }
    }
    const disputes = current.open_disputes ?? []
    if (disputes.length > 0) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Cannot refund ${formatMoney(amount, current.currency)}: a chargeback is open on this payment (${this.gatewayName} dispute ${disputes.join(", ")}). The card network may already take the disputed money back from you, so a refund now could pay the customer twice. Respond to the dispute at ${this.gatewayName}; refund only once it is won or closed.`
      )
    }
    const allocation = allocateRefund(current, amount, { target: pending.medusa_capture_id, mechanism })
    if (!allocation.ok) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        allocation.reason === "manual_capture"
          ? "Unable to automatically refund a manually captured transaction: the money was taken outside the gateway. Mark it as refunded instead."
          : `Cannot refund ${formatMoney(amount, current.currency)}: only ${formatMoney(allocation.refundable, current.currency)} of ${pending.medusa_capture_id ? "this capture" : "the payment's captures"} can be refunded${mechanism === "automatic" ? " at the gateway" : ""}.`
      )
    }
    const note = stringOrNull(pending.note) ?? stringOrNull((input.data as Record<string, unknown>).refund_note)
    const records: RefundRecord[] = []
    const record = (id: string, part: RefundPart, status: string, created_at: string, captureId: string | null) =>
      records.push({
        id,
        medusa_refund_id: refundId,
        amount: part.amount,
        capture_id: captureId,
        medusa_capture_id: part.capture.medusa_capture_id,
        source: "plugin",
        mechanism,
        status,
        created_at,
      })
    const lost = mechanism === "automatic" ? await this.lostRefunds(current, amount) : []
    if (lost.length > 0) {
      for (const refund of lost) {
        const capture =
          allocation.parts.find((p) => p.capture.id === refund.capture_id)?.capture ?? allocation.parts[0].capture
        record(refund.id, { capture, amount: refund.amount }, refund.status, refund.created_at, refund.capture_id)
      }
    } else if (mechanism === "manual") {
      allocation.parts.forEach((part, i) =>
        record(`manual_${refundId ?? cryptoRandom()}${i ? `-${i}` : ""}`, part, "succeeded", now(), null)
      )
    } else if (this.refundsPerCapture) {
      for (const [i, part] of allocation.parts.entries()) {
        const refund = await this.call("refund the payment", () =>
          this.gateway.refundPayment({
            reference: current.reference,
            capture_id: part.capture.id,
            amount: part.amount,
            currency: current.currency,
            idempotency_key: `refund-${refundId ?? cryptoRandom()}${i ? `-${i}` : ""}`,
            note,
          })
        )
        record(refund.id, part, refund.status, refund.created_at, refund.capture_id)
      }
    } else {
      const refund = await this.call("refund the payment", () =>
        this.gateway.refundPayment({
          reference: current.reference,
          capture_id: null,
          amount,
          currency: current.currency,
          idempotency_key: `refund-${refundId ?? cryptoRandom()}`,
          note,
        })
      )
      allocation.parts.forEach((part) => record(refund.id, part, refund.status, refund.created_at, refund.capture_id))
    }
    return { data: { ...current, pending_refund: null, refunds: [...current.refunds, ...records] } }
  }

  async getWebhookActionAndData(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    try {
      return await this.webhookAction(payload)
    } catch (e) {
      this.logger?.warn(`[${this.gatewayName}] webhook not acted on: ${(e as Error).message}`)
      return { action: PaymentActions.NOT_SUPPORTED }
    }
  }

  /** Verifies the webhook's signature and maps it to Medusa's payment action; throws when it cannot be trusted. */
  protected abstract webhookAction(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult>

  // The webhook sync of refunds and chargebacks made at the PSP (src/workflows/webhook-sync), which finds this
  // instance through the provider registry.

  /** Whether a lost dispute shows up among the payment's refunds at this PSP (PayPal reverses the capture). */
  readonly lostDisputesAppearAsRefunds: boolean = false

  abstract syncedEventKind(payload: ProviderWebhookPayload["payload"]): PspEventKind | null

  /** Verifies the delivery as `getWebhookActionAndData` does and normalises the event; throws when untrusted. */
  abstract verifyWebhookEvent(payload: ProviderWebhookPayload["payload"]): Promise<VerifiedPspEvent | null>

  /** Where the event's payment is: its PSP reference and the Medusa session id the PSP keeps for it. */
  abstract locatePspPayment(event: VerifiedPspEvent): Promise<PspPaymentLocation>

  /** Every refund of the payment as the PSP holds it now. */
  async listPspRefunds(reference: string): Promise<GatewayRefund[]> {
    return this.call("list the payment's refunds", () => this.gateway.listRefunds(reference))
  }

  /** Every dispute on the payment as the PSP holds it now. */
  async listPspDisputes(reference: string): Promise<GatewayDispute[]> {
    return this.call("list the payment's disputes", () => this.gateway.listDisputes(reference))
  }

  async retrievePspDispute(id: string): Promise<GatewayDispute> {
    return this.call("read the dispute", () => this.gateway.retrieveDispute(id))
  }

  /** PayPal refunds each capture on its own; Stripe refunds the PaymentIntent as a whole. */
  protected readonly refundsPerCapture: boolean = false

  /**
   * A capture whose answer was lost (timeout, connection reset, 5xx after the PSP acted) leaves money captured at the
   * PSP and, since Medusa deletes its capture row when the provider fails, nothing in Medusa; Medusa's retry comes
   * with a new capture id, hence a new idempotency key. So before capturing, the PSP's captured total is compared with
   * the captures Medusa holds for the payment (its rows, crash leftovers included; manual ones are not at the PSP).
   * Money captured beyond them of exactly this amount is taken as the lost answer and recorded instead of captured
   * again; any other surplus is refused, capturing nothing, so that money is never taken twice.
   */
  private async lostCapture(
    current: ReturnType<typeof readPaymentData>,
    captureId: string | null,
    amount: number,
    rows: CaptureRow[] | undefined
  ): Promise<{
    id: string
    created_at: string
    payment: Awaited<ReturnType<PaymentGateway["retrievePayment"]>>
  } | null> {
    const payment = await this.call("read the payment before capturing", () =>
      this.gateway.retrievePayment(current.reference)
    )
    const manual = new Set(current.captures.filter((c) => c.mechanism === "manual").map((c) => c.medusa_capture_id))
    const known = rows
      ? rows
          .filter((r) => r.id !== captureId && !manual.has(r.id))
          .reduce((sum, r) => sum + toMinorUnits(r.raw_amount ?? r.amount, current.currency), 0)
      : current.captures.filter((c) => c.mechanism !== "manual").reduce((sum, c) => sum + c.amount, 0)
    const surplus = payment.amount_captured - known
    if (surplus <= 0) {
      return null
    }
    if (surplus !== amount) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `${this.gatewayName} has already captured ${formatMoney(surplus, current.currency)} of this payment that Medusa has no record of, most likely an earlier capture whose answer was lost. Nothing was captured now: capture exactly ${formatMoney(surplus, current.currency)} to record it, or check the payment at ${this.gatewayName} first.`
      )
    }
    const recorded = new Set(current.captures.map((c) => c.id))
    const pspCapture = payment.captures.find((c) => c.status !== "failed" && c.amount === amount && !recorded.has(c.id))
    this.logger?.warn(
      `[${this.gatewayName}] ${formatMoney(amount, current.currency)} was already captured at ${this.gatewayName} for ${current.reference} (an earlier answer was lost): recorded it as Medusa capture ${captureId ?? "(no id)"} without capturing again.`
    )
    return {
      id: pspCapture?.id ?? `${current.reference}:recovered-${captureId ?? cryptoRandom()}`,
      created_at: pspCapture?.created_at ?? now(),
      payment,
    }
  }

  /**
   * A refund whose answer was lost (timeout, reset, 5xx after the PSP acted) leaves money refunded at the PSP and
   * nothing in Medusa, which deletes its refund row when the provider fails; Medusa's retry comes with a new refund
   * id, hence a new idempotency key. So before refunding, the PSP's refunds that the plugin issued but never recorded
   * are looked for: if they add up to exactly this amount, they are the lost answer and are recorded instead of
   * refunding again; any other unrecorded amount is refused, refunding nothing, so that money never goes back twice.
   */
  private async lostRefunds(current: ReturnType<typeof readPaymentData>, amount: number): Promise<GatewayRefund[]> {
    const known = new Set(current.refunds.map((r) => r.id))
    const unrecorded = (await this.listPspRefunds(current.reference)).filter(
      (r) => r.issued_by_plugin_key && r.status !== "failed" && r.status !== "canceled" && !known.has(r.id)
    )
    const total = unrecorded.reduce((sum, r) => sum + r.amount, 0)
    if (total === 0) {
      return []
    }
    if (total !== amount) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `${this.gatewayName} has already refunded ${formatMoney(total, current.currency)} of this payment that Medusa has no record of, most likely an earlier refund whose answer was lost. Nothing was refunded now: refund exactly ${formatMoney(total, current.currency)} to record it, or check the payment at ${this.gatewayName} first.`
      )
    }
    this.logger?.warn(
      `[${this.gatewayName}] ${formatMoney(amount, current.currency)} was already refunded at ${this.gatewayName} for ${current.reference} (an earlier answer was lost): recorded it without refunding again.`
    )
    return unrecorded
  }

  /**
   * Medusa's capture row `captureId` (its amount is what to capture) and every capture row of its payment (for the
   * lost-answer check), in one read; undefined when unreadable.
   */
  private async findCapture(captureId: string): Promise<{ row: CaptureRow; siblings: CaptureRow[] } | undefined> {
    const service = this.container.captureService as
      | {
          retrieve(
            id: string,
            config?: Record<string, unknown>
          ): Promise<CaptureRow & { payment?: { captures?: CaptureRow[] } }>
        }
      | undefined
    try {
      const row = await service?.retrieve(captureId, {
        select: [
          "id",
          "amount",
          "raw_amount",
          "payment.id",
          "payment.captures.id",
          "payment.captures.amount",
          "payment.captures.raw_amount",
        ],
        relations: ["payment", "payment.captures"],
      })
      return row ? { row, siblings: row.payment?.captures ?? [row] } : undefined
    } catch {
      return undefined
    }
  }

  /** Runs a gateway call and turns its failure into a MedusaError whose message says what happened and what to do. */
  protected async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      throw toMedusaError(this.gatewayName, what, e)
    }
  }
}

/** What a provider's MedusaError carries of the gateway failure behind it (`error.gateway_error`). */
export interface GatewayErrorDetail {
  gateway: GatewayName
  kind: GatewayError["kind"]
  message: string
  psp: GatewayError["psp"]
}

export function toMedusaError(gateway: GatewayName, what: string, e: unknown): MedusaError {
  if (!isGatewayError(e)) {
    return new MedusaError(
      MedusaError.Types.UNEXPECTED_STATE,
      `Could not ${what} with ${gateway}: ${(e as Error)?.message ?? String(e)}`
    )
  }
  const type: Record<GatewayError["kind"], string> = {
    declined: MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR,
    authorization_expired: MedusaError.Types.NOT_ALLOWED,
    invalid_state: MedusaError.Types.NOT_ALLOWED,
    invalid_amount: MedusaError.Types.INVALID_DATA,
    disputed: MedusaError.Types.NOT_ALLOWED,
    authentication: MedusaError.Types.UNAUTHORIZED,
    invalid_request: MedusaError.Types.INVALID_DATA,
    unknown_outcome: MedusaError.Types.UNEXPECTED_STATE,
  }
  const error = new MedusaError(type[e.kind], e.message, e.psp.code ?? undefined)
  // A plain copy, so that it survives workflows serialising the error: the admin API answers with the PSP's error.
  const detail: GatewayErrorDetail = { gateway, kind: e.kind, message: e.message, psp: e.psp }
  Object.assign(error, { gateway_error: JSON.parse(JSON.stringify(detail)) })
  return error
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null
}

function accountHolderId(context: InitiatePaymentInput["context"]): string | undefined {
  const id = (context?.account_holder?.data as Record<string, unknown> | undefined)?.id
  return typeof id === "string" ? id : undefined
}

function now(): string {
  return new Date().toISOString()
}

function cryptoRandom(): string {
  return globalThis.crypto.randomUUID()
}
