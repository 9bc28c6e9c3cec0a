import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** How far the ledger writer has read each subgraph's outbox (the last outbox id linked). */
@Entity({ tableName: 'outbox_cursor' })
export class OutboxCursor {
  @PrimaryKey({ type: 'text' })
  source!: string;

  @Property({ type: 'bigint' })
  lastId!: string;
}
