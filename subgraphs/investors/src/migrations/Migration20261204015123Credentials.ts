import { Migration } from '@mikro-orm/migrations';

export class Migration20261204015123Credentials extends Migration {
  override up(): void {
    this.addSql(
      "create type \"investors\".\"accreditation_type\" as enum ('INCOME', 'NET_WORTH', 'PROFESSIONAL', 'ENTITY');",
    );
    this.addSql(
      "create type \"investors\".\"kyc_inquiry_status\" as enum ('OPEN', 'COMPLETED', 'APPROVED', 'DECLINED', 'EXPIRED');",
    );
    this.addSql(
      'create table "investors"."kyc_inquiry" ("id" uuid not null, "tenant_id" text not null, "investor_id" uuid not null, "provider" text not null, "provider_inquiry_id" text not null, "hosted_url" text not null, "status" "investors"."kyc_inquiry_status" not null default \'OPEN\', "opened_by" text not null, "created_at" timestamptz not null, "decided_at" timestamptz null, "updated_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'create index "kyc_inquiry_tenant_id_investor_id_index" on "investors"."kyc_inquiry" ("tenant_id", "investor_id");',
    );
    this.addSql(
      'alter table "investors"."kyc_inquiry" add constraint "kyc_inquiry_provider_inquiry_id_unique" unique ("provider_inquiry_id");',
    );
    this.addSql(
      'create table "investors"."kyc_webhook_event" ("event_id" text not null, "tenant_id" text not null, "name" text not null, "provider_inquiry_id" text not null, "received_at" timestamptz not null, "processed_at" timestamptz null, primary key ("event_id"));',
    );
    // today's APPROVED is the plan's VERIFIED
    this.addSql('alter type "investors"."kyc_status" rename value \'APPROVED\' to \'VERIFIED\';');
    this.addSql(
      'alter type "investors"."kyc_status" add value if not exists \'EXPIRED\' after \'REJECTED\';',
    );
    this.addSql(
      'alter table "investors"."investor" add "kyc_provider" text null, add "kyc_verified_at" timestamptz null, add "kyc_expires_at" timestamptz null, add "kyc_document_sha256" text null, add "accreditation_type" "investors"."accreditation_type" null, add "accreditation_expires_at" timestamptz null, add "accreditation_proof_sha256" text null, add "state" text null, add "tax_residencies" text[] not null default \'{}\', add "portal_subject" text null;',
    );
    this.addSql(
      'alter type "investors"."token_action_kind" add value if not exists \'REVOKE_CLAIMS\' after \'RECOVERY\';',
    );
    this.addSql('alter table "investors"."token_action" add "reason" text null;');
  }

  override down(): void {
    this.addSql('alter table "investors"."token_action" drop column "reason";');
    this.addSql(
      'alter table "investors"."investor" drop column "kyc_provider", drop column "kyc_verified_at", drop column "kyc_expires_at", drop column "kyc_document_sha256", drop column "accreditation_type", drop column "accreditation_expires_at", drop column "accreditation_proof_sha256", drop column "state", drop column "tax_residencies", drop column "portal_subject";',
    );
    // enum values cannot be dropped: EXPIRED and REVOKE_CLAIMS stay, unused
    this.addSql('alter type "investors"."kyc_status" rename value \'VERIFIED\' to \'APPROVED\';');
    this.addSql('drop table if exists "investors"."kyc_webhook_event" cascade;');
    this.addSql('drop table if exists "investors"."kyc_inquiry" cascade;');
    this.addSql('drop type if exists "investors"."kyc_inquiry_status";');
    this.addSql('drop type if exists "investors"."accreditation_type";');
  }
}
