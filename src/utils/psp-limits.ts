/**
 * Length limits of the free-text fields the plugin passes to a PSP, so a value is refused up front instead of being
 * cut at the gateway. Each limit is the stricter of the two PSPs, so one value is valid for both. Lengths are counted
 * in UTF-16 code units (JavaScript's `string.length`), never fewer than the Unicode characters the PSPs count.
 * No imports: usable by the API validators, the providers and the admin widget alike.
 */

/**
 * A refund's note. PayPal's refund `note_to_payer` holds 1 to 255 characters (payments v2 `refund_request`,
 * paypal/paypal-rest-api-specifications `openapi/payments_payment_v2.json`); Stripe keeps it as a refund metadata
 * value, up to 500 characters (Stripe API reference, "Metadata").
 */
export const REFUND_NOTE_MAX_LENGTH = 255

/**
 * A capture's `custom_reference`. PayPal sends it as `invoice_id` (at most 127 characters, payments v2
 * `capture_request` and orders v2 `purchase_unit_request`), and the plugin appends `-2`, `-3`… for the later captures
 * of one authorization, so 7 characters are kept free for that suffix; Stripe keeps it as a metadata value (≤ 500).
 */
export const CUSTOM_REFERENCE_MAX_LENGTH = 120

/**
 * A capture's statement descriptor: PayPal's `soft_descriptor` and Stripe's complete card statement descriptor both
 * stop at 22 characters (the card networks' limit).
 */
export const STATEMENT_DESCRIPTOR_MAX_LENGTH = 22
