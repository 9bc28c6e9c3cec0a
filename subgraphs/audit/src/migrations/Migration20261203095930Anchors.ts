import { Migration } from '@mikro-orm/migrations';

export class Migration20261203095930Anchors extends Migration {
  override up(): void {
    this.addSql("create type \"audit\".\"anchor_status\" as enum ('PENDING', 'ANCHORED', 'FAILED');");
    this.addSql(
      'create table "audit"."chain_transaction" ("key" text not null, "tx_hash" text not null, "nonce" int not null, "from_address" text not null, "status" text not null, "block_number" int null, "updated_at" timestamptz not null, primary key ("key"));',
    );
    this.addSql(
      'create table "audit"."ledger_anchor" ("id" uuid not null, "tenant_id" text not null, "first_seq" int not null, "last_seq" int not null, "merkle_root" text not null, "status" "audit"."anchor_status" not null default \'PENDING\', "chain_id" int not null, "contract_address" text not null, "tx_hash" text null, "block_number" int null, "anchor_index" int null, "error" text null, "attempts" int not null default 0, "created_at" timestamptz not null, "anchored_at" timestamptz null, primary key ("id"));',
    );
    this.addSql(
      'create index "ledger_anchor_tenant_id_contract_address_last_seq_index" on "audit"."ledger_anchor" ("tenant_id", "contract_address", "last_seq");',
    );
    this.addSql(
      'alter table "audit"."ledger_anchor" add constraint "ledger_anchor_tenant_id_contract_address_first_seq_unique" unique ("tenant_id", "contract_address", "first_seq");',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "audit"."ledger_anchor" cascade;');
    this.addSql('drop table if exists "audit"."chain_transaction" cascade;');
    this.addSql('drop type if exists "audit"."anchor_status";');
  }
}
