import { createHash, randomBytes } from "node:crypto"
import { generateEntityId } from "@medusajs/framework/utils"
import type { Mechanism } from "../../payment-record/schema"

/** A knex instance (Medusa's shared `__pg_connection__`): only `raw` is used. */
export interface SqlConnection {
  raw(
    sql: string,
    bindings?: readonly unknown[] | Record<string, unknown>
  ): Promise<{ rows: Record<string, unknown>[] }>
}

export type InstructionKind = "capture" | "refund" | "off_session"
export type InstructionState = "pending" | "started" | "done" | "canceled"

/** A refund made at the PSP that Medusa is recording now: the provider ties it to the new Medusa refund, no PSP call. */
export interface ExternalRefund {
  id: string
  amount: number
  medusa_capture_id?: string | null
}

/** What a workflow tells the provider about the next capture or refund. Amounts in minor units. */
export interface InstructionOptions {
  amount?: number
  /** capture: final (ProcessOut `capture_type: final`) releases what stays uncaptured. */
  final?: boolean
  statement_descriptor?: string | null
  /** capture: `undefined` inherits the authorization's reference; `null` clears it. */
  custom_reference?: string | null
  mechanism?: Mechanism
  invoice_detail_ids?: string[] | null
  /** refund: refund this Medusa capture only. */
  medusa_capture_id?: string | null
  note?: string | null
  /** refund: record these PSP refunds instead of refunding (the webhook sync). */
  external_refunds?: ExternalRefund[]
  /** Where the row came from: a plugin workflow, or an attempt Medusa started itself (its own routes). */
  origin?: "plugin" | "medusa"
  /** off_session: what the grant allows. */
  customer?: string
  payment_method?: string
}

export interface Instruction {
  id: string
  kind: InstructionKind
  payment_id: string | null
  reference: string
  medusa_id: string | null
  options: InstructionOptions
  state: InstructionState
}

/** An earlier attempt on the same payment that started and was never recorded: its outcome at the PSP is unknown. */
export interface Leftover extends Instruction {
  /** Whether Medusa still has the capture or refund row of that attempt (a crash) or deleted it (a failed call). */
  medusa_row_exists: boolean
}

/** What the provider learns in one round trip when Medusa calls it with a new capture or refund id. */
export interface Claim {
  /** The workflow's instruction for this capture or refund, now bound to its Medusa id; null: Medusa started it. */
  instruction: Instruction | null
  /** The row that marks this attempt as started (the instruction itself, or the mark left for Medusa's attempt). */
  attempt_id: string | null
  /** Medusa's row amount (major units, as stored) when there was no instruction: capture only. */
  medusa_amount: string | null
  leftovers: Leftover[]
}

/**
 * How long a workflow's instruction can be claimed. The workflow plans it right before it asks Medusa to capture or
 * refund, under the order lock; an older one is a leftover of a workflow that died, never the current request's.
 */
export const CLAIMABLE_MINUTES = 30

const MEDUSA_TABLE: Record<"capture" | "refund", string> = { capture: "capture", refund: "refund" }

/**
 * The SQL of the providers' instructions (`orchestrator_instruction`), over Medusa's shared PostgreSQL connection.
 * The plugin's workflows write instructions through the module service; the providers, which live in the payment
 * module and cannot resolve this module, claim them through the same class. Every statement is one round trip.
 */
export class InstructionStore {
  constructor(private readonly db: SqlConnection) {}

  /**
   * Leaves the instruction for the capture or refund a workflow is about to ask Medusa for. Any older pending one of
   * the same payment is a leftover of a workflow that died before Medusa called the provider: it is canceled, so it
   * can never be claimed by a later capture or refund that did not ask for it.
   */
  async plan(input: {
    kind: "capture" | "refund"
    payment_id: string
    reference: string
    options: InstructionOptions
  }): Promise<Instruction> {
    const id = generateEntityId(undefined, "poin")
    const { rows } = await this.db.raw(
      `WITH stale AS (
         UPDATE orchestrator_instruction SET state = 'canceled', updated_at = now()
         WHERE reference = ? AND kind = ? AND state = 'pending' AND deleted_at IS NULL
         RETURNING id
       )
       INSERT INTO orchestrator_instruction (id, kind, payment_id, reference, options, state)
       SELECT ?, ?, ?, ?, ?::jsonb, 'pending' WHERE (SELECT count(*) FROM stale) >= 0
       RETURNING id, kind, payment_id, reference, medusa_id, options, state`,
      [
        input.reference,
        input.kind,
        id,
        input.kind,
        input.payment_id,
        input.reference,
        JSON.stringify({ ...input.options, origin: "plugin" }),
      ]
    )
    return toInstruction(rows[0])
  }

