import { generateEntityId } from "@medusajs/framework/utils"
import type { GatewayName } from "../../gateways/types"
import type { SqlConnection } from "./instruction-store"

/**
 * The SQL of `orchestrator_payment_ref` (PSP reference → Medusa payment session), over Medusa's shared PostgreSQL
 * connection: the providers write it when they create or authorize a PSP payment, the webhook sync reads it. A
 * reference belongs to one session for good: a second write for the same reference changes nothing.
 */
export class PaymentRefStore {
  constructor(private readonly db: SqlConnection) {}

  /** Remembers that these PSP ids belong to the session (idempotent; one round trip). */
  async remember(gateway: GatewayName, references: (string | null | undefined)[], sessionId: string): Promise<void> {
    const refs = [...new Set(references.filter((r): r is string => typeof r === "string" && r.length > 0))]
    if (!refs.length || !sessionId) {
      return
    }
    const values = refs.map(() => "(?, ?, ?, ?)").join(", ")
    const bindings = refs.flatMap((r) => [generateEntityId(undefined, "popr"), gateway, r, sessionId])
    await this.db.raw(
      `INSERT INTO orchestrator_payment_ref (id, gateway, reference, session_id) VALUES ${values}
       ON CONFLICT (gateway, reference) WHERE deleted_at IS NULL DO NOTHING`,
      bindings
    )
  }

  /** The session the first of these PSP ids that is known belongs to, by the unique index; null when none is. */
  async sessionOf(gateway: GatewayName, references: (string | null | undefined)[]): Promise<string | null> {
    const refs = references.filter((r): r is string => typeof r === "string" && r.length > 0)
    if (!refs.length) {
      return null
    }
    const { rows } = await this.db.raw(
      `SELECT reference, session_id FROM orchestrator_payment_ref
       WHERE gateway = ? AND reference IN (${refs.map(() => "?").join(", ")}) AND deleted_at IS NULL`,
      [gateway, ...refs]
    )
    for (const ref of refs) {
      const row = rows.find((r) => r.reference === ref)
      if (row) {
        return String(row.session_id)
      }
    }
    return null
  }
}
