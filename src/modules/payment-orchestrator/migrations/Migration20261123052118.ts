import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261123052118 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "orchestrator_webhook_event" drop constraint if exists "orchestrator_webhook_event_gateway_event_id_unique";`);
    this.addSql(`alter table if exists "orchestrator_transaction" drop constraint if exists "orchestrator_transaction_source_id_unique";`);
    this.addSql(`alter table if exists "orchestrator_dispute" drop constraint if exists "orchestrator_dispute_gateway_reference_unique";`);
    this.addSql(`create table if not exists "orchestrator_dispute" ("id" text not null, "gateway" text not null, "reference" text not null, "order_id" text not null, "payment_id" text not null, "transaction_id" text null, "amount" numeric not null, "currency" text not null, "reason" text null, "status" text not null, "psp_status" text null, "evidence_due_by" timestamptz null, "closed_at" timestamptz null, "refund_id" text null, "history" jsonb not null, "metadata" jsonb null, "raw_amount" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orchestrator_dispute_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orchestrator_dispute_order_id" ON "orchestrator_dispute" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orchestrator_dispute_payment_id" ON "orchestrator_dispute" ("payment_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orchestrator_dispute_deleted_at" ON "orchestrator_dispute" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orchestrator_dispute_gateway_reference_unique" ON "orchestrator_dispute" ("gateway", "reference") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orchestrator_transaction" ("id" text not null, "source_id" text not null, "order_id" text not null, "payment_id" text not null, "parent_id" text null, "transaction_type" text check ("transaction_type" in ('authorize', 'capture', 'refund')) not null, "gateway" text not null, "provider_id" text not null, "reference" text null, "custom_reference" text null, "capture_mechanism" text check ("capture_mechanism" in ('automatic', 'manual')) null, "refund_mechanism" text check ("refund_mechanism" in ('automatic', 'manual')) null, "amount" numeric not null, "currency" text not null, "status" text check ("status" in ('pending', 'complete', 'failed', 'canceled')) not null, "detailed_status" text not null, "psp_status" text null, "statement_descriptor" text null, "invoice_detail_ids" jsonb null, "expires_at" timestamptz null, "occurred_at" timestamptz not null, "status_history" jsonb not null, "metadata" jsonb null, "raw_amount" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orchestrator_transaction_pkey" primary key ("id"));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orchestrator_transaction_source_id_unique" ON "orchestrator_transaction" ("source_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orchestrator_transaction_order_id" ON "orchestrator_transaction" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orchestrator_transaction_payment_id" ON "orchestrator_transaction" ("payment_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orchestrator_transaction_deleted_at" ON "orchestrator_transaction" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orchestrator_transaction_order_id_occurred_at" ON "orchestrator_transaction" ("order_id", "occurred_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orchestrator_webhook_event" ("id" text not null, "gateway" text not null, "event_id" text not null, "event_type" text not null, "object_id" text null, "outcome" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orchestrator_webhook_event_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orchestrator_webhook_event_deleted_at" ON "orchestrator_webhook_event" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orchestrator_webhook_event_gateway_event_id_unique" ON "orchestrator_webhook_event" ("gateway", "event_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "orchestrator_dispute" cascade;`);

    this.addSql(`drop table if exists "orchestrator_transaction" cascade;`);

    this.addSql(`drop table if exists "orchestrator_webhook_event" cascade;`);
  }

}
