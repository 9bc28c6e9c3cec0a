import { type JsonRpcProvider, type Log, type Wallet, id } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  AuditAnchor__factory,
  EventIndexer,
  InMemoryCursorStore,
  ROLES,
  startHardhatNode,
  type AuditAnchor,
  type HardhatNodeHandle,
} from '../src/index.js';
import { FlakyRpcProxy, provider, wallet } from './helpers.js';

let node: HardhatNodeHandle;
let proxy: FlakyRpcProxy;
let direct: JsonRpcProvider;
let viaProxy: JsonRpcProvider;
let writer: Wallet;
let anchor: AuditAnchor;
let startBlock: number;
let nextSeq = 1n;
const LEDGER = id('indexer-ledger');

beforeAll(async () => {
  node = await startHardhatNode();
  proxy = new FlakyRpcProxy(node.rpcUrl);
  viaProxy = provider(await proxy.start());
  direct = provider(node.rpcUrl);
  writer = wallet(0, direct);
  anchor = await (await new AuditAnchor__factory(writer).deploy(writer.address)).waitForDeployment();
  await (await anchor.grantRole(ROLES.OPERATOR, writer.address)).wait();
  startBlock = await direct.getBlockNumber();
});

afterAll(async () => {
  direct?.destroy();
  viaProxy?.destroy();
  await proxy?.stop();
  await node?.stop();
});

async function anchorRange(label: string): Promise<void> {
  await (await anchor.anchor(LEDGER, id(label), nextSeq, nextSeq)).wait();
  nextSeq += 1n;
}

/** A consumer that keeps logs by block, as a database table would, honouring reorg rewinds. */
function makeIndexer(p: JsonRpcProvider, store = new InMemoryCursorStore()) {
  const rows = new Map<string, Log>();
  const reorgs: number[] = [];
  const indexer = new EventIndexer({
    id: 'audit-anchor',
    provider: p,
    store,
    address: anchor.target as string,
    startBlock,
    batchSize: 3,
    pollIntervalMs: 50,
    onLogs: async ({ logs }) => {
      for (const log of logs) rows.set(`${log.blockNumber}:${log.index}`, log);
    },
    onReorg: async (fromBlock) => {
      reorgs.push(fromBlock);
      for (const [k, log] of rows) if (log.blockNumber >= fromBlock) rows.delete(k);
    },
  });
  return { indexer, rows, reorgs, store };
}

async function canonicalRoots(): Promise<string[]> {
  const logs = await direct.getLogs({
    address: anchor.target as string,
    fromBlock: startBlock,
    toBlock: 'latest',
  });
  return logs.map((l) => anchor.interface.parseLog(l)?.args.merkleRoot as string);
}

const rootsOf = (rows: Map<string, Log>) =>
  [...rows.values()]
    .sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index)
    .map((l) => anchor.interface.parseLog(l)?.args.merkleRoot as string);

describe('EventIndexer', () => {
  it('indexes logs in block ranges and stores the last processed block with its hash', async () => {
    for (let i = 0; i < 5; i++) await anchorRange(`a${i}`);
    const { indexer, rows, store } = makeIndexer(direct);
    await indexer.syncToHead();
    expect(rootsOf(rows)).toEqual(await canonicalRoots());
    const cursor = await store.load('audit-anchor');
    const head = await direct.getBlock('latest');
    expect(cursor?.blockNumber).toBe(head?.number);
    expect(cursor?.blockHash).toBe(head?.hash);
  });

  it('rewinds on a reorg (snapshot/revert) and re-indexes the new branch', async () => {
    const { indexer, rows, reorgs } = makeIndexer(direct);
    await anchorRange('before-fork');
    await indexer.syncToHead();
    const forkBlock = await direct.getBlockNumber();
    const snapshot = (await direct.send('evm_snapshot', [])) as string;
    const seqAtFork = nextSeq;
    await anchorRange('orphan-1');
    await anchorRange('orphan-2');
    await indexer.syncToHead();
    expect(rootsOf(rows)).toContain(id('orphan-1'));

    await direct.send('evm_revert', [snapshot]);
    nextSeq = seqAtFork;
    await direct.send('hardhat_mine', ['0x1']); // a different block at the same height
    await anchorRange('canonical-1');
    await anchorRange('canonical-2');
    await anchorRange('canonical-3');
    const first = await indexer.poll();
    expect(first.kind).toBe('reorg');
    await indexer.syncToHead();
    expect(reorgs[0]).toBeLessThanOrEqual(forkBlock + 1);
    const roots = rootsOf(rows);
    expect(roots).not.toContain(id('orphan-1'));
    expect(roots).not.toContain(id('orphan-2'));
    expect(roots).toEqual(await canonicalRoots());
  });

  it('survives an RPC outage in the middle without losing or duplicating logs', async () => {
    const { indexer, rows } = makeIndexer(viaProxy);
    await indexer.syncToHead();
    const errors: unknown[] = [];
    const running = new EventIndexer({
      id: 'audit-anchor-live',
      provider: viaProxy,
      store: new InMemoryCursorStore(),
      address: anchor.target as string,
      startBlock,
      batchSize: 2,
      pollIntervalMs: 30,
      onLogs: async ({ logs }) => {
        for (const log of logs) rows.set(`${log.blockNumber}:${log.index}`, log);
      },
      onError: (e) => errors.push(e),
    });
    running.start();
    await anchorRange('live-1');
    proxy.down = true;
    await anchorRange('during-outage-1');
    await anchorRange('during-outage-2');
    await new Promise((r) => setTimeout(r, 400));
    expect(errors.length).toBeGreaterThan(0);
    proxy.down = false;
    await anchorRange('after-outage');
    const head = await direct.getBlockNumber();
    for (let i = 0; i < 200; i++) {
      const last = [...rows.values()].reduce((m, l) => Math.max(m, l.blockNumber), 0);
      if (last >= head) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await running.stop();
    const roots = rootsOf(rows);
    expect(roots).toEqual(await canonicalRoots());
    expect(new Set(roots).size).toBe(roots.length);
  });
});
