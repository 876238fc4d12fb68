import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** The providers' instructions (`orchestrator_instruction`): capture and refund options, attempt marks, grants. */
export class Migration20261129150000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "orchestrator_instruction" ("id" text not null, "kind" text check ("kind" in ('capture', 'refund', 'off_session')) not null, "payment_id" text null, "reference" text not null, "medusa_id" text null, "options" jsonb not null, "state" text check ("state" in ('pending', 'started', 'done', 'canceled')) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orchestrator_instruction_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_orchestrator_instruction_deleted_at" ON "orchestrator_instruction" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_orchestrator_instruction_reference_kind_state" ON "orchestrator_instruction" ("reference", "kind", "state") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orchestrator_instruction_medusa_id_unique" ON "orchestrator_instruction" ("medusa_id") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "orchestrator_instruction" cascade;`)
  }
}
