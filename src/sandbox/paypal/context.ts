import type { SandboxContext } from "../core/psp-fake"
import type { PayPalEvents } from "./events"
import type { PayPalRenderer } from "./objects"
import type { PayPalState } from "./state"

/** What the PayPal fake's route modules share. */
export interface PayPalFakeContext {
  sandbox: SandboxContext
  state: PayPalState
  render: PayPalRenderer
  events: PayPalEvents
  /** Sandbox-clock milliseconds. */
  now(): number
}

export const DAY_MS = 24 * 3600 * 1000

/** `Prefer: return=representation` asks for the full resource; PayPal's default is `return=minimal`. */
export function wantsRepresentation(req: { headers: Record<string, string | string[] | undefined> }): boolean {
  const value = req.headers.prefer
  const text = Array.isArray(value) ? value.join(",") : (value ?? "")
  return /return=representation/i.test(text)
}

/** Optional string field of a request body. */
export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key]
  return typeof value === "string" ? value : undefined
}
