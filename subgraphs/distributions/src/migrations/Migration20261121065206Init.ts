import { Migration } from '@mikro-orm/migrations';

export class Migration20261121065206Init extends Migration {
  override up(): void {
    this.addSql('create schema if not exists "distributions";');
    this.addSql(
      "create type \"distributions\".\"distribution_status\" as enum ('DRAFT', 'APPROVED', 'PUBLISHED', 'PAID');",
    );
    this.addSql(
      'create table "distributions"."distribution" ("id" uuid not null, "tenant_id" text not null, "deal_id" uuid not null, "tranche_id" uuid not null, "period" int not null, "interest_amount" bigint not null, "principal_amount" bigint not null, "status" "distributions"."distribution_status" not null default \'DRAFT\', "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'create index "distribution_tenant_id_index" on "distributions"."distribution" ("tenant_id");',
    );
    this.addSql(
      'create index "distribution_tranche_id_index" on "distributions"."distribution" ("tranche_id");',
    );
    this.addSql(
      'alter table "distributions"."distribution" add constraint "distribution_tranche_id_period_unique" unique ("tranche_id", "period");',
    );
    this.addSql(
      'create table "distributions"."outbox_event" ("id" bigserial primary key, "event_id" uuid not null, "tenant_id" text not null, "actor" text not null, "action" text not null, "aggregate_type" text not null, "aggregate_id" text not null, "payload" text not null, "request_id" text null, "occurred_at" timestamptz not null);',
    );
    this.addSql(
      'alter table "distributions"."outbox_event" add constraint "outbox_event_event_id_unique" unique ("event_id");',
    );
    this.addSql(
      'create index "outbox_event_tenant_id_index" on "distributions"."outbox_event" ("tenant_id");',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "distributions"."outbox_event" cascade;');
    this.addSql('drop table if exists "distributions"."distribution" cascade;');
    this.addSql('drop type if exists "distributions"."distribution_status";');
  }
}
