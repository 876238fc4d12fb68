import { z } from "@medusajs/framework/zod"

/**
 * The payment record: what the plugin keeps in Medusa's `PaymentSession.data` and `Payment.data`, with one typed,
 * versioned schema. Amounts are integers in the minor unit of `currency`.
 *
 * Medusa stores a session's data as `{ ...data sent by the storefront, ...data returned by the provider }`, so every
 * key below is always written by the provider (a storefront cannot pre-set one), and `readRecord` keeps only these
 * keys (anything else a storefront planted is dropped before the plugin reads it). Instructions for a capture or a
 * refund (final or not, descriptor, mechanism, target capture, note, refunds made at the PSP) never live here: they
 * are in the plugin's own module (`orchestrator_instruction`), written only by its server-side workflows.
 */
export const RECORD_VERSION = 1

export const mechanismSchema = z.enum(["automatic", "manual"])
export type Mechanism = z.infer<typeof mechanismSchema>

export const gatewayNameSchema = z.enum(["stripe", "paypal"])

export const gatewayStatusSchema = z.enum([
  "pending",
  "requires_action",
  "processing",
  "authorized",
  "partially_captured",
  "captured",
  "canceled",
  "expired",
  "failed",
])

const minor = z.number().int().nonnegative()

/** One capture of the payment, tied to Medusa's capture row: made at the PSP, or recorded as taken outside it. */
export const captureRecordSchema = z.object({
  /** PSP capture id (PayPal capture id; Stripe: the charge id plus the Medusa capture id); `manual_…` when manual. */
  id: z.string().min(1),
  /** Medusa capture id (`capt_…`), also the idempotency key of the PSP call. */
  medusa_capture_id: z.string().nullable(),
  amount: minor,
  final: z.boolean(),
  created_at: z.string(),
  /** `manual`: the money was taken outside the gateway (Elastic Path's manual capture); never refunded at the PSP. */
  mechanism: mechanismSchema.optional(),
  custom_reference: z.string().nullable().optional(),
  statement_descriptor: z.string().nullable().optional(),
  /** Order line items this capture paid for (ProcessOut `invoice_detail_ids`). */
  invoice_detail_ids: z.array(z.string()).nullable().optional(),
  /** The PSP captured the money when the buyer paid (a method that cannot be captured later): Medusa's capture recorded it. */
  at_payment: z.literal(true).optional(),
})
export type CaptureRecord = z.infer<typeof captureRecordSchema>

/** One refund known for the payment: issued by the plugin, or synced from the PSP (dashboard). */
export const refundRecordSchema = z.object({
  /** PSP refund id (`re_…`, PayPal refund id). */
  id: z.string().min(1),
  medusa_refund_id: z.string().nullable(),
  amount: minor,
  capture_id: z.string().nullable(),
  source: z.enum(["plugin", "psp"]),
  status: z.string(),
  created_at: z.string(),
  /** The Medusa capture this refund (or this part of a refund) gives back. */
  medusa_capture_id: z.string().nullable().optional(),
  /** `manual`: marked as refunded, the money was given back outside the gateway. */
  mechanism: mechanismSchema.optional(),
  /** The lost dispute this refund records (a chargeback; the money went back through the card network). */
  dispute_id: z.string().nullable().optional(),
})
export type RefundRecord = z.infer<typeof refundRecordSchema>

export const paymentRecordSchema = z.object({
  /** Schema version of this record. */
  v: z.literal(RECORD_VERSION),
  gateway: gatewayNameSchema,
  /** The PSP reference (Stripe PaymentIntent, PayPal order id); `id` repeats it for storefronts. */
  id: z.string().min(1),
  reference: z.string().min(1),
  authorization_id: z.string().nullable(),
  /** Medusa's payment session id (set by Medusa, never by the storefront). */
  session_id: z.string().nullable(),
  currency: z.string().min(3),
  amount: minor,
  status: gatewayStatusSchema,
  psp_status: z.string(),
  /** What the buyer's browser needs while it still has to act; removed once the buyer is done. */
  client_secret: z.string().nullable(),
  approve_url: z.string().nullable(),
  custom_reference: z.string().nullable(),
  expires_at: z.string().nullable(),
  captures: z.array(captureRecordSchema),
  refunds: z.array(refundRecordSchema),
  /**
   * PSP ids of the disputes (chargebacks) still open on this payment, kept by the webhook sync. While one is open the
   * provider refuses refunds: a refund plus a lost chargeback would pay the customer twice.
   */
  open_disputes: z.array(z.string()),
  /**
   * Whether the authorization can be captured more than once (PSP's answer at authorization; Stripe multicapture).
   * `false`: a partial capture is final and releases the rest. Null: not known (records written before this field).
   */
  multicapture: z.boolean().nullable(),
  /**
   * When the current authorization's honor period ends (PayPal: 3 days after it was made); null where the PSP has no
   * reauthorization (Stripe) or for records written before this field.
   */
  honor_until: z.string().nullable(),
  /**
   * PayPal: the order's intent (`authorize`, `capture`), which the storefront's JS SDK must be loaded with; null for
   * Stripe. Optional: records written before it lack it.
   */
  intent: z.enum(["authorize", "capture"]).nullable().optional(),
  /** Whether the authorization was reauthorized: PayPal then allows no further one (the plugin reauthorizes once). */
  reauthorized: z.boolean(),
})
export type PaymentRecord = z.infer<typeof paymentRecordSchema>

/** Every key of the payment record: the only keys of payment data the plugin ever reads. */
export const PAYMENT_RECORD_KEYS = Object.keys(paymentRecordSchema.shape) as (keyof PaymentRecord)[]
