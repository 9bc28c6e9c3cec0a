import { Migration } from '@mikro-orm/migrations';

/**
 * The governance domain's tables, and the gate's published interface: the `audit.gate_*` views
 * every subgraph's enforcement gate reads (active switches, live grants, the policy in force,
 * change requests) and `audit.claim_change_request`, which a side effect calls inside its own
 * transaction so an approved request executes at most once and only if that transaction commits.
 */
export class Migration20261203091747Governance extends Migration {
  override up(): void {
    this.addSql("create type \"audit\".\"risk_level\" as enum ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL');");
    this.addSql(
      "create type \"audit\".\"change_status\" as enum ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'EXECUTED', 'FAILED');",
    );
    this.addSql('create type "audit"."change_vote" as enum (\'APPROVE\', \'REJECT\');');
    this.addSql("create type \"audit\".\"kill_switch_scope\" as enum ('GLOBAL', 'DEAL', 'CAPABILITY');");
    this.addSql(
      'create table "audit"."break_glass_grant" ("id" uuid not null, "tenant_id" text not null, "grantee" text not null, "capability" text not null, "reason" text not null, "granted_by" text not null, "self_granted" boolean not null, "granted_at" timestamptz not null, "expires_at" timestamptz not null, "reviewed_by" text null, "reviewed_at" timestamptz null, "review_comment" text null, "revoked_at" timestamptz null, primary key ("id"));',
    );
    this.addSql(
      'create index "break_glass_grant_tenant_id_expires_at_index" on "audit"."break_glass_grant" ("tenant_id", "expires_at");',
    );
    this.addSql(
      'create table "audit"."change_request" ("id" uuid not null, "tenant_id" text not null, "type" text not null, "deal_id" uuid null, "title" text not null, "rationale" text not null, "payload" text not null, "payload_hash" text not null, "amount" bigint null, "risk_level" "audit"."risk_level" not null, "policy_version" int not null, "status" "audit"."change_status" not null default \'PENDING\', "requested_by" text not null, "created_at" timestamptz not null, "decided_at" timestamptz null, "expires_at" timestamptz null, "executed_at" timestamptz null, "executed_by" text null, "failure_reason" text null, primary key ("id"));',
    );
    this.addSql(
      'create index "change_request_tenant_id_deal_id_index" on "audit"."change_request" ("tenant_id", "deal_id");',
    );
    this.addSql(
      'create index "change_request_tenant_id_status_index" on "audit"."change_request" ("tenant_id", "status");',
    );
    this.addSql(
      'create table "audit"."change_approval" ("id" uuid not null, "tenant_id" text not null, "change_request_id" uuid not null, "actor" text not null, "roles" jsonb not null, "vote" "audit"."change_vote" not null, "comment" text null, "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'alter table "audit"."change_approval" add constraint "change_approval_change_request_id_actor_unique" unique ("change_request_id", "actor");',
    );
    this.addSql(
      'create table "audit"."governance_policy" ("id" uuid not null, "tenant_id" text not null, "version" int not null, "document" text not null, "created_by" text not null, "change_request_id" uuid null, "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'alter table "audit"."governance_policy" add constraint "governance_policy_tenant_id_version_unique" unique ("tenant_id", "version");',
    );
    this.addSql(
      'create table "audit"."kill_switch" ("id" uuid not null, "tenant_id" text not null, "scope" "audit"."kill_switch_scope" not null, "target" text null, "reason" text not null, "activated_by" text not null, "activated_at" timestamptz not null, "deactivated_at" timestamptz null, "deactivated_by" text null, "deactivation_request_id" uuid null, primary key ("id"));',
    );
    this.addSql(
      'create index "kill_switch_tenant_id_deactivated_at_index" on "audit"."kill_switch" ("tenant_id", "deactivated_at");',
    );
    this.addSql(
      'alter table "audit"."change_approval" add constraint "change_approval_change_request_id_foreign" foreign key ("change_request_id") references "audit"."change_request" ("id") on delete cascade;',
    );
    this.addSql(`create view "audit"."gate_kill_switches" as
      select id, tenant_id, scope::text as scope, target, reason from "audit"."kill_switch" where deactivated_at is null;`);
    this.addSql(`create view "audit"."gate_break_glass" as
      select id, tenant_id, grantee, capability, expires_at from "audit"."break_glass_grant"
       where revoked_at is null and expires_at > now();`);
    this.addSql(`create view "audit"."gate_policies" as
      select distinct on (tenant_id) tenant_id, version, document from "audit"."governance_policy"
       order by tenant_id, version desc;`);
    this.addSql(`create view "audit"."gate_change_requests" as
      select id, tenant_id, type, deal_id, payload_hash,
             case when status = 'APPROVED' and expires_at <= now() then 'EXPIRED' else status::text end as status,
             expires_at
        from "audit"."change_request";`);
    this
      .addSql(`create function "audit"."claim_change_request"(p_id uuid, p_tenant text, p_type text, p_payload_hash text, p_actor text)
      returns boolean language sql as $$
        update "audit"."change_request"
           set status = 'EXECUTED', executed_at = now(), executed_by = p_actor
         where id = p_id and tenant_id = p_tenant and type = p_type and payload_hash = p_payload_hash
           and status = 'APPROVED' and (expires_at is null or expires_at > now())
        returning true
      $$;`);
  }

  override down(): void {
    this.addSql('drop function if exists "audit"."claim_change_request"(uuid, text, text, text, text);');
    this.addSql('drop view if exists "audit"."gate_change_requests";');
    this.addSql('drop view if exists "audit"."gate_policies";');
    this.addSql('drop view if exists "audit"."gate_break_glass";');
    this.addSql('drop view if exists "audit"."gate_kill_switches";');
    this.addSql('drop table if exists "audit"."kill_switch" cascade;');
    this.addSql('drop table if exists "audit"."governance_policy" cascade;');
    this.addSql('drop table if exists "audit"."change_approval" cascade;');
    this.addSql('drop table if exists "audit"."change_request" cascade;');
    this.addSql('drop table if exists "audit"."break_glass_grant" cascade;');
    this.addSql('drop type if exists "audit"."kill_switch_scope";');
    this.addSql('drop type if exists "audit"."change_vote";');
    this.addSql('drop type if exists "audit"."change_status";');
    this.addSql('drop type if exists "audit"."risk_level";');
  }
}
