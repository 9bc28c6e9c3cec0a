import { Migration } from '@mikro-orm/migrations';

export class Migration20261204021505Payouts extends Migration {
  override up(): void {
    this.addSql(
      "create type \"distributions\".\"payout_status\" as enum ('PROPOSED', 'PENDING', 'APPROVED', 'EXECUTED', 'FAILED', 'CANCELLED', 'RECONCILED');",
    );
    this.addSql(
      'create table "distributions"."chain_transaction" ("key" text not null, "tx_hash" text not null, "nonce" int not null, "from_address" text not null, "status" text not null, "block_number" int null, "updated_at" timestamptz not null, primary key ("key"));',
    );
    this.addSql(
      'create table "distributions"."deal_waterfall_state" ("deal_id" uuid not null, "tenant_id" text not null, "period" int not null, "state" text not null, "report_id" uuid not null, "updated_at" timestamptz not null, primary key ("deal_id"));',
    );
    this.addSql(
      'create table "distributions"."servicer_report" ("id" uuid not null, "tenant_id" text not null, "deal_id" uuid not null, "period" int not null, "report" text not null, "report_sha256" text not null, "input_sha256" text not null, "engine_version" text not null, "summary" text not null, "classes" text not null, "next_state" text not null, "status" "distributions"."payout_status" not null default \'PROPOSED\', "record_block" int null, "change_request_id" uuid null, "progress" int not null default 0, "error" text null, "reconciliation" text null, "submitted_by" text not null, "created_at" timestamptz not null, "executed_at" timestamptz null, primary key ("id"));',
    );
    this.addSql(
      'create index "servicer_report_tenant_id_deal_id_index" on "distributions"."servicer_report" ("tenant_id", "deal_id");',
    );
    this.addSql(
      'create table "distributions"."tranche_payout" ("id" uuid not null, "tenant_id" text not null, "report_id" uuid not null, "tranche_id" uuid not null, "class_id" text not null, "token" text not null, "chain_id" int not null, "distribution_id" text not null, "class_cash" bigint not null, "total" bigint not null, "remainder" bigint not null, "merkle_root" text not null, "leaves" jsonb not null, "recipients" int not null, "claim_deadline" timestamptz not null, "from_block" int not null, "fund_tx" text null, "publish_tx" text null, "pushed" int not null default 0, "paid_total" bigint not null default \'0\', "swept_tx" text null, "swept" bigint not null default \'0\', "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'alter table "distributions"."tranche_payout" add constraint "tranche_payout_report_id_tranche_id_unique" unique ("report_id", "tranche_id");',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "distributions"."tranche_payout" cascade;');
    this.addSql('drop table if exists "distributions"."servicer_report" cascade;');
    this.addSql('drop table if exists "distributions"."deal_waterfall_state" cascade;');
    this.addSql('drop table if exists "distributions"."chain_transaction" cascade;');
    this.addSql('drop type if exists "distributions"."payout_status";');
  }
}
