import { Migration } from '@mikro-orm/migrations';

export class Migration20261203114415Issuance extends Migration {
  override up(): void {
    this.addSql(
      "create type \"deals\".\"regulatory_framework\" as enum ('REG_D_506B', 'REG_D_506C', 'REG_S', 'RULE_144A', 'EU_PROSPECTUS', 'OTHER');",
    );
    this.addSql(
      "create type \"deals\".\"document_kind\" as enum ('OFFERING_MEMORANDUM', 'POOLING_AND_SERVICING_AGREEMENT', 'PROSPECTUS_SUPPLEMENT', 'INDENTURE', 'LOAN_TAPE', 'OTHER');",
    );
    this.addSql("create type \"deals\".\"deployment_status\" as enum ('DEPLOYING', 'DEPLOYED', 'FAILED');");
    this.addSql(
      'create table "deals"."chain_transaction" ("key" text not null, "tx_hash" text not null, "nonce" int not null, "from_address" text not null, "status" text not null, "block_number" int null, "updated_at" timestamptz not null, primary key ("key"));',
    );
    this.addSql(
      'create table "deals"."deal_document" ("id" uuid not null, "tenant_id" text not null, "deal_id" uuid not null, "kind" "deals"."document_kind" not null, "title" text not null, "sha256" text not null, "uri" text not null, "added_by" text not null, "created_at" timestamptz not null, "registered_tx_hash" text null, "registered_block" int null, primary key ("id"));',
    );
    this.addSql('create index "deal_document_tenant_id_index" on "deals"."deal_document" ("tenant_id");');
    this.addSql(
      'alter table "deals"."deal_document" add constraint "deal_document_deal_id_sha256_unique" unique ("deal_id", "sha256");',
    );
    this.addSql(
      'create table "deals"."issuance" ("id" uuid not null, "tenant_id" text not null, "deal_id" uuid not null, "status" "deals"."deployment_status" not null default \'DEPLOYING\', "chain_id" int not null, "deal_registry" text not null, "on_chain_deal_id" text not null, "terms_sha256" text not null, "change_request_id" uuid not null, "steps_total" int not null, "steps_done" int not null default 0, "identity_registry" text null, "claim_issuer" text null, "registry_tx_hash" text null, "error" text null, "attempts" int not null default 0, "started_by" text not null, "started_at" timestamptz not null, "finished_at" timestamptz null, primary key ("id"));',
    );
    this.addSql('create index "issuance_tenant_id_index" on "deals"."issuance" ("tenant_id");');
    this.addSql(
      'alter table "deals"."issuance" add constraint "issuance_deal_id_unique" unique ("deal_id");',
    );
    this.addSql(
      'create table "deals"."issuance_transaction" ("id" uuid not null, "tenant_id" text not null, "issuance_id" uuid not null, "seq" int not null, "step" text not null, "tx_hash" text not null, "block_number" int not null, "gas_used" text not null, "contract_address" text null, "mined_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'create index "issuance_transaction_issuance_id_seq_index" on "deals"."issuance_transaction" ("issuance_id", "seq");',
    );
    this.addSql(
      'alter table "deals"."issuance_transaction" add constraint "issuance_transaction_issuance_id_step_unique" unique ("issuance_id", "step");',
    );
    this.addSql(
      'create table "deals"."tranche_token" ("id" uuid not null, "tenant_id" text not null, "issuance_id" uuid not null, "tranche_id" uuid not null, "tranche" text not null, "seniority" int not null, "symbol" text not null, "status" "deals"."deployment_status" not null default \'DEPLOYING\', "address" text null, "compliance" text null, "deploy_tx" text null, "gas_used" text null, "block_number" int null, primary key ("id"));',
    );
    this.addSql('create index "tranche_token_issuance_id_index" on "deals"."tranche_token" ("issuance_id");');
    this.addSql(
      'alter table "deals"."tranche_token" add constraint "tranche_token_tranche_id_unique" unique ("tranche_id");',
    );
    this.addSql(
      'alter table "deals"."deal" add "spv_name" text null, add "spv_jurisdiction" text null, add "regulatory_framework" "deals"."regulatory_framework" null, add "accredited_only" boolean not null default true, add "allowed_countries" text[] not null default \'{}\', add "minimum_investment" bigint null, add "lock_up_days" int not null default 0, add "chain_id" int null, add "review_change_request_id" uuid null, add "termination_change_request_id" uuid null;',
    );
    this.addSql(
      'alter table "deals"."deal_document" add constraint "deal_document_deal_id_foreign" foreign key ("deal_id") references "deals"."deal" ("id") on delete cascade;',
    );

    // The plan's lifecycle replaces DRAFT/STRUCTURED/ISSUED/CLOSED: work in progress becomes
    // PROPOSED (nothing was reviewed), ISSUED becomes ACTIVE and CLOSED becomes MATURED.
    this.addSql('alter type "deals"."deal_status" rename to "deal_status_old";');
    this.addSql(
      "create type \"deals\".\"deal_status\" as enum ('PROPOSED', 'IN_REVIEW', 'APPROVED', 'DEPLOYED', 'ACTIVE', 'LOCKED', 'MATURED', 'TERMINATED');",
    );
    this.addSql('alter table "deals"."deal" alter column "status" drop default;');
    this.addSql(
      `alter table "deals"."deal" alter column "status" type "deals"."deal_status" using (case "status"::text
         when 'ISSUED' then 'ACTIVE' when 'CLOSED' then 'MATURED' else 'PROPOSED' end)::"deals"."deal_status";`,
    );
    this.addSql('alter table "deals"."deal" alter column "status" set default \'PROPOSED\';');
    this.addSql('drop type "deals"."deal_status_old";');
  }

  override down(): void {
    this.addSql('alter type "deals"."deal_status" rename to "deal_status_new";');
    this.addSql("create type \"deals\".\"deal_status\" as enum ('DRAFT', 'STRUCTURED', 'ISSUED', 'CLOSED');");
    this.addSql('alter table "deals"."deal" alter column "status" drop default;');
    this.addSql(
      `alter table "deals"."deal" alter column "status" type "deals"."deal_status" using (case "status"::text
         when 'PROPOSED' then 'DRAFT' when 'IN_REVIEW' then 'STRUCTURED' when 'APPROVED' then 'STRUCTURED'
         when 'MATURED' then 'CLOSED' when 'TERMINATED' then 'CLOSED' else 'ISSUED' end)::"deals"."deal_status";`,
    );
    this.addSql('alter table "deals"."deal" alter column "status" set default \'DRAFT\';');
    this.addSql('drop type "deals"."deal_status_new";');
    this.addSql(
      'alter table "deals"."deal" drop column "spv_name", drop column "spv_jurisdiction", drop column "regulatory_framework", drop column "accredited_only", drop column "allowed_countries", drop column "minimum_investment", drop column "lock_up_days", drop column "chain_id", drop column "review_change_request_id", drop column "termination_change_request_id";',
    );
    this.addSql('drop table if exists "deals"."tranche_token" cascade;');
    this.addSql('drop table if exists "deals"."issuance_transaction" cascade;');
    this.addSql('drop table if exists "deals"."issuance" cascade;');
    this.addSql('drop table if exists "deals"."deal_document" cascade;');
    this.addSql('drop table if exists "deals"."chain_transaction" cascade;');
    this.addSql('drop type if exists "deals"."deployment_status";');
    this.addSql('drop type if exists "deals"."document_kind";');
    this.addSql('drop type if exists "deals"."regulatory_framework";');
  }
}
