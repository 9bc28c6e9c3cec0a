import { Migration } from '@mikro-orm/migrations';

/**
 * The deal's rule document joins what the deals subgraph publishes: the distributions subgraph
 * runs the waterfall of each servicer report (and its oracles recompute it) from these rules.
 */
export class Migration20261204021500PublishedRules extends Migration {
  override up(): void {
    this.addSql(`create or replace view "deals"."published_deal" as
      select d.id as deal_id, d.tenant_id, d.name, d.status::text as status, d.currency,
             d.accredited_only, d.allowed_countries, d.minimum_investment, d.lock_up_days,
             i.chain_id, i.status::text as issuance_status, i.deal_registry, i.on_chain_deal_id,
             i.identity_registry, i.claim_issuer, i.finished_at as issued_at,
             d.waterfall_rules
        from "deals"."deal" d
        left join "deals"."issuance" i on i.deal_id = d.id;`);
  }

  override down(): void {
    this.addSql('drop view if exists "deals"."published_deal";');
    this.addSql(`create view "deals"."published_deal" as
      select d.id as deal_id, d.tenant_id, d.name, d.status::text as status, d.currency,
             d.accredited_only, d.allowed_countries, d.minimum_investment, d.lock_up_days,
             i.chain_id, i.status::text as issuance_status, i.deal_registry, i.on_chain_deal_id,
             i.identity_registry, i.claim_issuer, i.finished_at as issued_at
        from "deals"."deal" d
        left join "deals"."issuance" i on i.deal_id = d.id;`);
  }
}
