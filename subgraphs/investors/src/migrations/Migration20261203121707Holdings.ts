import { Migration } from '@mikro-orm/migrations';

export class Migration20261203121707Holdings extends Migration {
  override up(): void {
    this.addSql(
      "create type \"investors\".\"subscription_status\" as enum ('REQUESTED', 'MINTING', 'MINTED', 'REJECTED', 'FAILED');",
    );
    this.addSql(
      'create table "investors"."chain_transaction" ("key" text not null, "tx_hash" text not null, "nonce" int not null, "from_address" text not null, "status" text not null, "block_number" int null, "updated_at" timestamptz not null, primary key ("key"));',
    );
    this.addSql(
      'create table "investors"."indexer_cursor" ("id" text not null, "cursor" jsonb not null, "updated_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'create table "investors"."subscription" ("id" uuid not null, "tenant_id" text not null, "investor_id" uuid not null, "deal_id" uuid not null, "tranche_id" uuid not null, "amount" bigint not null, "allocated_amount" bigint null, "wallet" text not null, "status" "investors"."subscription_status" not null default \'REQUESTED\', "requested_by" text not null, "allocated_by" text null, "change_request_id" uuid null, "identity_address" text null, "mint_tx_hash" text null, "error" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'create index "subscription_investor_id_index" on "investors"."subscription" ("investor_id");',
    );
    this.addSql(
      'create index "subscription_tenant_id_tranche_id_index" on "investors"."subscription" ("tenant_id", "tranche_id");',
    );
    this.addSql(
      'create table "investors"."token_transfer" ("id" text not null, "tenant_id" text not null, "chain_id" int not null, "token" text not null, "tranche_id" uuid not null, "block_number" int not null, "tx_hash" text not null, "from_address" text not null, "to_address" text not null, "amount" bigint not null, primary key ("id"));',
    );
    this.addSql('comment on column "investors"."token_transfer"."id" is \'<chainId>:<txHash>:<logIndex>\';');
    this.addSql(
      'create index "token_transfer_chain_id_token_block_number_index" on "investors"."token_transfer" ("chain_id", "token", "block_number");',
    );
    this.addSql(
      'create index "token_transfer_token_from_address_index" on "investors"."token_transfer" ("token", "from_address");',
    );
    this.addSql(
      'create index "token_transfer_token_to_address_index" on "investors"."token_transfer" ("token", "to_address");',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "investors"."token_transfer" cascade;');
    this.addSql('drop table if exists "investors"."subscription" cascade;');
    this.addSql('drop table if exists "investors"."indexer_cursor" cascade;');
    this.addSql('drop table if exists "investors"."chain_transaction" cascade;');
    this.addSql('drop type if exists "investors"."subscription_status";');
  }
}
