import { Migration } from '@mikro-orm/migrations';

export class Migration20261204053106AuditReports extends Migration {
  override up(): void {
    this.addSql("create type \"audit\".\"audit_report_status\" as enum ('SUBMITTED', 'RECORDED', 'FAILED');");
    this.addSql(
      'create table "audit"."audit_report" ("id" uuid not null, "tenant_id" text not null, "deal_id" uuid not null, "bundle_id" uuid null, "bundle_sha256" text not null, "result_digest" text not null, "verified" boolean not null, "checks_passed" int not null, "checks_failed" int not null, "verified_at" timestamptz not null, "auditor" text not null, "signature" text not null, "digest" text not null, "chain_id" int not null, "registry" text not null, "status" "audit"."audit_report_status" not null default \'SUBMITTED\', "tx_hash" text null, "block_number" int null, "report_index" int null, "error" text null, "created_by" text not null, "created_at" timestamptz not null, "recorded_at" timestamptz null, primary key ("id"));',
    );
    this.addSql(
      'create index "audit_report_tenant_id_deal_id_created_at_index" on "audit"."audit_report" ("tenant_id", "deal_id", "created_at");',
    );
    this.addSql(
      'alter table "audit"."audit_report" add constraint "audit_report_digest_unique" unique ("digest");',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "audit"."audit_report" cascade;');
    this.addSql('drop type if exists "audit"."audit_report_status";');
  }
}
