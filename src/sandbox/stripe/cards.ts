/** Stripe's test PaymentMethod tokens (`pm_card_visa`, ...) and how each one behaves, as on real Stripe in test mode. */

export type CardBehaviour =
  /** Authorizes. */
  | "success"
  /** Declines with `code` / `decline_code`. */
  | "decline"
  /** Needs 3-D Secure on every payment; off-session payments fail with `authentication_required`. */
  | "3ds"
  /** Needs 3-D Secure once, on session; off-session payments go through (pm_card_authenticationRequiredOnSetup). */
  | "3ds_setup"

export interface TestCard {
  brand: string
  last4: string
  funding: "credit" | "debit"
  country: string
  behaviour: CardBehaviour
  code?: string
  declineCode?: string
  message?: string
  /**
   * The account and card get multicapture when the PaymentIntent asks for it (IC+ pricing, online Visa/Mastercard/
   * Amex/Discover). Most accounts and cards do not: everywhere else `multicapture.status` is `unavailable`.
   */
  multicapture?: boolean
}

const visa = { brand: "visa", funding: "credit", country: "US" } as const
const declined = "Your card was declined."

export const TEST_CARDS: Record<string, TestCard> = {
  pm_card_visa: { ...visa, last4: "4242", behaviour: "success" },
  /** The sandbox's one card with multicapture available (when the intent requests it with `if_available`). */
  pm_card_visa_multicapture: { ...visa, last4: "1001", behaviour: "success", multicapture: true },
  pm_card_visa_debit: { ...visa, funding: "debit", last4: "5556", behaviour: "success" },
  pm_card_mastercard: { brand: "mastercard", funding: "credit", country: "US", last4: "4444", behaviour: "success" },
  pm_card_amex: { brand: "amex", funding: "credit", country: "US", last4: "8431", behaviour: "success" },
  pm_card_chargeDeclined: {
    ...visa,
    last4: "0002",
    behaviour: "decline",
    code: "card_declined",
    declineCode: "generic_decline",
    message: declined,
  },
  pm_card_insufficientFunds: {
    ...visa,
    last4: "9995",
    behaviour: "decline",
    code: "card_declined",
    declineCode: "insufficient_funds",
    message: "Your card has insufficient funds.",
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    ...visa,
    last4: "9995",
    behaviour: "decline",
    code: "card_declined",
    declineCode: "insufficient_funds",
    message: "Your card has insufficient funds.",
  },
  pm_card_chargeDeclinedLostCard: {
    ...visa,
    last4: "9987",
    behaviour: "decline",
    code: "card_declined",
    declineCode: "lost_card",
    message: declined,
  },
  pm_card_chargeDeclinedStolenCard: {
    ...visa,
    last4: "9979",
    behaviour: "decline",
    code: "card_declined",
    declineCode: "stolen_card",
    message: declined,
  },
  pm_card_chargeDeclinedExpiredCard: {
    ...visa,
    last4: "0069",
    behaviour: "decline",
    code: "expired_card",
    declineCode: "expired_card",
    message: "Your card has expired.",
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    ...visa,
    last4: "0127",
    behaviour: "decline",
    code: "incorrect_cvc",
    declineCode: "incorrect_cvc",
    message: "Your card's security code is incorrect.",
  },
  pm_card_chargeDeclinedProcessingError: {
    ...visa,
    last4: "0119",
    behaviour: "decline",
    code: "processing_error",
    declineCode: "processing_error",
    message: "An error occurred while processing your card. Try again in a little bit.",
  },
  pm_card_threeDSecure2Required: { ...visa, last4: "3220", behaviour: "3ds" },
  pm_card_authenticationRequired: { ...visa, last4: "3184", behaviour: "3ds" },
  pm_card_authenticationRequiredOnSetup: { ...visa, last4: "3155", behaviour: "3ds_setup" },
}

export function isTestToken(id: string): boolean {
  return Object.prototype.hasOwnProperty.call(TEST_CARDS, id)
}

/**
 * The card numbers Stripe documents for test mode ("Testing", stripe.com/docs/testing) and the test token each stands
 * for. Only Stripe.js (a publishable key) may send a card number; the sandbox's Stripe.js stand-in does.
 */
export const TEST_CARD_NUMBERS: Record<string, keyof typeof TEST_CARDS> = {
  "4242424242424242": "pm_card_visa",
  "4000056655665556": "pm_card_visa_debit",
  "5555555555554444": "pm_card_mastercard",
  "378282246310005": "pm_card_amex",
  "4000000000000002": "pm_card_chargeDeclined",
  "4000000000009995": "pm_card_chargeDeclinedInsufficientFunds",
  "4000000000009987": "pm_card_chargeDeclinedLostCard",
  "4000000000009979": "pm_card_chargeDeclinedStolenCard",
  "4000000000000069": "pm_card_chargeDeclinedExpiredCard",
  "4000000000000127": "pm_card_chargeDeclinedIncorrectCvc",
  "4000000000000119": "pm_card_chargeDeclinedProcessingError",
  "4000000000003220": "pm_card_threeDSecure2Required",
  "4000002760003184": "pm_card_authenticationRequired",
  "4000002500003155": "pm_card_authenticationRequiredOnSetup",
}

/** The test token for a card number typed in a card form (spaces ignored); undefined when Stripe has no such card. */
export function testTokenForNumber(number: string): string | undefined {
  return TEST_CARD_NUMBERS[number.replace(/\s+/g, "")]
}