  /**
   * Called by the provider with Medusa's new capture or refund id, in one statement:
   * - claims the payment's pending instruction for it (bound to `medusaId`, `started`; consumed once);
   * - or finds the instruction already bound to `medusaId` (Medusa called again with the same id);
   * - or, when there is none (Medusa's own routes), writes a `started` row for `medusaId` as the attempt mark, and
   *   reads the amount of Medusa's row (captures: Medusa passes the provider no amount);
   * - and lists earlier `started` attempts on the payment that the record does not hold (`recorded` are the Medusa
   *   ids it holds): only then must the PSP be read before moving money. Attempts the record holds are marked done
   *   on the way (a capture or refund Medusa started itself is never completed by a workflow of the plugin's).
   */
  async claim(kind: "capture" | "refund", reference: string, medusaId: string, recorded: string[]): Promise<Claim> {
    const table = MEDUSA_TABLE[kind]
    const id = generateEntityId(undefined, "poin")
    const { rows } = await this.db.raw(
      `WITH claimed AS (
         UPDATE orchestrator_instruction SET state = 'started', medusa_id = ?, updated_at = now()
         WHERE id = (
           SELECT id FROM orchestrator_instruction
           WHERE reference = ? AND kind = ? AND state = 'pending' AND deleted_at IS NULL
             AND created_at > now() - interval '${CLAIMABLE_MINUTES} minutes'
             AND NOT EXISTS (SELECT 1 FROM orchestrator_instruction WHERE medusa_id = ? AND deleted_at IS NULL)
           ORDER BY created_at DESC LIMIT 1 FOR UPDATE SKIP LOCKED
         )
         RETURNING *
       ),
       mine AS (
         SELECT * FROM orchestrator_instruction WHERE medusa_id = ? AND deleted_at IS NULL
       ),
       medusa_row AS (
         SELECT raw_amount FROM "${table}" WHERE id = ? AND deleted_at IS NULL
       ),
       marked AS (
         INSERT INTO orchestrator_instruction (id, kind, reference, medusa_id, options, state)
         SELECT ?, ?, ?, ?, jsonb_build_object('origin', 'medusa', 'amount_major', (SELECT raw_amount->>'value' FROM medusa_row)), 'started'
         WHERE NOT EXISTS (SELECT 1 FROM claimed) AND NOT EXISTS (SELECT 1 FROM mine)
         RETURNING *
       ),
       settled AS (
         UPDATE orchestrator_instruction SET state = 'done', updated_at = now()
         WHERE reference = ? AND kind = ? AND state = 'started' AND deleted_at IS NULL AND medusa_id = ANY(?::text[])
         RETURNING id
       ),
       leftovers AS (
         SELECT i.*, EXISTS (SELECT 1 FROM "${table}" m WHERE m.id = i.medusa_id AND m.deleted_at IS NULL) AS medusa_row_exists
         FROM orchestrator_instruction i
         WHERE i.reference = ? AND i.kind = ? AND i.state = 'started' AND i.deleted_at IS NULL
           AND i.medusa_id <> ? AND NOT (i.medusa_id = ANY(?::text[]))
       )
       SELECT 'claimed' AS role, c.id, c.kind, c.payment_id, c.reference, c.medusa_id, c.options, c.state, NULL::text AS amount, false AS medusa_row_exists FROM claimed c
       UNION ALL SELECT 'mine', m.id, m.kind, m.payment_id, m.reference, m.medusa_id, m.options, m.state, NULL, false FROM mine m
       UNION ALL SELECT 'marked', k.id, k.kind, k.payment_id, k.reference, k.medusa_id, k.options, k.state, NULL, false FROM marked k
       UNION ALL SELECT 'row', NULL, NULL, NULL, NULL, NULL, NULL, NULL, (SELECT raw_amount->>'value' FROM medusa_row), false WHERE EXISTS (SELECT 1 FROM medusa_row)
       UNION ALL SELECT 'leftover', l.id, l.kind, l.payment_id, l.reference, l.medusa_id, l.options, l.state, NULL, l.medusa_row_exists FROM leftovers l`,
      [
        medusaId,
        reference,
        kind,
        medusaId,
        medusaId,
        medusaId,
        id,
        kind,
        reference,
        medusaId,
        reference,
        kind,
        recorded,
        reference,
        kind,
        medusaId,
        recorded,
      ]
    )
    const instruction =
      rows.find((r) => r.role === "claimed") ??
      rows.find((r) => r.role === "mine" && (r.options as InstructionOptions | null)?.origin === "plugin")
    const attempt = instruction ?? rows.find((r) => r.role === "marked" || r.role === "mine")
    return {
      instruction: instruction ? toInstruction(instruction) : null,
      attempt_id: (attempt?.id as string | undefined) ?? null,
      medusa_amount: (rows.find((r) => r.role === "row")?.amount as string | undefined) ?? null,
      leftovers: rows
        .filter((r) => r.role === "leftover")
        .map((r) => ({ ...toInstruction(r), medusa_row_exists: r.medusa_row_exists === true })),
    }
  }

