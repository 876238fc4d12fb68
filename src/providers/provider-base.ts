import type {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
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
import type { GatewayDispute, GatewayName, GatewayPayment, GatewayRefund, PaymentGateway } from "../gateways/types"
import {
  InstructionStore,
  type Claim,
  type Leftover,
  type SqlConnection,
} from "../modules/payment-orchestrator/instruction-store"
import { PaymentRefStore } from "../modules/payment-orchestrator/payment-ref-store"
import {
  readRecord,
  recordFromGateway,
  withCapture,
  withRefundLinked,
  withRefunds,
  type CaptureRecord,
  type PaymentRecord,
  type RefundRecord,
} from "../payment-record/record"
import { parseStorefrontInput } from "../payment-record/storefront-input"
import { planCapture, planLostCapture, type Refusal } from "../planners/capture-planner"
import {
  allocateRefund,
  capturesOf,
  planLostRefund,
  planRefund,
  recordsOfRefundCall,
  type RefundCall,
} from "../planners/refund-planner"
import { leftToCapture } from "../planners/rules"
import { assertValidMinorAmount, formatMoney, toMinorUnits } from "../utils/money"
import { registerProviderInstance, SYNC_PROVIDER_BRAND } from "./provider-registry"
import { toSessionStatus } from "./status-map"
import type {
  LocateOptions,
  PspEventKind,
  PspPaymentLocation,
  VerifiedPspEvent,
  WebhookSyncProvider,
} from "./webhook-sync-types"

type Cradle = Record<string, unknown> & { logger?: Logger }

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

  /**
   * Creates the payment at the PSP. The session data is the storefront's (untrusted): only the keys of
   * `parseStorefrontInput` are read, each validated; a saved method must belong to the shopper's own account holder,
   * and a payment is merchant-initiated only with a live grant that server-side code created.
   */
  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const data = (input.data ?? {}) as Record<string, unknown>
    const sessionId = typeof data.session_id === "string" && data.session_id ? data.session_id : null
    const shopper = parseStorefrontInput(data)
    const holder = accountHolderId(input.context)
    const currency = input.currency_code.toLowerCase()
    const amount = toMinorUnits(input.amount, currency, { gateway: this.gatewayName })
    const grant = shopper.off_session_grant
      ? await this.instructions().consumeOffSessionGrant(shopper.off_session_grant)
      : null
    if (shopper.off_session_grant && !grant) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "This off-session grant is unknown, used or expired: a merchant-initiated payment needs a new grant from the store's server."
      )
    }
    const customer = grant?.customer ?? holder
    const paymentMethod = grant?.payment_method ?? shopper.payment_method
    if (shopper.payment_method && !grant) {
      await this.assertOwnPaymentMethod(shopper.payment_method, holder)
    }
    if (shopper.save_payment_method && !holder) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "Only a logged-in customer can save a payment method: sign the customer in (Medusa then gives the session an account holder), or pay without saving it."
      )
    }
    const payment = await this.call("create the payment", () =>
      this.gateway.createPayment({
        amount,
        currency,
        idempotency_key: `init-${input.context?.idempotency_key ?? sessionId ?? cryptoRandom()}`,
        session_id: sessionId ?? "",
        capture: this.config.capture ? "automatic" : "manual",
        statement_descriptor: this.defaultStatementDescriptor() ?? null,
        custom_reference: shopper.custom_reference,
        customer,
        payment_method: paymentMethod ?? undefined,
        off_session: grant !== null,
        save_payment_method: shopper.save_payment_method,
      })
    )
    if (sessionId) {
      await this.rememberReferences(payment, sessionId)
    }
    return {
      id: payment.reference,
      status: toSessionStatus(payment.status),
      data: recordFromGateway(payment, { session_id: sessionId, custom_reference: shopper.custom_reference }),
    }
  }

  /** A storefront may name a saved method only when the PSP says it belongs to the shopper's own account holder. */
  private async assertOwnPaymentMethod(paymentMethod: string, holder: string | undefined): Promise<void> {
    const owner =
      holder && this.gateway.paymentMethodOwner
        ? await this.call("read the saved payment method", () => this.gateway.paymentMethodOwner!(paymentMethod))
        : null
    if (!holder || owner !== holder) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `The payment method ${paymentMethod} is not one of this customer's saved ${this.gatewayName} payment methods. Sign the customer in and choose one of their saved methods, or let them enter a new one.`
      )
    }
  }

  async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const current = this.read(input.data)
    const currency = (input.currency_code ?? current.currency).toLowerCase()
    const amount = toMinorUnits(input.amount, currency, { gateway: this.gatewayName })
    if (amount === current.amount && currency === current.currency) {
      return { status: toSessionStatus(current.status), data: current }
    }
    const payment = await this.call("update the payment amount", () =>
      this.gateway.updatePaymentAmount(current.reference, amount, currency, input.context?.idempotency_key)
    )
    await this.rememberReferences(payment, current.session_id)
    return { status: toSessionStatus(payment.status), data: recordFromGateway(payment, current) }
  }

  async deletePayment(input: DeletePaymentInput): Promise<DeletePaymentOutput> {
    return this.cancelPayment(input)
  }

  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    const current = this.read(input.data)
    const payment = await this.call("authorize the payment", () =>
      this.gateway.authorizePayment(current.reference, `authorize-${current.session_id ?? current.reference}`)
    )
    await this.rememberReferences(payment, current.session_id)
    return { status: toSessionStatus(payment.status), data: recordFromGateway(payment, current) }
  }

  async retrievePayment(input: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const current = this.read(input.data)
    const payment = await this.call("retrieve the payment", () => this.gateway.retrievePayment(current.reference))
    return { data: recordFromGateway(payment, current) }
  }

  async getPaymentStatus(input: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    const current = this.read(input.data)
    const payment = await this.call("read the payment status", () => this.gateway.retrievePayment(current.reference))
    return { status: toSessionStatus(payment.status), data: recordFromGateway(payment, current) }
  }

  async cancelPayment(input: CancelPaymentInput): Promise<CancelPaymentOutput> {
    const current = this.read(input.data)
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
    return { data: recordFromGateway(payment, current) }
  }

  /**
   * Captures exactly the amount Medusa recorded. One round trip to the database claims the plugin workflow's
   * instruction for this Medusa capture (amount and options, written server-side) or, for a capture Medusa started
   * itself, leaves the attempt mark and reads Medusa's capture row; the planner decides; the PSP is read first only
   * when an earlier attempt on the payment left a mark and was never recorded (its answer may have been lost).
   */
  async capturePayment(input: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const current = this.read(input.data)
    const captureId = input.context?.idempotency_key ?? null
    const money = (minor: number) => formatMoney(minor, current.currency)
    if (captureId && current.captures.some((c) => c.medusa_capture_id === captureId)) {
      return { data: current }
    }
    const recorded = current.captures.map((c) => c.medusa_capture_id).filter((id): id is string => !!id)
    const claim = captureId ? await this.instructions().claim("capture", current.reference, captureId, recorded) : null
    const rowAmount =
      claim?.medusa_amount != null
        ? toMinorUnits(claim.medusa_amount, current.currency, { gateway: this.gatewayName })
        : captureId
          ? null
          : undefined
    const instructed = claim?.instruction?.options.amount
    if (instructed !== undefined && rowAmount != null && instructed !== rowAmount) {
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `The capture instruction (${money(instructed)}) does not match Medusa's capture ${captureId} (${money(rowAmount)}), so nothing was captured at ${this.gatewayName}. Retry the capture.`
      )
    }
    const plan = planCapture({
      record: current,
      medusa_capture_id: captureId,
      amount:
        instructed ??
        (rowAmount === undefined
          ? leftToCapture({ authorized: current.amount, captures: current.captures })
          : rowAmount),
      options: claim?.instruction?.options ?? {},
      default_statement_descriptor: this.defaultStatementDescriptor() ?? null,
      money,
      gateway: this.gatewayName,
      now: now(),
    })
    if (plan.kind === "already_recorded") {
      return { data: current }
    }
    if (plan.kind === "refuse") {
      throw refusal(plan)
    }
    if (plan.kind === "record") {
      return { data: withCapture(current, plan.capture) }
    }
    assertValidMinorAmount(plan.amount, current.currency, this.gatewayName)
    const leftovers = claim?.leftovers ?? []
    if (leftovers.length > 0) {
      const recovered = await this.recoverLostCapture(current, plan.amount, leftovers)
      if (recovered) {
        const record: CaptureRecord = {
          ...plan.record,
          id: recovered.psp_capture_id ?? `${current.reference}:recovered-${captureId ?? cryptoRandom()}`,
          created_at: recovered.created_at ?? now(),
        }
        return {
          data: withCapture(recordFromGateway(recovered.payment, current), record),
        }
      }
    }
    const result = await this.callMarking("capture the payment", claim, () =>
      this.gateway.capturePayment({
        reference: current.reference,
        authorization_id: current.authorization_id,
        amount: plan.amount,
        currency: current.currency,
        final: plan.final,
        idempotency_key: captureId ?? cryptoRandom(),
        statement_descriptor: plan.statement_descriptor,
        custom_reference: plan.custom_reference,
      })
    )
    const record: CaptureRecord = {
      ...plan.record,
      id: result.capture.id,
      created_at: result.capture.created_at,
      ...(result.capture.at_payment ? { at_payment: true as const } : {}),
    }
    return { data: withCapture(recordFromGateway(result.payment, current), record) }
  }

  /**
   * Earlier capture attempts left their marks and were never recorded: the PSP is read to tell a lost answer (recorded
   * now instead of captured again) from a failed call (captures normally) from money no Medusa record explains
   * (refused). Marks that turn out to have moved nothing are closed, so later captures skip this read.
   */
  private async recoverLostCapture(
    current: PaymentRecord,
    amount: number,
    leftovers: Leftover[]
  ): Promise<{ psp_capture_id: string | null; created_at: string | null; payment: GatewayPayment } | null> {
    const payment = await this.call("read the payment before capturing", () =>
      this.gateway.retrievePayment(current.reference)
    )
    const crashLeftovers = leftovers
      .filter((l) => l.medusa_row_exists)
      .reduce((sum, l) => sum + this.leftoverAmount(l, current.currency), 0)
    const plan = planLostCapture({
      record: current,
      amount,
      psp: payment,
      crash_leftovers: crashLeftovers,
      money: (minor) => formatMoney(minor, current.currency),
      gateway: this.gatewayName,
    })
    const gone = leftovers.filter((l) => !l.medusa_row_exists).map((l) => l.id)
    if (plan.kind === "refuse") {
      throw refusal(plan)
    }
    await this.instructions().finish(gone, plan.kind === "none" ? "canceled" : "done")
    if (plan.kind === "none") {
      return null
    }
    this.logger?.warn(
      `[${this.gatewayName}] ${formatMoney(amount, current.currency)} was already captured at ${this.gatewayName} for ${current.reference} (an earlier answer was lost): recorded it without capturing again.`
    )
    return { ...plan, payment }
  }

  private leftoverAmount(leftover: Leftover, currency: string): number {
    if (leftover.options.amount !== undefined) {
      return leftover.options.amount
    }
    const major = (leftover.options as { amount_major?: string }).amount_major
    return major ? toMinorUnits(major, currency) : 0
  }

  /**
   * Refunds at the PSP, or records a refund without calling it: refunds made at the PSP that Medusa is recording now
   * (the webhook sync's instruction names them), or a capture marked as refunded (the workflow's instruction). The
   * planner spreads every refund over the captures it gives back, so the ledger can show each capture's refunds.
   */
  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const current = this.read(input.data)
    const amount = toMinorUnits(input.amount, current.currency, { gateway: this.gatewayName })
    const refundId = input.context?.idempotency_key ?? null
    const money = (minor: number) => formatMoney(minor, current.currency)
    if (refundId && current.refunds.some((r) => r.medusa_refund_id === refundId)) {
      return { data: current }
    }
    const recorded = [...new Set(current.refunds.map((r) => r.medusa_refund_id).filter((id): id is string => !!id))]
    const claim = refundId ? await this.instructions().claim("refund", current.reference, refundId, recorded) : null
    const instructed = claim?.instruction?.options.amount
    if (instructed !== undefined && instructed !== amount) {
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `The refund instruction (${money(instructed)}) does not match Medusa's refund ${refundId} (${money(amount)}), so nothing was refunded at ${this.gatewayName}. Retry the refund.`
      )
    }
    const plan = planRefund({
      record: current,
      medusa_refund_id: refundId,
      amount,
      options: claim?.instruction?.options ?? {},
      refunds_per_capture: this.refundsPerCapture,
      money,
      gateway: this.gatewayName,
      now: now(),
    })
    switch (plan.kind) {
      case "already_recorded":
        return { data: current }
      case "refuse":
        throw refusal(plan)
      case "record":
        return { data: withRefunds(current, plan.records) }
      case "link":
        return {
          data: plan.psp_refund_ids.reduce((record, id) => withRefundLinked(record, id, refundId ?? id), current),
        }
    }
    const leftovers = claim?.leftovers ?? []
    if (leftovers.length > 0) {
      const lost = await this.recoverLostRefund(current, amount, leftovers)
      if (lost) {
        const target = claim?.instruction?.options.medusa_capture_id
        return { data: withRefunds(current, this.recoveredRefundRecords(current, target, lost, refundId)) }
      }
    }
    plan.calls.forEach((call) => assertValidMinorAmount(call.amount, current.currency, this.gatewayName))
    const records: RefundRecord[] = []
    for (const call of plan.calls) {
      const refund = await this.callMarking("refund the payment", claim, () =>
        this.gateway.refundPayment({
          reference: current.reference,
          capture_id: call.capture_id,
          amount: call.amount,
          currency: current.currency,
          idempotency_key: call.idempotency_key,
          note: plan.note,
        })
      )
      records.push(...recordsOfRefundCall(call, refund, refundId))
    }
    return { data: withRefunds(current, records) }
  }

  /**
   * Earlier refund attempts left their marks and were never recorded: the PSP's refunds carrying their keys are their
   * lost answers. Of exactly this amount they are recorded instead of refunding again; of another amount the refund is
   * refused with the amount to retry. Marks that turn out to have moved nothing are closed.
   */
  private async recoverLostRefund(
    current: PaymentRecord,
    amount: number,
    leftovers: Leftover[]
  ): Promise<GatewayRefund[] | null> {
    const lost = leftovers.filter((l) => !l.medusa_row_exists)
    const plan = planLostRefund({
      record: current,
      amount,
      psp_refunds: await this.listPspRefunds(current.reference),
      leftover_keys: lost.map((l) => `refund-${l.medusa_id}`),
      interrupted: leftovers
        .filter((l) => l.medusa_row_exists && l.medusa_id)
        .map((l) => ({ key: `refund-${l.medusa_id}`, medusa_refund_id: l.medusa_id! })),
      money: (minor) => formatMoney(minor, current.currency),
      gateway: this.gatewayName,
    })
    if (plan.kind === "refuse") {
      throw refusal(plan)
    }
    await this.instructions().finish(
      lost.map((l) => l.id),
      plan.kind === "none" ? "canceled" : "done"
    )
    if (plan.kind === "none") {
      return null
    }
    this.logger?.warn(
      `[${this.gatewayName}] ${formatMoney(amount, current.currency)} was already refunded at ${this.gatewayName} for ${current.reference} (an earlier answer was lost): recorded it without refunding again.`
    )
    return plan.refunds
  }

  /**
   * The recovered PSP refunds, attributed to the captures they gave back: each is allocated as this refund's plan
   * allocates (same target capture, newest capture first), one after the other.
   */
  private recoveredRefundRecords(
    current: PaymentRecord,
    target: string | null | undefined,
    refunds: GatewayRefund[],
    refundId: string | null
  ): RefundRecord[] {
    let record = current
    const records: RefundRecord[] = []
    for (const refund of refunds) {
      const byCapture = this.refundsPerCapture
        ? current.captures.find((c) => c.id === refund.capture_id)?.medusa_capture_id
        : undefined
      const allocation = allocateRefund(record, refund.amount, { target: byCapture ?? target, mechanism: "automatic" })
      // A recovered refund is ours (it carries our key), so it is recorded even where the record cannot place it.
      const parts = allocation.ok ? allocation.parts : [{ capture: capturesOf(record)[0], amount: refund.amount }]
      const call: RefundCall = { capture_id: refund.capture_id, amount: refund.amount, idempotency_key: "", parts }
      const added = recordsOfRefundCall(call, refund, refundId)
      records.push(...added)
      record = withRefunds(record, added)
    }
    return records
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

  /**
   * Where the event's payment is: its PSP reference and the Medusa session it belongs to, through the strongest link
   * the PSP guarantees (see the providers), the plugin's reference index first.
   */
  abstract locatePspPayment(event: VerifiedPspEvent, options?: LocateOptions): Promise<PspPaymentLocation>

  /**
   * The session of a PSP payment: the reference index (`orchestrator_payment_ref`), else the session id the plugin
   * stored on the PSP payment when it created it (read now, and remembered in the index for the next event).
   */
  protected async sessionOfReference(
    references: (string | null)[],
    reference: string | null
  ): Promise<PspPaymentLocation | null> {
    const indexed = await this.paymentRefs().sessionOf(this.gatewayName, references)
    if (indexed) {
      return { reference, session_id: indexed, via: "index" }
    }
    if (!reference) {
      return null
    }
    const payment = await this.call("read the payment", () => this.gateway.retrievePayment(reference))
    if (!payment.session_id) {
      return null
    }
    await this.rememberReferences(payment, payment.session_id)
    return { reference, session_id: payment.session_id, via: "psp_payment" }
  }

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

  // --- Reconciliation (src/workflows/reconcile, issue 14): PSP reads only, found through the provider registry. ---

  /** The payment as the PSP holds it now: status, amounts captured and refunded, captures (PayPal), expiry. */
  async retrievePspPayment(reference: string): Promise<GatewayPayment> {
    return this.call("read the payment", () => this.gateway.retrievePayment(reference))
  }

  // --- End of reconciliation reads. ---

  /**
   * Reauthorizes the payment's authorization at the PSP (`reauthorizeOrderTransactionWorkflow`), for `amount` minor
   * units, with the caller's idempotency key. Answers the payment as the PSP holds it then, naming the new
   * authorization. A PSP without reauthorization (Stripe) refuses with a sentence; nothing is sent.
   */
  async reauthorizePspPayment(record: PaymentRecord, amount: number, idempotencyKey: string): Promise<GatewayPayment> {
    const gateway = this.gateway
    if (!gateway.reauthorizePayment) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `${this.gatewayName} has no reauthorization: an uncaptured authorization stays valid until it expires. Capture it before then, or cancel it and ask the customer to pay again. Nothing was sent to ${this.gatewayName}.`
      )
    }
    return this.call("reauthorize the payment", () =>
      gateway.reauthorizePayment!(record.reference, record.authorization_id, amount, record.currency, idempotencyKey)
    )
  }

  /** PayPal refunds each capture on its own; Stripe refunds the PaymentIntent as a whole. */
  protected readonly refundsPerCapture: boolean = false

  /** Reads the record from Medusa's data: its own keys only (see `readRecord`); a foreign record is refused. */
  protected read(data: Record<string, unknown> | undefined): PaymentRecord {
    try {
      return readRecord(data, this.gatewayName)
    } catch (e) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, (e as Error).message)
    }
  }

  /**
   * The plugin's instructions (its module's `orchestrator_instruction`), over the payment module's share of Medusa's
   * PostgreSQL connection: the provider lives in the payment module and cannot resolve the plugin's module.
   */
  protected instructions(): InstructionStore {
    this.instructionStore ??= new InstructionStore(this.container.__pg_connection__ as SqlConnection)
    return this.instructionStore
  }

  private instructionStore?: InstructionStore

  /**
   * Remembers which Medusa session the payment's PSP ids (reference, authorization) belong to, in the plugin's index
   * `orchestrator_payment_ref`: the webhook sync finds the payment of a capture, refund or dispute through it.
   */
  protected async rememberReferences(payment: GatewayPayment, sessionId: string | null | undefined): Promise<void> {
    if (sessionId) {
      await this.paymentRefs().remember(this.gatewayName, [payment.reference, payment.authorization_id], sessionId)
    }
  }

  /** The PSP reference → Medusa session index (`orchestrator_payment_ref`), over the same shared connection. */
  protected paymentRefs(): PaymentRefStore {
    this.paymentRefStore ??= new PaymentRefStore(this.container.__pg_connection__ as SqlConnection)
    return this.paymentRefStore
  }

  private paymentRefStore?: PaymentRefStore

  /**
   * A PSP call that moves money. When the PSP refused it for certain (not a lost answer), the attempt's mark is closed
   * so that the next capture or refund need not read the PSP first; after an unknown outcome it stays.
   */
  private async callMarking<T>(what: string, claim: Claim | null, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      if (claim?.attempt_id && isGatewayError(e) && e.kind !== "unknown_outcome") {
        await this.instructions()
          .finish([claim.attempt_id], "canceled")
          .catch(() => undefined)
      }
      throw toMedusaError(this.gatewayName, what, e)
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
  if (e instanceof MedusaError) {
    // Already a sentence for the merchant (an amount the PSP cannot carry, refused before any call).
    return e
  }
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

/** A planner's refusal as the MedusaError Medusa answers with (400 for `invalid`/`not_allowed`). */
function refusal(plan: Refusal): MedusaError {
  const type = {
    invalid: MedusaError.Types.INVALID_DATA,
    not_allowed: MedusaError.Types.NOT_ALLOWED,
    unexpected_state: MedusaError.Types.UNEXPECTED_STATE,
  }[plan.type]
  return new MedusaError(type, plan.message)
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
