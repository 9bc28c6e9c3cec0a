import { Migration } from '@mikro-orm/migrations';

export class Migration20261121065015Init extends Migration {
  override up(): void {
    this.addSql('create schema if not exists "deals";');
    this.addSql(
      "create type \"deals\".\"asset_class\" as enum ('RMBS', 'CMBS', 'AUTO', 'CONSUMER', 'OTHER');",
    );
    this.addSql("create type \"deals\".\"deal_status\" as enum ('DRAFT', 'STRUCTURED', 'ISSUED', 'CLOSED');");
    this.addSql(
      'create table "deals"."deal" ("id" uuid not null, "tenant_id" text not null, "name" text not null, "asset_class" "deals"."asset_class" not null, "status" "deals"."deal_status" not null default \'DRAFT\', "currency" text not null, "closing_date" date null, "original_balance" bigint not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql('create index "deal_tenant_id_index" on "deals"."deal" ("tenant_id");');
    this.addSql(
      'alter table "deals"."deal" add constraint "deal_tenant_id_name_unique" unique ("tenant_id", "name");',
    );
    this.addSql(
      'create table "deals"."outbox_event" ("id" bigserial primary key, "event_id" uuid not null, "tenant_id" text not null, "actor" text not null, "action" text not null, "aggregate_type" text not null, "aggregate_id" text not null, "payload" text not null, "request_id" text null, "occurred_at" timestamptz not null);',
    );
    this.addSql(
      'alter table "deals"."outbox_event" add constraint "outbox_event_event_id_unique" unique ("event_id");',
    );
    this.addSql('create index "outbox_event_tenant_id_index" on "deals"."outbox_event" ("tenant_id");');
    this.addSql(
      'create table "deals"."tranche" ("id" uuid not null, "deal_id" uuid not null, "tenant_id" text not null, "name" text not null, "seniority" int not null, "original_balance" bigint not null, "coupon_bps" int not null, primary key ("id"));',
    );
    this.addSql('create index "tranche_tenant_id_index" on "deals"."tranche" ("tenant_id");');
    this.addSql(
      'alter table "deals"."tranche" add constraint "tranche_deal_id_seniority_unique" unique ("deal_id", "seniority");',
    );
    this.addSql(
      'alter table "deals"."tranche" add constraint "tranche_deal_id_name_unique" unique ("deal_id", "name");',
    );
    this.addSql(
      'alter table "deals"."tranche" add constraint "tranche_deal_id_foreign" foreign key ("deal_id") references "deals"."deal" ("id") on delete cascade;',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "deals"."tranche" cascade;');
    this.addSql('drop table if exists "deals"."deal" cascade;');
    this.addSql('drop table if exists "deals"."outbox_event" cascade;');
    this.addSql('drop type if exists "deals"."deal_status";');
    this.addSql('drop type if exists "deals"."asset_class";');
  }
}
