import { Migration } from '@mikro-orm/migrations';

/**
 * What the investors subgraph publishes to the others about an investor, as a read-only view: who
 * they are, their proven wallet and the portal user who is them — the distributions subgraph
 * addresses statements with it and lets an investor download only their own.
 */
export class Migration20261204023800PublishedInvestor extends Migration {
  override up(): void {
    this.addSql(`create view "investors"."published_investor" as
      select id as investor_id, tenant_id, legal_name, kind::text as kind, jurisdiction, state,
             wallet_address, portal_subject
        from "investors"."investor";`);
  }

  override down(): void {
    this.addSql('drop view if exists "investors"."published_investor";');
  }
}
