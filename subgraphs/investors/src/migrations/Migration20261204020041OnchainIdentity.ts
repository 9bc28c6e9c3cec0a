import { Migration } from '@mikro-orm/migrations';

export class Migration20261204020041OnchainIdentity extends Migration {
  override up(): void {
    this.addSql('alter table "investors"."investor" add "onchain_identities" jsonb not null default \'{}\';');
  }

  override down(): void {
    this.addSql('alter table "investors"."investor" drop column "onchain_identities";');
  }
}
