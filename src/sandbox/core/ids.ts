import { randomBytes } from "node:crypto"

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/** A random id in the PSP's style: `pi_3Qx…` for Stripe (prefix + 24 chars), `5O190127TN364715T` for PayPal. */
export function randomId(prefix: string, length = 24, alphabet = ALPHABET): string {
  const bytes = randomBytes(length)
  let out = ""
  for (let i = 0; i < length; i++) {
    out += alphabet[bytes[i] % alphabet.length]
  }
  return prefix ? `${prefix}_${out}` : out
}

/** PayPal ids are 17 upper-case alphanumerics. */
export function paypalId(): string {
  return randomId("", 17, "0123456789ABCDEFGHJKLMNPRSTUVWXY")
}
