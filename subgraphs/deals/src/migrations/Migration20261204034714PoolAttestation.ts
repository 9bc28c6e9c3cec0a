import { Migration } from '@mikro-orm/migrations';

/**
 * Pool attestations (proof, public signals, result, transaction) and the deal's covenants, which
 * existing deals get at their defaults (5 % of balance 60+ days delinquent, WA-LTV 80 %, no minimum).
 */
export class Migration20261204034714PoolAttestation extends Migration {
  override up(): void {
    this.addSql(
      "create type \"deals\".\"pool_attestation_status\" as enum ('REQUESTED', 'PROVING', 'SUBMITTING', 'VERIFIED', 'NOT_MET', 'FAILED');",
    );
    this.addSql(
      'create table "deals"."pool_attestation" ("id" uuid not null, "tenant_id" text not null, "deal_id" uuid not null, "tape_id" uuid not null, "tape_version" int not null, "period" int not null, "loan_count" int not null, "circuit" text not null, "capacity" int not null, "thresholds" jsonb not null, "chain_id" int not null, "status" "deals"."pool_attestation_status" not null default \'REQUESTED\', "progress" int not null default 0, "stage" text null, "attempts" int not null default 0, "pool_root" text null, "proof" jsonb null, "public_signals" jsonb null, "results" jsonb null, "verifier" text null, "tx_hash" text null, "block_number" int null, "error" text null, "change_request_id" uuid null, "requested_by" text not null, "created_at" timestamptz not null, "proved_at" timestamptz null, "finished_at" timestamptz null, primary key ("id"));',
    );
    this.addSql('create index "pool_attestation_tape_id_index" on "deals"."pool_attestation" ("tape_id");');
    this.addSql(
      'create index "pool_attestation_tenant_id_deal_id_index" on "deals"."pool_attestation" ("tenant_id", "deal_id");',
    );
    this.addSql(
      'alter table "deals"."deal" add "covenants" jsonb not null default \'{"maxDelinquencyBps":500,"delinquencyDays":60,"maxWaLtvBps":8000,"minBalance":"0"}\';',
    );
  }

  override down(): void {
    this.addSql('alter table "deals"."deal" drop column "covenants";');
    this.addSql('drop table if exists "deals"."pool_attestation" cascade;');
    this.addSql('drop type if exists "deals"."pool_attestation_status";');
  }
}
