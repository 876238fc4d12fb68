import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Webhook claims with a lease (`orchestrator_webhook_event`): `state` processing | done, `lease_until`, `attempts`, and
 * the Medusa `payment_id` the event is about (the reconciler takes over the stranded claims of the payment it checks).
 * A claim still `processing` after its lease ran out belongs to a process that died between the claim and its effect:
 * the next delivery of the event, or the reconciler, takes it over. Rows from before this migration: those with an
 * outcome are done; those without one are claims in progress whose lease ends 10 minutes after they were last touched
 * (the stale-claim window of the previous version).
 */
export class Migration20261129160000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "orchestrator_webhook_event" add column if not exists "state" text check ("state" in ('processing', 'done')) not null default 'processing', add column if not exists "lease_until" timestamptz null, add column if not exists "attempts" integer not null default 1, add column if not exists "payment_id" text null;`
    )
    this.addSql(
      `update "orchestrator_webhook_event" set "state" = case when "outcome" is null then 'processing' else 'done' end, "lease_until" = case when "outcome" is null then "updated_at" + interval '10 minutes' else null end;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_orchestrator_webhook_event_payment_id" ON "orchestrator_webhook_event" ("payment_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_orchestrator_webhook_event_state_lease_until" ON "orchestrator_webhook_event" ("state", "lease_until") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS "IDX_orchestrator_webhook_event_state_lease_until";`)
    this.addSql(`DROP INDEX IF EXISTS "IDX_orchestrator_webhook_event_payment_id";`)
    this.addSql(
      `alter table if exists "orchestrator_webhook_event" drop column if exists "state", drop column if exists "lease_until", drop column if exists "attempts", drop column if exists "payment_id";`
    )
  }
}
