import { Migration } from '@mikro-orm/migrations';

export class Migration20261121072313DealStructure extends Migration {
  override up(): void {
    this.addSql('alter table "deals"."deal" add "waterfall_rules" text null, add "collateral" text null;');
  }

  override down(): void {
    this.addSql('alter table "deals"."deal" drop column "waterfall_rules", drop column "collateral";');
  }
}
