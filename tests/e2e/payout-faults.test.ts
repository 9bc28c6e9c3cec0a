/**
 * Exactly once under faults, on a real Hardhat node and PostgreSQL: the distributions subgraph's
 * process is killed (SIGKILL, at a failpoint) mid-execution — after funding the escrow, after
 * publishing the root, between two batches of pushed claims — and restarted; and the chain node
 * disappears right after a transaction was broadcast and comes back. Each time the job is picked up
 * again (the queue's liveness sweep unlocks a dead worker's job within seconds), finishes, and
 * reconciles, with every holder paid exactly once and the escrow funded exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DistributionManager__factory,
  ensureChain,
  MockStablecoin__factory,
  type ChainHandle,
} from '@tranche/chain';
import { JsonRpcProvider, Wallet } from 'ethers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedDistribution, issuedDeal, mintTo, type IssuedDeal } from '../support/payouts.js';
import { eventually, graphql, startPlatform, type TestPlatform } from '../support/platform.js';

/**
 * A TCP proxy in front of the chain node that can take the node away: `dropAfterBroadcast(n, ms)`
 * lets the n-th `eth_sendRawTransaction` from now through, then closes every connection and refuses
 * new ones for `ms` (the node is gone with a transaction in flight), then serves again.
 */
class FlakyNode {
  private server: Server;
  private sockets = new Set<Socket>();
  private trigger: { left: number; ms: number } | null = null;
  port = 0;
  constructor(private readonly target: URL) {
    this.server = this.make();
  }
  private make(): Server {
    return createServer((client) => {
      const upstream = connect(Number(this.target.port), this.target.hostname);
      this.sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      upstream.pipe(client);
      client.on('data', (chunk: Buffer) => {
        upstream.write(chunk);
        if (this.trigger && chunk.includes('eth_sendRawTransaction') && --this.trigger.left === 0) {
          const { ms } = this.trigger;
          this.trigger = null;
          // let the broadcast reach the node, then go away before its answer is relied on
          setTimeout(() => void this.outage(ms), 20);
        }
      });
    });
  }
  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  dropAfterBroadcast(n: number, ms: number): void {
    this.trigger = { left: n, ms };
  }
  outages = 0;
  private async outage(ms: number): Promise<void> {
    this.outages += 1;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    });
    await new Promise((r) => setTimeout(r, ms));
    this.server = this.make();
    await this.listen(this.port);
  }
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let chain: ChainHandle;
let node: FlakyNode;
let platform: TestPlatform;
let db: pg.Client;
let deal: IssuedDeal;
const holders = [
  { name: 'Alder Pension', wallet: Wallet.createRandom().address, tranche: 'A', amount: '30000000000' },
  { name: 'Birch Mutual', wallet: Wallet.createRandom().address, tranche: 'A', amount: '10000000000' },
  { name: 'Cedar Trust', wallet: Wallet.createRandom().address, tranche: 'M', amount: '6000000000' },
];

beforeAll(async () => {
  const manifestDir = mkdtempSync(join(tmpdir(), 'tranche-manifest-'));
  chain = await ensureChain({ port: 0, manifestDir });
  node = new FlakyNode(new URL(chain.rpcUrl));
  await node.listen();
  platform = await startPlatform({
    admin: false,
    env: {
      CHAIN_RPC_URL: node.url,
      CHAIN_MANIFEST_DIR: manifestDir,
      DISTRIBUTION_BATCH_SIZE: '1',
      JOB_LIVENESS_GRACE_SECONDS: '2',
      // nothing else broadcasts while the node is taken away
      AUDIT_ANCHOR_EVERY_EVENTS: '1000000',
      AUDIT_ANCHOR_EVERY_MINUTES: '100000',
    },
  });
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  deal = await issuedDeal(platform, 'Faults 2026-1');
  for (const holder of holders) await mintTo(platform, db, deal, holder);
}, 400_000);

afterAll(async () => {
  await db?.end();
  await platform?.stop();
  await node?.close();
  await chain?.stop();
}, 60_000);

const EXECUTE =
  'mutation($id: ID!, $cr: ID) { executeDistribution(id: $id, changeRequestId: $cr) { status } }';

async function execute(reportId: string, changeRequestId: string): Promise<void> {
  const res = await graphql(
    platform.gatewayUrl,
    EXECUTE,
    { id: reportId, cr: changeRequestId },
    await platform.token('servicer@acme.test'),
  );
  expect(res.errors).toBeUndefined();
}

