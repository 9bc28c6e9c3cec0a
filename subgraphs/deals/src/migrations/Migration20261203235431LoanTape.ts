import { Migration } from '@mikro-orm/migrations';

export class Migration20261203235431LoanTape extends Migration {
  override up(): void {
    this.addSql(
      "create type \"deals\".\"tape_status\" as enum ('AWAITING_UPLOAD', 'RECEIVING', 'RECEIVED', 'VALIDATING', 'VALIDATED', 'REJECTED');",
    );
    this.addSql(
      "create type \"deals\".\"tape_anchor_status\" as enum ('NONE', 'PENDING', 'ANCHORED', 'FAILED');",
    );
    this.addSql(
      'create table "deals"."loan" ("id" uuid not null default gen_random_uuid(), "tenant_id" text not null, "tape_id" uuid not null, "row" int not null, "loan_id" text not null, "original_balance" bigint not null, "current_balance" bigint not null, "note_rate" double precision not null, "original_term" int not null, "remaining_term" int not null, "ltv_bps" int not null, "fico" int not null, "dti_bps" int not null, "property_state" text not null, "property_zip" text not null, "occupancy" text not null, "delinquency_status" text not null, "days_delinquent" int not null, "origination_date" date null, "servicing_fee_rate" double precision not null, "salt" text not null, "pii" bytea not null, primary key ("id"));',
    );
    this.addSql('create index "loan_tape_id_row_index" on "deals"."loan" ("tape_id", "row");');
    this.addSql(
      'alter table "deals"."loan" add constraint "loan_tape_id_loan_id_unique" unique ("tape_id", "loan_id");',
    );
    this.addSql(
      'create table "deals"."loan_tape" ("id" uuid not null, "tenant_id" text not null, "deal_id" uuid not null, "version" int not null, "cutoff_date" date not null, "period" int not null, "file_name" text not null, "status" "deals"."tape_status" not null default \'AWAITING_UPLOAD\', "sha256" text null, "byte_size" bigint null, "row_count" int null, "rows_processed" int not null default 0, "error_count" int not null default 0, "row_errors" jsonb not null, "poseidon_root" text null, "root_capacity" int null, "key_id" text not null, "wrapped_key" bytea not null, "anchor_status" "deals"."tape_anchor_status" not null default \'NONE\', "anchor_tx_hash" text null, "anchor_block" int null, "anchor_chain_id" int null, "anchor_error" text null, "stratification" jsonb null, "uploaded_by" text not null, "created_at" timestamptz not null, "validated_at" timestamptz null, primary key ("id"));',
    );
    this.addSql(
      'create index "loan_tape_tenant_id_deal_id_index" on "deals"."loan_tape" ("tenant_id", "deal_id");',
    );
    this.addSql(
      'alter table "deals"."loan_tape" add constraint "loan_tape_deal_id_version_unique" unique ("deal_id", "version");',
    );
    this.addSql(
      'create table "deals"."loan_tape_chunk" ("tape_id" uuid not null, "seq" int not null, "data" bytea not null, primary key ("tape_id", "seq"));',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "deals"."loan_tape_chunk" cascade;');
    this.addSql('drop table if exists "deals"."loan_tape" cascade;');
    this.addSql('drop table if exists "deals"."loan" cascade;');
    this.addSql('drop type if exists "deals"."tape_anchor_status";');
    this.addSql('drop type if exists "deals"."tape_status";');
  }
}
