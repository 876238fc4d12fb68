/**
 * Payment rules that the providers, the planners, the transactions API, the ledger and the admin widget all apply.
 * Each lives here once. No imports: the admin widget's bundle includes this file as it is.
 */

/** Dispute statuses (Stripe's words, PayPal's mapped onto them, and PayPal's own) after which a dispute is over. */
export const CLOSED_DISPUTE_STATUSES: ReadonlySet<string> = new Set([
  "won",
  "lost",
  "warning_closed",
  "closed",
  "resolved",
  "accepted",
  "canceled",
  "cancelled",
  "expired",
  "prevented",
  "charge_refunded",
])

/** Whether a dispute in this status may still take money back: refunds meanwhile could pay the customer twice. */
export function isDisputeOpen(status: string | null | undefined): boolean {
  const word = (status ?? "").trim().toLowerCase()
  return word !== "" && !CLOSED_DISPUTE_STATUSES.has(word)
}

/**
 * A capture closes the authorization when it takes everything that was left, or when asked to (ProcessOut's
 * `capture_type: final`). Unasked (Medusa's own capture route), a partial capture leaves the rest capturable.
 */
export function isCaptureFinal(input: { requested_final?: boolean; amount: number; left_to_capture: number }): boolean {
  return input.requested_final === true || input.amount >= input.left_to_capture
}

/**
 * What a capture request's custom_reference asks for (Elastic Path): `undefined` (absent) keeps the authorization's
 * reference, `null` (sent as an empty string) clears it, any other value replaces it.
 */
export function requestedCustomReference(requested: string | null | undefined): string | null | undefined {
  return requested === "" ? null : requested
}

/**
 * Elastic Path's custom_reference on capture: absent, the value of the previous transaction persists (the latest
 * capture's, else the authorization's); an empty string clears it; any other value replaces it. The authorization
 * keeps its own reference whatever its captures say. `null` (cleared) stays cleared.
 */
export function inheritCustomReference(
  requested: string | null | undefined,
  authorization: string | null,
  previousCaptures: readonly { custom_reference?: string | null }[] = []
): string | null {
  const asked = requestedCustomReference(requested)
  if (asked !== undefined) {
    return asked
  }
  const latest = previousCaptures[previousCaptures.length - 1]
  return latest && latest.custom_reference !== undefined ? latest.custom_reference : authorization
}

/** What an authorization still allows to capture: nothing once a final capture closed it. */
export function leftToCapture(input: {
  authorized: number
  captures: readonly { amount: number; final: boolean; mechanism?: string | null }[]
}): number {
  if (input.captures.some((c) => c.final)) {
    return 0
  }
  const captured = input.captures.reduce((sum, c) => sum + c.amount, 0)
  return Math.max(0, input.authorized - captured)
}

/**
 * Whether an authorization may be reauthorized now, or why not (a sentence that says what to do). The PSP's facts
 * come from its gateway through the payment record: `honor_until` (null where the PSP has no reauthorization, as at
 * Stripe), `expires_at`, and whether it was reauthorized already (the plugin reauthorizes once: PayPal's published
 * text allows several within the 29 days, the sandbox and the plugin one). Only an authorization with nothing
 * captured, not canceled and still valid qualifies, from the end of its honor period until it expires. `null`: allowed.
 */
export function reauthorizeRefusal(input: {
  psp: string
  honor_until: string | null
  expires_at: string | null
  reauthorized: boolean
  status: string
  captured: number
  canceled: boolean
  now: number
}): string | null {
  if (!input.honor_until) {
    return `${input.psp} has no reauthorization: an uncaptured authorization stays valid until it expires. Capture it before then, or cancel it and ask the customer to pay again.`
  }
  if (input.canceled) {
    return "This authorization is canceled, so it cannot be reauthorized: ask the customer to pay again."
  }
  if (input.captured > 0 || input.status === "captured" || input.status === "partially_captured") {
    return "This authorization is already captured (in full or in part), and only an uncaptured authorization can be reauthorized. Capture what is left of it while it is valid, or refund the capture instead."
  }
  const expiresAt = input.expires_at ? Date.parse(input.expires_at) : NaN
  if (input.status === "expired" || (Number.isFinite(expiresAt) && expiresAt <= input.now)) {
    return "This authorization has expired, so it can no longer be reauthorized: cancel the payment and ask the customer to pay again."
  }
  if (input.status !== "authorized") {
    return `This payment is ${input.status}, not authorized, so there is nothing to reauthorize.`
  }
  if (input.reauthorized) {
    return "This payment was already reauthorized once, and no further reauthorization is allowed. Capture the current authorization before it expires, or cancel the payment and ask the customer to pay again."
  }
  const honorUntil = Date.parse(input.honor_until)
  if (!Number.isFinite(honorUntil) || input.now < honorUntil) {
    return `This authorization is still in its honor period (until ${input.honor_until}), during which ${input.psp} guarantees its funds and refuses a reauthorization. Capture it now if the order ships, or reauthorize it after the honor period ends.`
  }
  return null
}
