import { Migration } from '@mikro-orm/migrations';

export class Migration20261203121028VerificationRuns extends Migration {
  override up(): void {
    this.addSql(
      "create type \"audit\".\"verification_status\" as enum ('QUEUED', 'RUNNING', 'DONE', 'FAILED');",
    );
    this.addSql(
      'create table "audit"."verification_run" ("id" uuid not null, "tenant_id" text not null, "status" "audit"."verification_status" not null default \'QUEUED\', "from_seq" int not null, "to_seq" int null, "checked" int not null default 0, "total" int not null default 0, "valid" boolean null, "first_broken_seq" int null, "reason" text null, "head_hash" text null, "error" text null, "requested_by" text not null, "requested_at" timestamptz not null, "finished_at" timestamptz null, primary key ("id"));',
    );
    this.addSql(
      'create index "verification_run_tenant_id_requested_at_index" on "audit"."verification_run" ("tenant_id", "requested_at");',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "audit"."verification_run" cascade;');
    this.addSql('drop type if exists "audit"."verification_status";');
  }
}
