import { Migration } from '@mikro-orm/migrations';

export class Migration20261203135827AuditBundles extends Migration {
  override up(): void {
    this.addSql(
      "create type \"audit\".\"audit_bundle_status\" as enum ('QUEUED', 'RUNNING', 'READY', 'FAILED');",
    );
    this.addSql(
      'create table "audit"."audit_bundle" ("id" uuid not null, "tenant_id" text not null, "deal_id" uuid not null, "period_from" timestamptz not null, "period_to" timestamptz not null, "status" "audit"."audit_bundle_status" not null default \'QUEUED\', "processed" int not null default 0, "event_count" int not null default 0, "anchored_count" int not null default 0, "sha256" text null, "size_bytes" int null, "signer" text null, "chain_id" int null, "error" text null, "created_by" text not null, "created_at" timestamptz not null, "finished_at" timestamptz null, primary key ("id"));',
    );
    this.addSql(
      'create index "audit_bundle_tenant_id_deal_id_index" on "audit"."audit_bundle" ("tenant_id", "deal_id");',
    );
    this.addSql(
      'create index "audit_bundle_tenant_id_created_at_index" on "audit"."audit_bundle" ("tenant_id", "created_at");',
    );
    this.addSql(
      'create table "audit"."audit_bundle_archive" ("id" uuid not null, "tenant_id" text not null, "content" bytea not null, "stored_at" timestamptz not null, primary key ("id"));',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "audit"."audit_bundle_archive" cascade;');
    this.addSql('drop table if exists "audit"."audit_bundle" cascade;');
    this.addSql('drop type if exists "audit"."audit_bundle_status";');
  }
}
