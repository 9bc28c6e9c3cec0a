import { Migration } from '@mikro-orm/migrations';

/**
 * Outbox events carry their writing transaction's id (xid8), and the ledger writer reads them in
 * (transaction, id) order up to the oldest running transaction, so writers need no lock.
 * Existing events all get this migration's transaction id.
 */
export class Migration20261204081139OutboxTxOrder extends Migration {
  override up(): void {
    this.addSql('alter table "audit"."outbox_cursor" add "last_tx_id" text null;');
    this.addSql('alter table "audit"."outbox_event" add "tx_id" xid8 not null default pg_current_xact_id();');
    this.addSql('create index "outbox_event_tx_id_id_index" on "audit"."outbox_event" ("tx_id", "id");');
  }

  override down(): void {
    this.addSql('drop index if exists "audit"."outbox_event_tx_id_id_index";');
    this.addSql('alter table "audit"."outbox_event" drop column "tx_id";');
    this.addSql('alter table "audit"."outbox_cursor" drop column "last_tx_id";');
  }
}
