import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** PSP reference → Medusa payment session (`orchestrator_payment_ref`): how the webhook sync finds a payment. */
export class Migration20261130090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "orchestrator_payment_ref" ("id" text not null, "gateway" text check ("gateway" in ('stripe', 'paypal')) not null, "reference" text not null, "session_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orchestrator_payment_ref_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_orchestrator_payment_ref_deleted_at" ON "orchestrator_payment_ref" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orchestrator_payment_ref_gateway_reference_unique" ON "orchestrator_payment_ref" ("gateway", "reference") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "orchestrator_payment_ref" cascade;`)
  }
}
