import { Migration } from '@mikro-orm/migrations';

/**
 * What the deals subgraph publishes to the others (investors, distributions) about issued deals,
 * as read-only views, the way the audit schema publishes the gate's state: the deal's investor
 * restrictions and its on-chain suite, and each tranche's token. Other subgraphs read these views,
 * never the tables behind them.
 */
export class Migration20261203121500PublishedIssuance extends Migration {
  override up(): void {
    this.addSql(`create view "deals"."published_deal" as
      select d.id as deal_id, d.tenant_id, d.name, d.status::text as status, d.currency,
             d.accredited_only, d.allowed_countries, d.minimum_investment, d.lock_up_days,
             i.chain_id, i.status::text as issuance_status, i.deal_registry, i.on_chain_deal_id,
             i.identity_registry, i.claim_issuer, i.finished_at as issued_at
        from "deals"."deal" d
        left join "deals"."issuance" i on i.deal_id = d.id;`);
    this.addSql(`create view "deals"."published_tranche" as
      select t.id as tranche_id, t.tenant_id, t.deal_id, t.name, t.seniority, t.original_balance, t.coupon_bps,
             k.symbol, k.address as token_address, k.status::text as token_status, k.block_number as token_block,
             i.chain_id
        from "deals"."tranche" t
        left join "deals"."tranche_token" k on k.tranche_id = t.id
        left join "deals"."issuance" i on i.id = k.issuance_id;`);
  }

  override down(): void {
    this.addSql('drop view if exists "deals"."published_tranche";');
    this.addSql('drop view if exists "deals"."published_deal";');
  }
}
