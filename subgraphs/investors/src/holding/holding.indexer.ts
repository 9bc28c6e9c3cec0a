import type { MikroORM } from '@mikro-orm/postgresql';
import { chainEndpointsOf, EventIndexer, type CursorStore, type IndexerCursor } from '@tranche/chain';
import { BACKGROUND_QUERY, TOPOLOGY, type Config, type Logger } from '@tranche/platform';
import { getAddress, id as topicOf, JsonRpcProvider } from 'ethers';
import { IndexerCursorRow } from './indexer-cursor.entity.js';

const TRANSFER = topicOf('Transfer(address,address,uint256)');
/** The deals subgraph's published views (see its PublishedIssuance migration). */
const DEALS = TOPOLOGY.subgraphs.deals.dbSchema;

interface TokenRow {
  tranche_id: string;
  tenant_id: string;
  token_address: string;
  token_block: number | null;
  chain_id: number;
}

/** Indexer cursors in this subgraph's `indexer_cursor` table. */
function cursorStore(orm: MikroORM): CursorStore {
  return {
    async load(id) {
      const row = await orm.em.fork().findOne(IndexerCursorRow, { id });
      return (row?.cursor as IndexerCursor | undefined) ?? undefined;
    },
    async save(id, cursor) {
      await orm.em
        .fork()
        .getConnection()
        .execute(
          `${BACKGROUND_QUERY} insert into "${orm.config.get('schema')}".indexer_cursor (id, cursor, updated_at) values (?, ?::jsonb, now())
           on conflict (id) do update set cursor = excluded.cursor, updated_at = now()`,
          [id, JSON.stringify(cursor)],
        );
    },
  };
}

/**
 * Follows every deployed tranche token's `Transfer` logs into `token_transfer` rows (the reorg-aware
 * indexer of `@tranche/chain`: one per token, from its deployment block), polling every
 * `intervalMs`. Rows are keyed by chain, transaction and log index, so a batch delivered twice
 * changes nothing; a reorg deletes the token's rows from the fork point, then the new branch is read.
 */
export function startHoldingIndexer(orm: MikroORM, config: Config, logger: Logger, intervalMs = 1000) {
  const endpoints = chainEndpointsOf(config);
  const providers = new Map<number, JsonRpcProvider>();
  const indexers = new Map<string, EventIndexer>();
  const store = cursorStore(orm);
  const schema = orm.config.get('schema');
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function providerFor(chainId: number): Promise<JsonRpcProvider | undefined> {
    const known = providers.get(chainId);
    if (known) return known;
    for (const endpoint of endpoints) {
      if (endpoint.chainId !== undefined && endpoint.chainId !== chainId) continue;
      const provider = new JsonRpcProvider(endpoint.rpcUrl, undefined, { cacheTimeout: -1 });
      const actual = Number((await provider.getNetwork()).chainId);
      if (actual === chainId) {
        providers.set(chainId, provider);
        return provider;
      }
      provider.destroy();
    }
    return undefined;
  }

  function indexerFor(token: TokenRow, provider: JsonRpcProvider): EventIndexer {
    const key = `transfers:${token.chain_id}:${getAddress(token.token_address)}`;
    let indexer = indexers.get(key);
    if (!indexer) {
      const address = getAddress(token.token_address);
      indexer = new EventIndexer({
        id: key,
        provider,
        store,
        address,
        topics: [TRANSFER],
        startBlock: token.token_block ?? 0,
        onLogs: async ({ logs }) => {
          if (!logs.length) return;
          const rows = logs.map((log) => ({
            id: `${token.chain_id}:${log.transactionHash}:${log.index}`,
            block: log.blockNumber,
            tx: log.transactionHash,
            from: getAddress(`0x${log.topics[1]!.slice(26)}`),
            to: getAddress(`0x${log.topics[2]!.slice(26)}`),
            amount: BigInt(log.data).toString(),
          }));
          await orm.em.getConnection().execute(
            `${BACKGROUND_QUERY} insert into "${schema}".token_transfer (id, tenant_id, chain_id, token, tranche_id, block_number, tx_hash, from_address, to_address, amount)
             select u.id, ?, ?, ?, ?, u.block, u.tx, u."from", u."to", u.amount::bigint
               from jsonb_to_recordset(?::jsonb) as u(id text, block int, tx text, "from" text, "to" text, amount text)
             on conflict (id) do nothing`,
            [token.tenant_id, token.chain_id, address, token.tranche_id, JSON.stringify(rows)],
          );
        },
        onReorg: async (fromBlock) => {
          await orm.em
            .getConnection()
            .execute(
              `delete from "${schema}".token_transfer where chain_id = ? and token = ? and block_number >= ?`,
              [token.chain_id, address, fromBlock],
            );
          logger.warn({ token: address, fromBlock }, 'reorg: transfers from the fork point dropped');
        },
      });
      indexers.set(key, indexer);
    }
    return indexer;
  }

  /** One pass: every deployed token indexed up to its chain's head. */
  async function pass(): Promise<void> {
    const tokens = await orm.em.getConnection().execute<TokenRow[]>(
      `${BACKGROUND_QUERY} select tranche_id, tenant_id, token_address, token_block, chain_id from "${DEALS}".published_tranche
        where token_address is not null and token_status = 'DEPLOYED'`,
    );
    for (const token of tokens) {
      if (stopped) return;
      const provider = await providerFor(token.chain_id);
      if (!provider) continue;
      await indexerFor(token, provider).syncToHead(50);
    }
  }

  const tick = async () => {
    try {
      if (endpoints.length) await pass();
    } catch (err) {
      logger.warn({ err }, 'holding indexer pass failed; retrying');
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  void tick();

  return {
    /** One pass now (tests). */
    sync: pass,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const p of providers.values()) p.destroy();
    },
  };
}
