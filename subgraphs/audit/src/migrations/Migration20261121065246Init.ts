import { Migration } from '@mikro-orm/migrations';

export class Migration20261121065246Init extends Migration {
  override up(): void {
    this.addSql('create schema if not exists "audit";');
    this.addSql(
      'create table "audit"."audit_event" ("id" uuid not null, "seq" int not null, "tenant_id" text not null, "source" text not null, "source_event_id" uuid not null, "actor" text not null, "action" text not null, "aggregate_type" text not null, "aggregate_id" text not null, "payload" text not null, "request_id" text null, "occurred_at" timestamptz not null, "recorded_at" timestamptz not null, "prev_hash" text not null, "hash" text not null, primary key ("id"));',
    );
    this.addSql('alter table "audit"."audit_event" add constraint "audit_event_seq_unique" unique ("seq");');
    this.addSql(
      'alter table "audit"."audit_event" add constraint "audit_event_source_event_id_unique" unique ("source_event_id");',
    );
    this.addSql(
      'create index "audit_event_aggregate_type_aggregate_id_index" on "audit"."audit_event" ("aggregate_type", "aggregate_id");',
    );
    this.addSql(
      'create index "audit_event_tenant_id_seq_index" on "audit"."audit_event" ("tenant_id", "seq");',
    );
    this.addSql(
      'create table "audit"."outbox_cursor" ("source" text not null, "last_id" bigint not null, primary key ("source"));',
    );
    this.addSql(
      'create table "audit"."outbox_event" ("id" bigserial primary key, "event_id" uuid not null, "tenant_id" text not null, "actor" text not null, "action" text not null, "aggregate_type" text not null, "aggregate_id" text not null, "payload" text not null, "request_id" text null, "occurred_at" timestamptz not null);',
    );
    this.addSql(
      'alter table "audit"."outbox_event" add constraint "outbox_event_event_id_unique" unique ("event_id");',
    );
    this.addSql('create index "outbox_event_tenant_id_index" on "audit"."outbox_event" ("tenant_id");');
  }

  override down(): void {
    this.addSql('drop table if exists "audit"."outbox_event" cascade;');
    this.addSql('drop table if exists "audit"."outbox_cursor" cascade;');
    this.addSql('drop table if exists "audit"."audit_event" cascade;');
  }
}
