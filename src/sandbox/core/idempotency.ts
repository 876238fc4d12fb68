import { createHash } from "node:crypto"
import type { SandboxResponse } from "./router"

export type IdempotencyOutcome =
  | { kind: "new"; complete: (response: SandboxResponse) => void; abandon: () => void }
  | { kind: "replay"; response: SandboxResponse }
  | { kind: "mismatch"; original: SandboxResponse | undefined }
  | { kind: "in_progress" }

interface Entry {
  fingerprint: string
  response?: SandboxResponse
}

/**
 * Remembers the answer to each idempotent request, as PSPs do for `Idempotency-Key` (Stripe) and
 * `PayPal-Request-Id` (PayPal). Answers that are 5xx are not kept, so a client's retry really retries.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>()

  static fingerprint(method: string, path: string, rawBody: Buffer): string {
    return createHash("sha256").update(`${method} ${path}\n`).update(rawBody).digest("hex")
  }

  begin(scope: string, key: string, fingerprint: string): IdempotencyOutcome {
    const id = `${scope}\u0000${key}`
    const existing = this.entries.get(id)
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        return { kind: "mismatch", original: existing.response }
      }
      return existing.response ? { kind: "replay", response: existing.response } : { kind: "in_progress" }
    }
    const entry: Entry = { fingerprint }
    this.entries.set(id, entry)
    return {
      kind: "new",
      complete: (response) => {
        if (response.status >= 500) {
          this.entries.delete(id)
        } else {
          entry.response = response
        }
      },
      abandon: () => {
        this.entries.delete(id)
      },
    }
  }

  clear(): void {
    this.entries.clear()
  }
}