  /** Ends instructions: `done` once recorded, `canceled` when their PSP call failed or their workflow gave up. */
  async finish(ids: string[], state: "done" | "canceled"): Promise<void> {
    if (ids.length > 0) {
      await this.db.raw(
        `UPDATE orchestrator_instruction SET state = ?, updated_at = now() WHERE id = ANY(?::text[]) AND state <> 'done'`,
        [state, ids]
      )
    }
  }

  /** Withdraws a workflow's instruction that Medusa never claimed (its workflow failed before the provider ran). */
  async withdraw(id: string): Promise<void> {
    await this.db.raw(
      `UPDATE orchestrator_instruction SET state = 'canceled', updated_at = now() WHERE id = ? AND state = 'pending'`,
      [id]
    )
  }

  /**
   * Marks a claimed instruction done once its workflow has seen Medusa record the capture or refund, and answers the
   * Medusa id that claimed it (null: the provider never claimed it).
   */
  async complete(id: string): Promise<string | null> {
    const { rows } = await this.db.raw(
      `UPDATE orchestrator_instruction SET state = CASE WHEN medusa_id IS NULL THEN state ELSE 'done' END, updated_at = now()
       WHERE id = ? RETURNING medusa_id`,
      [id]
    )
    return (rows[0]?.medusa_id as string | null | undefined) ?? null
  }

  async retrieve(id: string): Promise<Instruction | null> {
    const { rows } = await this.db.raw(
      `SELECT id, kind, payment_id, reference, medusa_id, options, state FROM orchestrator_instruction WHERE id = ? AND deleted_at IS NULL`,
      [id]
    )
    return rows[0] ? toInstruction(rows[0]) : null
  }

  /**
   * A one-time grant for a merchant-initiated (off-session) payment on a saved method, for server-side code only. The
   * token is returned once; only its hash is stored, and the provider consumes it when the session is created.
   */
  async grantOffSession(grant: { customer: string; payment_method: string }): Promise<string> {
    const token = `mit_${randomBytes(24).toString("base64url")}`
    await this.db.raw(
      `INSERT INTO orchestrator_instruction (id, kind, reference, options, state) VALUES (?, 'off_session', ?, ?::jsonb, 'pending')`,
      [generateEntityId(undefined, "poin"), hashToken(token), JSON.stringify(grant)]
    )
    return token
  }

  /** Consumes a grant: its options when the token is a live grant, null otherwise (forged, used, or unknown). */
  async consumeOffSessionGrant(token: string): Promise<InstructionOptions | null> {
    const { rows } = await this.db.raw(
      `UPDATE orchestrator_instruction SET state = 'done', updated_at = now()
       WHERE reference = ? AND kind = 'off_session' AND state = 'pending' AND deleted_at IS NULL
         AND created_at > now() - interval '1 hour'
       RETURNING options`,
      [hashToken(token)]
    )
    return (rows[0]?.options as InstructionOptions | undefined) ?? null
  }
}

function hashToken(token: string): string {
  return `sha256:${createHash("sha256").update(token).digest("hex")}`
}

function toInstruction(row: Record<string, unknown>): Instruction {
  return {
    id: row.id as string,
    kind: row.kind as InstructionKind,
    payment_id: (row.payment_id as string | null) ?? null,
    reference: row.reference as string,
    medusa_id: (row.medusa_id as string | null) ?? null,
    options: (typeof row.options === "string" ? JSON.parse(row.options) : row.options) as InstructionOptions,
    state: row.state as InstructionState,
  }
}
