import { generateEntityId } from "@medusajs/framework/utils"
import type { SqlConnection } from "./instruction-store"

/** How long a delivery owns the event it claimed before another delivery or the reconciler may take it over. */
export const WEBHOOK_CLAIM_LEASE_SECONDS = 5 * 60

export interface WebhookClaimRow {
  id: string
  /** False: another delivery holds the event (processing within its lease) or finished it: a duplicate. */
  claimed: boolean
  /** 1 for the first claim; more when this claim took over an earlier one whose lease had run out. */
  attempts: number
}

export interface ClaimedEvent {
  gateway: string
  event_id: string
  event_type: string
  object_id: string | null
  payment_id: string | null
}

/**
 * The SQL of webhook claims (`orchestrator_webhook_event`), one statement each, over Medusa's shared PostgreSQL
 * connection. Exactly once rests on the unique (gateway, event_id) index: of concurrent deliveries one inserts; a
 * later one updates the row only when it is still `processing` and its lease has run out (the claimant died between
 * the claim and its effect), atomically, so of two late deliveries only one takes it over.
 */
export class WebhookClaims {
  constructor(private readonly db: SqlConnection) {}

  async claim(event: ClaimedEvent, leaseSeconds: number = WEBHOOK_CLAIM_LEASE_SECONDS): Promise<WebhookClaimRow> {
    const lease = `${Math.max(1, Math.floor(leaseSeconds))} seconds`
    const { rows } = await this.db.raw(
      `INSERT INTO orchestrator_webhook_event (id, gateway, event_id, event_type, object_id, payment_id, state, lease_until, attempts)
       VALUES (?, ?, ?, ?, ?, ?, 'processing', now() + ?::interval, 1)
       ON CONFLICT (gateway, event_id) WHERE deleted_at IS NULL DO UPDATE
         SET state = 'processing', lease_until = now() + ?::interval, outcome = NULL,
             attempts = orchestrator_webhook_event.attempts + 1, updated_at = now(),
             payment_id = COALESCE(EXCLUDED.payment_id, orchestrator_webhook_event.payment_id)
         WHERE orchestrator_webhook_event.state = 'processing'
           AND (orchestrator_webhook_event.lease_until IS NULL OR orchestrator_webhook_event.lease_until < now())
       RETURNING id, attempts`,
      [
        generateEntityId(undefined, "poevt"),
        event.gateway,
        event.event_id,
        event.event_type,
        event.object_id,
        event.payment_id,
        lease,
        lease,
      ]
    )
    if (rows[0]) {
      return { id: rows[0].id as string, claimed: true, attempts: Number(rows[0].attempts) }
    }
    const { rows: existing } = await this.db.raw(
      `SELECT id, attempts FROM orchestrator_webhook_event WHERE gateway = ? AND event_id = ? AND deleted_at IS NULL`,
      [event.gateway, event.event_id]
    )
    return { id: (existing[0]?.id as string) ?? "", claimed: false, attempts: Number(existing[0]?.attempts ?? 0) }
  }

  /** Writes the outcome and ends the claim (`done`). */
  async finish(id: string, outcome: string): Promise<void> {
    await this.db.raw(
      `UPDATE orchestrator_webhook_event SET state = 'done', outcome = ?, lease_until = NULL, updated_at = now() WHERE id = ?`,
      [outcome.slice(0, 2000), id]
    )
  }

  /** Gives a claim up after its processing failed, so that a redelivery or a retry processes the event. */
  async release(id: string): Promise<void> {
    await this.db.raw(`DELETE FROM orchestrator_webhook_event WHERE id = ? AND state = 'processing'`, [id])
  }

  /**
   * The reconciler's take-over: ends every claim of the payment still `processing` after its lease ran out (its
   * process died before the effect). The reconciler re-reads the PSP's whole state of the payment under the order lock
   * and records what those events were about, so their outcome is the reconciliation's. Answers their event ids.
   */
  async takeOverExpired(paymentId: string, outcome: string): Promise<string[]> {
    const { rows } = await this.db.raw(
      `UPDATE orchestrator_webhook_event
         SET state = 'done', outcome = ?, lease_until = NULL, attempts = attempts + 1, updated_at = now()
       WHERE payment_id = ? AND state = 'processing' AND deleted_at IS NULL
         AND (lease_until IS NULL OR lease_until < now())
       RETURNING event_id`,
      [outcome.slice(0, 2000), paymentId]
    )
    return rows.map((r) => r.event_id as string)
  }

  /** Payments with a claim still `processing` after its lease ran out (for the sweep). */
  async paymentsWithExpiredClaims(limit: number): Promise<string[]> {
    const { rows } = await this.db.raw(
      `SELECT DISTINCT payment_id FROM orchestrator_webhook_event
       WHERE state = 'processing' AND deleted_at IS NULL AND payment_id IS NOT NULL
         AND (lease_until IS NULL OR lease_until < now())
       LIMIT ?`,
      [limit]
    )
    return rows.map((r) => r.payment_id as string)
  }
}
