import { Migration } from '@mikro-orm/migrations';

export class Migration20261121065135Init extends Migration {
  override up(): void {
    this.addSql('create schema if not exists "investors";');
    this.addSql('create type "investors"."investor_kind" as enum (\'INDIVIDUAL\', \'ENTITY\');');
    this.addSql("create type \"investors\".\"kyc_status\" as enum ('PENDING', 'APPROVED', 'REJECTED');");
    this.addSql(
      'create table "investors"."investor" ("id" uuid not null, "tenant_id" text not null, "legal_name" text not null, "kind" "investors"."investor_kind" not null, "jurisdiction" text not null, "kyc_status" "investors"."kyc_status" not null default \'PENDING\', "wallet_address" text null, "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql('create index "investor_tenant_id_index" on "investors"."investor" ("tenant_id");');
    this.addSql(
      'create table "investors"."deal_interest" ("id" uuid not null, "investor_id" uuid not null, "deal_id" uuid not null, "tenant_id" text not null, primary key ("id"));',
    );
    this.addSql('create index "deal_interest_deal_id_index" on "investors"."deal_interest" ("deal_id");');
    this.addSql(
      'alter table "investors"."deal_interest" add constraint "deal_interest_investor_id_deal_id_unique" unique ("investor_id", "deal_id");',
    );
    this.addSql(
      'create table "investors"."outbox_event" ("id" bigserial primary key, "event_id" uuid not null, "tenant_id" text not null, "actor" text not null, "action" text not null, "aggregate_type" text not null, "aggregate_id" text not null, "payload" text not null, "request_id" text null, "occurred_at" timestamptz not null);',
    );
    this.addSql(
      'alter table "investors"."outbox_event" add constraint "outbox_event_event_id_unique" unique ("event_id");',
    );
    this.addSql('create index "outbox_event_tenant_id_index" on "investors"."outbox_event" ("tenant_id");');
    this.addSql(
      'alter table "investors"."deal_interest" add constraint "deal_interest_investor_id_foreign" foreign key ("investor_id") references "investors"."investor" ("id") on delete cascade;',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "investors"."outbox_event" cascade;');
    this.addSql('drop table if exists "investors"."deal_interest" cascade;');
    this.addSql('drop table if exists "investors"."investor" cascade;');
    this.addSql('drop type if exists "investors"."kyc_status";');
    this.addSql('drop type if exists "investors"."investor_kind";');
  }
}
