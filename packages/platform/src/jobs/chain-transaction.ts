import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { MikroORM } from '@mikro-orm/postgresql';

/**
 * A chain transaction a job sent, by its idempotency key (`<schema>.chain_transaction`): the
 * durable memory that makes `@tranche/chain`'s TxSender send each business operation at most
 * once across retries, restarts and replicas. A subgraph that sends transactions lists this
 * entity (and migrates its table).
 */
@Entity({ tableName: 'chain_transaction' })
export class ChainTransaction {
  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  txHash!: string;

  @Property({ type: 'integer' })
  nonce!: number;

  @Property({ type: 'text' })
  fromAddress!: string;

  /** sent | confirmed | reverted | rejected */
  @Property({ type: 'text' })
  status!: string;

  @Property({ type: 'integer', nullable: true })
  blockNumber: number | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}

/** The TxSender's record of one operation (the same shape as `@tranche/chain`'s). */
export interface SentTransaction {
  key: string;
  txHash: string;
  nonce: number;
  from: string;
  status: 'sent' | 'confirmed' | 'reverted' | 'rejected';
  blockNumber?: number;
  updatedAt: string;
}

/**
 * A PostgreSQL idempotency store for `@tranche/chain`'s TxSender over the subgraph's
 * `chain_transaction` table: `create` is an insert that loses to an existing key (so two workers
 * never both send an operation), `update` records confirmations.
 */
export function chainTransactionStore(orm: MikroORM) {
  const em = () => orm.em.fork();
  const toRecord = (row: ChainTransaction): SentTransaction => ({
    key: row.key,
    txHash: row.txHash,
    nonce: row.nonce,
    from: row.fromAddress,
    status: row.status as SentTransaction['status'],
    ...(row.blockNumber != null ? { blockNumber: row.blockNumber } : {}),
    updatedAt: row.updatedAt.toISOString(),
  });
  return {
    async get(key: string): Promise<SentTransaction | undefined> {
      const row = await em().findOne(ChainTransaction, { key });
      return row ? toRecord(row) : undefined;
    },
    async create(record: SentTransaction): Promise<boolean> {
      const inserted = await em()
        .getConnection()
        .execute<{ key: string }[]>(
          `insert into "${orm.config.get('schema')}"."chain_transaction" (key, tx_hash, nonce, from_address, status, block_number, updated_at)
           values (?, ?, ?, ?, ?, ?, now()) on conflict (key) do nothing returning key`,
          [record.key, record.txHash, record.nonce, record.from, record.status, record.blockNumber ?? null],
        );
      return inserted.length === 1;
    },
    async update(record: SentTransaction): Promise<void> {
      await em().nativeUpdate(
        ChainTransaction,
        { key: record.key },
        {
          txHash: record.txHash,
          nonce: record.nonce,
          fromAddress: record.from,
          status: record.status,
          blockNumber: record.blockNumber ?? null,
          updatedAt: new Date(),
        },
      );
    },
  };
}
