import { Migration } from '@mikro-orm/migrations';

export class Migration20261204010042WalletProof extends Migration {
  override up(): void {
    this.addSql(
      'create table "investors"."wallet_challenge" ("id" uuid not null, "tenant_id" text not null, "investor_id" uuid not null, "address" text not null, "nonce" text not null, "message" text not null, "message_sha256" text not null, "domain" text not null, "chain_id" int not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_by" text not null, "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'create index "wallet_challenge_tenant_id_investor_id_index" on "investors"."wallet_challenge" ("tenant_id", "investor_id");',
    );
    this.addSql(
      'alter table "investors"."wallet_challenge" add constraint "wallet_challenge_nonce_unique" unique ("nonce");',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "investors"."wallet_challenge" cascade;');
  }
}
