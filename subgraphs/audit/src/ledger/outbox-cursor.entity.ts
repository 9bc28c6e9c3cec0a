import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * How far the ledger writer has read each subgraph's outbox: the last event linked, by its
 * writing transaction's id (xid8, as text) and outbox id. A cursor written before events carried
 * their transaction id has no `lastTxId`; the writer derives it once (see legacyOutboxPosition).
 */
@Entity({ tableName: 'outbox_cursor' })
export class OutboxCursor {
  [OptionalProps]?: 'lastTxId';

  @PrimaryKey({ type: 'text' })
  source!: string;

  @Property({ type: 'text', nullable: true })
  lastTxId?: string | null;

  @Property({ type: 'bigint' })
  lastId!: string;
}