async function finished(reportId: string) {
  return eventually(async () => {
    const r = await db.query('select status, error from distributions.servicer_report where id = $1', [
      reportId,
    ]);
    const row = r.rows[0] as { status: string; error: string | null };
    return ['RECONCILED', 'EXECUTED', 'FAILED'].includes(row.status) ? row : undefined;
  }, 180_000);
}

/** What the chain says of a report's payouts: funded and claimed per distribution, claims per leaf. */
async function paidOnChain(reportId: string) {
  const provider = new JsonRpcProvider(chain.rpcUrl);
  try {
    const dm = DistributionManager__factory.connect(
      chain.manifest.contracts.distributionManager.address,
      provider,
    );
    const rows = (
      await db.query(
        'select distribution_id, total, leaves, from_block from distributions.tranche_payout where report_id = $1 and total > 0',
        [reportId],
      )
    ).rows as {
      distribution_id: string;
      total: string;
      leaves: [number, string, string][];
      from_block: number;
    }[];
    const out = [];
    for (const row of rows) {
      const d = await dm.distribution(row.distribution_id);
      const claims = await dm.queryFilter(dm.filters.PayoutClaimed(row.distribution_id), 0);
      const funds = await dm.queryFilter(dm.filters.DistributionFunded(row.distribution_id), 0);
      out.push({ row, d, claims, funds });
    }
    return out;
  } finally {
    provider.destroy();
  }
}

/** Every leaf paid exactly once, the escrow funded exactly once with the total. */
async function expectPaidExactlyOnce(reportId: string) {
  const payouts = await paidOnChain(reportId);
  expect(payouts.length).toBe(2); // A and M (B has no holder)
  for (const { row, d, claims, funds } of payouts) {
    expect(funds.length).toBe(1);
    expect(d.funded).toBe(BigInt(row.total));
    expect(d.claimed).toBe(BigInt(row.total));
    const paidLeaves = claims.map((c) => Number(c.args.index)).sort();
    expect(paidLeaves).toEqual(
      row.leaves
        .filter(([, , a]) => BigInt(a) > 0n)
        .map(([i]) => i)
        .sort(),
    );
    for (const claim of claims) {
      const leaf = row.leaves.find(([i]) => i === Number(claim.args.index))!;
      expect(claim.args.account).toBe(leaf[1]);
      expect(claim.args.amount).toBe(BigInt(leaf[2]));
    }
  }
}

async function balances(): Promise<bigint[]> {
  const provider = new JsonRpcProvider(chain.rpcUrl);
  try {
    const coin = MockStablecoin__factory.connect(chain.manifest.contracts.stablecoin!.address, provider);
    return await Promise.all(holders.map((h) => coin.balanceOf(h.wallet)));
  } finally {
    provider.destroy();
  }
}

describe('a distribution interrupted by faults finishes after restart, paying nobody twice', () => {
  const periods: { point: string; period: number }[] = [
    { point: 'payout:after-fund', period: 1 },
    { point: 'payout:after-publish', period: 2 },
    { point: 'payout:after-batch', period: 3 },
  ];
  for (const { point, period } of periods) {
    it(`when the worker is killed at ${point}`, async () => {
      const before = await balances();
      const { reportId, changeRequestId } = await approvedDistribution(platform, deal.dealId, period);
      await platform.restartSubgraph('distributions', { env: { TRANCHE_FAILPOINTS: point } });
      const crashed = platform.subgraphExited('distributions');
      await execute(reportId, changeRequestId);
      await crashed; // the failpoint killed the process mid-job
      const mid = await db.query('select status from distributions.servicer_report where id = $1', [
        reportId,
      ]);
      expect(mid.rows[0].status).toBe('APPROVED'); // not finished: the job died
      await platform.restartSubgraph('distributions', { env: { TRANCHE_FAILPOINTS: '' } });
      const done = await finished(reportId);
      expect(done).toEqual({ status: 'RECONCILED', error: null });
      await expectPaidExactlyOnce(reportId);
      const after = await balances();
      const grew = after.map((b, i) => b - before[i]!);
      expect(grew.every((g) => g > 0n)).toBe(true);
      expect(grew[0]).toBe(grew[1]! * 3n); // A's two holders, 3 to 1, paid once each
    }, 300_000);
  }

  it('when the chain node goes away right after a transaction was broadcast, and comes back', async () => {
    const { reportId, changeRequestId } = await approvedDistribution(platform, deal.dealId, 4);
    node.dropAfterBroadcast(2, 4_000); // the publish: funded, root on its way, node gone
    await execute(reportId, changeRequestId);
    const done = await finished(reportId);
    expect(node.outages).toBe(1);
    expect(done).toEqual({ status: 'RECONCILED', error: null });
    await expectPaidExactlyOnce(reportId);
  }, 300_000);
});
