import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** Where one chain indexer stands: its last block, with recent checkpoints to detect reorgs. */
@Entity({ tableName: 'indexer_cursor' })
export class IndexerCursorRow {
  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'json' })
  cursor!: unknown;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
