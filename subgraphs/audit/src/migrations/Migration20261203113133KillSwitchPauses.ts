import { Migration } from '@mikro-orm/migrations';

export class Migration20261203113133KillSwitchPauses extends Migration {
  override up(): void {
    this.addSql(
      "create type \"audit\".\"on_chain_pause_status\" as enum ('QUEUED', 'PAUSING', 'PAUSED', 'NOT_APPLICABLE', 'NO_CHAIN', 'FAILED');",
    );
    this.addSql(
      "create type \"audit\".\"pause_kind\" as enum ('TRANCHE_TOKEN', 'DEAL_REGISTRY_DEAL', 'DISTRIBUTION_MANAGER_TOKEN');",
    );
    this.addSql(
      "create type \"audit\".\"pause_status\" as enum ('PENDING', 'PAUSED', 'ALREADY_PAUSED', 'FAILED');",
    );
    this.addSql(
      'create table "audit"."kill_switch_pause" ("id" uuid not null, "tenant_id" text not null, "kill_switch_id" uuid not null, "kind" "audit"."pause_kind" not null, "deal_id" uuid not null, "chain_id" int not null, "contract_address" text not null, "subject" text not null default \'\', "status" "audit"."pause_status" not null default \'PENDING\', "tx_hash" text null, "block_number" int null, "error" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'create index "kill_switch_pause_kill_switch_id_index" on "audit"."kill_switch_pause" ("kill_switch_id");',
    );
    this.addSql(
      'alter table "audit"."kill_switch_pause" add constraint "kill_switch_pause_kill_switch_id_kind_contract_ad_85336_unique" unique ("kill_switch_id", "kind", "contract_address", "subject");',
    );
    this.addSql(
      'alter table "audit"."kill_switch" add "on_chain_status" "audit"."on_chain_pause_status" not null default \'QUEUED\';',
    );
    // Switches pulled before this version had nothing on-chain to pause: no deal was deployed yet.
    this.addSql('update "audit"."kill_switch" set "on_chain_status" = \'NOT_APPLICABLE\';');
  }

  override down(): void {
    this.addSql('alter table "audit"."kill_switch" drop column "on_chain_status";');
    this.addSql('drop table if exists "audit"."kill_switch_pause" cascade;');
    this.addSql('drop type if exists "audit"."pause_status";');
    this.addSql('drop type if exists "audit"."pause_kind";');
    this.addSql('drop type if exists "audit"."on_chain_pause_status";');
  }
}
