import { Migration } from '@mikro-orm/migrations';

export class Migration20261203122400TokenOperations extends Migration {
  override up(): void {
    this.addSql(
      "create type \"investors\".\"token_action_kind\" as enum ('FREEZE', 'UNFREEZE', 'FREEZE_PARTIAL', 'UNFREEZE_PARTIAL', 'FORCED_TRANSFER', 'RECOVERY');",
    );
    this.addSql("create type \"investors\".\"token_action_status\" as enum ('PENDING', 'DONE', 'FAILED');");
    this.addSql(
      'create table "investors"."token_action" ("id" uuid not null, "tenant_id" text not null, "kind" "investors"."token_action_kind" not null, "deal_id" uuid not null, "tranche_id" uuid not null, "wallet" text not null, "to_wallet" text null, "amount" bigint null, "status" "investors"."token_action_status" not null default \'PENDING\', "tx_hash" text null, "error" text null, "change_request_id" uuid null, "requested_by" text not null, "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'create index "token_action_tenant_id_tranche_id_index" on "investors"."token_action" ("tenant_id", "tranche_id");',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "investors"."token_action" cascade;');
    this.addSql('drop type if exists "investors"."token_action_status";');
    this.addSql('drop type if exists "investors"."token_action_kind";');
  }
}
