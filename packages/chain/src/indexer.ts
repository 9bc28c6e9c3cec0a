import type { Filter, Log, Provider } from 'ethers';

import { isTransientRpcError, sleep } from './errors.js';

/** A processed block, remembered to detect reorgs. */
export interface BlockCheckpoint {
  blockNumber: number;
  blockHash: string;
}

/** The indexer's persisted position: the last processed block and a few earlier checkpoints. */
export interface IndexerCursor extends BlockCheckpoint {
  /** recent checkpoints, oldest first (the last one equals the cursor itself) */
  history: BlockCheckpoint[];
}

/**
 * Where an indexer keeps its cursor. Implementations over PostgreSQL should save the cursor in the
 * same transaction as the rows written by `onLogs` (pass a transactional store) when they can.
 */
export interface CursorStore {
  load(indexerId: string): Promise<IndexerCursor | undefined>;
  save(indexerId: string, cursor: IndexerCursor): Promise<void>;
}

/** In-memory `CursorStore` for tests. */
export class InMemoryCursorStore implements CursorStore {
  readonly #cursors = new Map<string, IndexerCursor>();

  async load(indexerId: string): Promise<IndexerCursor | undefined> {
    const c = this.#cursors.get(indexerId);
    return c ? structuredClone(c) : undefined;
  }

  async save(indexerId: string, cursor: IndexerCursor): Promise<void> {
    this.#cursors.set(indexerId, structuredClone(cursor));
  }
}

export interface LogBatch {
  fromBlock: number;
  toBlock: number;
  logs: Log[];
}

export interface EventIndexerOptions {
  /** stable id of this indexer (the cursor's key) */
  id: string;
  provider: Provider;
  store: CursorStore;
  /** contracts to watch (all when omitted) and topic filter */
  address?: string | string[];
  topics?: Filter['topics'];
  /** first block to index (e.g. the deployment block from the manifest) */
  startBlock: number;
  /** max blocks per getLogs call (default 2,000) */
  batchSize?: number;
  /** stay this many blocks behind the head (default 0; reorgs are handled either way) */
  confirmations?: number;
  /** checkpoints kept to find the fork point of a reorg (default 128) */
  historySize?: number;
  pollIntervalMs?: number;
  /** handles a batch of logs; must be idempotent per block range (delivery is at least once) */
  onLogs: (batch: LogBatch) => Promise<void>;
  /** called before re-indexing after a reorg: drop everything indexed from `fromBlock` on */
  onReorg?: (fromBlock: number) => Promise<void>;
  /** called when a poll fails (e.g. RPC outage); the indexer retries on the next tick */
  onError?: (error: unknown) => void;
}

export type PollResult =
  { kind: 'indexed'; batch: LogBatch } | { kind: 'reorg'; rewoundTo: number } | { kind: 'idle' };

/**
 * Polls contract logs in block ranges and hands them to `onLogs`, persisting the last processed block
 * with its hash. Before each step it checks that the stored block is still canonical; if not (a
 * reorg), it walks its checkpoints back to the newest block still on the chain, calls `onReorg` with
 * the first block to drop and re-indexes from there. RPC failures leave the cursor where it was, so an
 * outage only delays indexing.
 */
export class EventIndexer {
  readonly #o: Required<Omit<EventIndexerOptions, 'address' | 'topics' | 'onReorg' | 'onError'>> &
    Pick<EventIndexerOptions, 'address' | 'topics' | 'onReorg' | 'onError'>;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(options: EventIndexerOptions) {
    this.#o = {
      batchSize: 2_000,
      confirmations: 0,
      historySize: 128,
      pollIntervalMs: 1_000,
      ...options,
    };
  }

  /** One step: check for a reorg, then index the next range if the chain has advanced. */
  async poll(): Promise<PollResult> {
    const { provider, store, id } = this.#o;
    const cursor = await store.load(id);
    if (cursor && cursor.blockHash !== '') {
      const block = await provider.getBlock(cursor.blockNumber);
      if (!block || block.hash !== cursor.blockHash)
        return { kind: 'reorg', rewoundTo: await this.#rewind(cursor) };
    }
    const head = (await provider.getBlockNumber()) - this.#o.confirmations;
    const fromBlock = cursor ? cursor.blockNumber + 1 : this.#o.startBlock;
    if (head < fromBlock) return { kind: 'idle' };
    const toBlock = Math.min(head, fromBlock + this.#o.batchSize - 1);
    const toHeader = await provider.getBlock(toBlock);
    if (!toHeader?.hash) return { kind: 'idle' };
    const logs = await provider.getLogs({
      address: this.#o.address,
      topics: this.#o.topics,
      fromBlock,
      toBlock,
    });
    // A reorg between the two calls shows as logs from another branch: retry the step.
    for (const log of logs) {
      if (log.blockNumber === toBlock && log.blockHash !== toHeader.hash) return { kind: 'idle' };
    }
    const recheck = await provider.getBlock(toBlock);
    if (recheck?.hash !== toHeader.hash) return { kind: 'idle' };

    const batch: LogBatch = { fromBlock, toBlock, logs };
    await this.#o.onLogs(batch);
    const checkpoint = { blockNumber: toBlock, blockHash: toHeader.hash };
    const history = [...(cursor?.history ?? []), checkpoint].slice(-this.#o.historySize);
    await store.save(id, { ...checkpoint, history });
    return { kind: 'indexed', batch };
  }

  /** Polls until the indexer reached the head (or `maxSteps`); for tests and catch-up jobs. */
  async syncToHead(maxSteps = 10_000): Promise<void> {
    for (let i = 0; i < maxSteps; i++) {
      const r = await this.poll();
      if (r.kind === 'idle') return;
    }
  }

  /** Starts polling in the background until `stop()`; errors go to `onError` and are retried. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      let failures = 0;
      while (this.#running) {
        let busy = false;
        try {
          busy = (await this.poll()).kind !== 'idle';
          failures = 0;
        } catch (error) {
          failures++;
          this.#o.onError?.(error);
          if (!isTransientRpcError(error) && failures > 20) this.#running = false;
        }
        if (!busy && this.#running) {
          const delay =
            failures > 0
              ? Math.min(10_000, this.#o.pollIntervalMs * 2 ** Math.min(failures, 4))
              : this.#o.pollIntervalMs;
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
            void sleep(delay).then(resolve);
          });
        }
      }
    })();
  }

  /** Stops the background loop and waits for the current step to finish. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  async #rewind(cursor: IndexerCursor): Promise<number> {
    const { provider, store, id } = this.#o;
    let keep: BlockCheckpoint | undefined;
    const history = [...cursor.history];
    while (history.length > 0) {
      const candidate = history[history.length - 1];
      if (!candidate) break;
      const block = await provider.getBlock(candidate.blockNumber);
      if (block?.hash === candidate.blockHash) {
        keep = candidate;
        break;
      }
      history.pop();
    }
    const fromBlock = keep ? keep.blockNumber + 1 : this.#o.startBlock;
    await this.#o.onReorg?.(fromBlock);
    if (keep) {
      await store.save(id, { ...keep, history });
    } else {
      // Deeper than the history: start over from the start block (onReorg dropped everything).
      await store.save(id, { blockNumber: this.#o.startBlock - 1, blockHash: '', history: [] });
    }
    return fromBlock;
  }
}
