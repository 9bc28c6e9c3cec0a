import { Migration } from '@mikro-orm/migrations';

export class Migration20261204010520SanctionsScreening extends Migration {
  override up(): void {
    this.addSql(
      "create type \"investors\".\"sanctions_status\" as enum ('NOT_SCREENED', 'CLEAR', 'BLOCKED');",
    );
    this.addSql(
      'create table "investors"."sanctions_screening" ("id" uuid not null, "tenant_id" text not null, "investor_id" uuid not null, "status" text not null, "name" text not null, "list_sha256" text not null, "threshold" double precision not null, "matches" jsonb not null, "screened_by" text not null, "screened_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'create index "sanctions_screening_tenant_id_investor_id_index" on "investors"."sanctions_screening" ("tenant_id", "investor_id");',
    );
    this.addSql(
      'alter table "investors"."investor" add "sanctions_status" "investors"."sanctions_status" not null default \'NOT_SCREENED\';',
    );
  }

  override down(): void {
    this.addSql('alter table "investors"."investor" drop column "sanctions_status";');
    this.addSql('drop table if exists "investors"."sanctions_screening" cascade;');
    this.addSql('drop type if exists "investors"."sanctions_status";');
  }
}
