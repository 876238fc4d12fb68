/**
 * The raw webhook body as Medusa hands it over: a Buffer (local event bus), a string, or `{type: "Buffer", data}`
 * after a trip through the Redis event bus. Signatures are computed over these exact bytes.
 */
export function rawWebhookBody(raw: unknown): Buffer {
  if (Buffer.isBuffer(raw)) {
    return raw
  }
  if (typeof raw === "string") {
    return Buffer.from(raw, "utf8")
  }
  const serialized = raw as { type?: string; data?: number[] } | undefined
  if (serialized?.type === "Buffer" && Array.isArray(serialized.data)) {
    return Buffer.from(serialized.data)
  }
  throw new Error("the webhook's raw body is missing, so its signature cannot be verified")
}
