/**
 * PayPal webhook transmission signatures: base64 SHA256withRSA over
 * `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(body) as unsigned decimal}`.
 */
import { randomUUID, sign, verify, type KeyObject } from "node:crypto"
import { crc32 } from "../../utils/crc32"

export function signedMessage(
  transmissionId: string,
  transmissionTime: string,
  webhookId: string,
  body: Buffer | string
): string {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(body)}`
}

export interface TransmissionHeaders {
  "paypal-transmission-id": string
  "paypal-transmission-time": string
  "paypal-transmission-sig": string
  "paypal-cert-url": string
  "paypal-auth-algo": "SHA256withRSA"
  [name: string]: string
}

export function signTransmission(opts: {
  body: string
  webhookId: string
  privateKey: KeyObject
  certUrl: string
  /** Wall-clock ms of the transmission. */
  now: number
}): TransmissionHeaders {
  const id = randomUUID()
  const time = new Date(opts.now).toISOString().replace(/\.\d{3}Z$/, "Z")
  const sig = sign("sha256", Buffer.from(signedMessage(id, time, opts.webhookId, opts.body)), opts.privateKey)
  return {
    "paypal-transmission-id": id,
    "paypal-transmission-time": time,
    "paypal-transmission-sig": sig.toString("base64"),
    "paypal-cert-url": opts.certUrl,
    "paypal-auth-algo": "SHA256withRSA",
  }
}

export function verifyTransmission(opts: {
  transmissionId: string
  transmissionTime: string
  webhookId: string
  body: Buffer | string
  signature: string
  publicKey: KeyObject
}): boolean {
  try {
    return verify(
      "sha256",
      Buffer.from(signedMessage(opts.transmissionId, opts.transmissionTime, opts.webhookId, opts.body)),
      opts.publicKey,
      Buffer.from(opts.signature, "base64")
    )
  } catch {
    return false
  }
}

/**
 * The exact text of a top-level member's value in a JSON object text (`"webhook_event": {...}`), so a verifier can
 * check the bytes a caller spliced in rather than a re-serialization. Undefined when absent or unreadable.
 */
export function rawJsonMember(text: string, key: string): string | undefined {
  let i = 0
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++
  }
  const scanString = (): string | undefined => {
    const start = i
    i++
    while (i < text.length) {
      if (text[i] === "\\") i += 2
      else if (text[i] === '"') {
        i++
        return text.slice(start, i)
      } else i++
    }
    return undefined
  }
  const scanValue = (): boolean => {
    ws()
    if (text[i] === '"') return scanString() !== undefined
    if (text[i] === "{" || text[i] === "[") {
      let depth = 0
      while (i < text.length) {
        const ch = text[i]
        if (ch === '"') {
          if (scanString() === undefined) return false
          continue
        }
        if (ch === "{" || ch === "[") depth++
        if (ch === "}" || ch === "]") depth--
        i++
        if (depth === 0) return true
      }
      return false
    }
    while (i < text.length && !/[,}\]\s]/.test(text[i])) i++
    return true
  }
  ws()
  if (text[i] !== "{") return undefined
  i++
  for (;;) {
    ws()
    if (text[i] !== '"') return undefined
    const rawKey = scanString()
    if (rawKey === undefined) return undefined
    ws()
    if (text[i] !== ":") return undefined
    i++
    ws()
    const start = i
    if (!scanValue()) return undefined
    let name: unknown
    try {
      name = JSON.parse(rawKey)
    } catch {
      return undefined
    }
    if (name === key) return text.slice(start, i)
    ws()
    if (text[i] !== ",") return undefined
    i++
  }
}
