import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  DEV_DEPLOYER_KEY,
  ensureChain,
  onChainDealId,
  Token__factory,
  type ChainHandle,
} from '@tranche/chain';
import { openSubgraphOrm, testPrincipal } from '@tranche/devstack/testing';
import {
  ChainTransaction,
  createLogger,
  Gate,
  loadConfig,
  OutboxEvent,
  type GateStateSource,
  type JobContext,
} from '@tranche/platform';
import { JsonRpcProvider, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deal, DealStatus } from '../deal/deal.entity.js';
import { AssetClass } from '../deal/deal.entity.js';
import { DealService } from '../deal/deal.service.js';
import { dealsSubgraph } from '../index.js';
import { IssuanceTransaction } from './issuance-transaction.entity.js';
import { DeploymentStatus, Issuance } from './issuance.entity.js';
import { issuanceJobs } from './issuance.jobs.js';
import { countSuiteSteps, suiteParams } from './issuance.plan.js';
import { ISSUE_TASK } from './issuance.service.js';
import { TrancheToken } from './tranche-token.entity.js';

let orm: MikroORM;
let chain: ChainHandle;
let gate: Gate;
let manifestDir: string;

/** A gate whose state holds no switch, grant or policy (the job asks only about kill switches). */
const EMPTY: GateStateSource = {
  snapshot: async () => ({ killSwitches: [], breakGlass: [], policies: new Map() }),
  changeRequest: async () => null,
};

beforeAll(async () => {
  manifestDir = mkdtempSync(join(tmpdir(), 'tranche-manifest-'));
  [orm, chain] = await Promise.all([openSubgraphOrm(dealsSubgraph), ensureChain({ port: 0, manifestDir })]);
  gate = new Gate(EMPTY, { refreshMs: 60_000, maxStalenessMs: 600_000, rateLimitPerMinute: 1000 });
  await gate.start();
}, 120_000);

afterAll(async () => {
  await gate?.stop();
  await orm?.close();
  await chain?.stop();
});

const jobContext = (signal: AbortSignal, attempt = 1): JobContext => ({
  attempt,
  maxAttempts: 5,
  jobKey: null,
  logger: createLogger('issuance-test', 'silent'),
  signal,
});

/** An APPROVED two-tranche deal with its issuance rows, as `issueDeal` leaves them. */
async function approvedIssuance(): Promise<{ deal: Deal; issuance: Issuance }> {
  const principal = testPrincipal(['ARRANGER']);
  const deal = await new DealService(orm.em.fork(), principal).create({
    name: `Resume ${Date.now()}`,
    assetClass: AssetClass.RMBS,
    currency: 'USD',
    tranches: [
      { name: 'A', seniority: 1, originalBalance: 9_000_000n, couponBps: 400 },
      { name: 'B', seniority: 2, originalBalance: 1_000_000n, couponBps: 700 },
    ],
  });
  const em = orm.em.fork();
  await em.nativeUpdate(
    Deal,
    { id: deal.id },
    {
      status: DealStatus.APPROVED,
      chainId: chain.chainId,
      allowedCountries: ['US', 'GB'],
    },
  );
  const stored = await em.findOneOrFail(Deal, { id: deal.id });
  const tranches = await new DealService(em, principal).tranchesOf([deal.id]);
  const operator = new Wallet(DEV_DEPLOYER_KEY).address;
  const stepsTotal =
    (await countSuiteSteps(
      suiteParams(stored, tranches[0]!, chain.manifest, operator, new Date()),
      operator,
    )) + 1;
  const issuance = em.create(Issuance, {
    tenantId: principal.tenantId,
    dealId: deal.id,
    chainId: chain.chainId,
    dealRegistry: chain.manifest.contracts.dealRegistry.address,
    onChainDealId: onChainDealId(deal.id),
    termsSha256: 'ab'.repeat(32),
    changeRequestId: crypto.randomUUID(),
    stepsTotal,
    startedBy: 'user:arranger@x.test',
  });
  tranches[0]!.forEach((t) =>
    em.create(TrancheToken, {
      tenantId: principal.tenantId,
      issuanceId: issuance.id,
      trancheId: t.id,
      tranche: t.name,
      seniority: t.seniority,
      symbol: t.name,
    }),
  );
  await em.flush();
  return { deal: stored, issuance };
}

describe('the issuance job', () => {
  it('stopped half-way, resumes on the next attempt and sends nothing twice', async () => {
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: 'postgres://unused/unused',
      CHAIN_RPC_URL: chain.rpcUrl,
      CHAIN_MANIFEST_DIR: manifestDir,
    });
    const { deal, issuance } = await approvedIssuance();
    const issue = issuanceJobs(orm, config, createLogger('issuance-test', 'silent'), gate).handlers[
      ISSUE_TASK
    ]!;
    const provider = new JsonRpcProvider(chain.rpcUrl);
    const operator = new Wallet(DEV_DEPLOYER_KEY).address;
    const nonceBefore = await provider.getTransactionCount(operator);

    // First attempt: the worker is told to stop once ten transactions are mined.
    const stop = new AbortController();
    const watcher = setInterval(() => {
      void orm.em
        .fork()
        .count(IssuanceTransaction, { issuanceId: issuance.id })
        .then((n) => n >= 10 && stop.abort());
    }, 20);
    await expect(issue({ issuanceId: issuance.id }, jobContext(stop.signal))).rejects.toThrow(/stopping/);
    clearInterval(watcher);
    const halfway = await orm.em.fork().findOneOrFail(Issuance, { id: issuance.id });
    expect(halfway.status).toBe(DeploymentStatus.DEPLOYING);
    expect(halfway.stepsDone).toBeGreaterThanOrEqual(10);
    expect(halfway.stepsDone).toBeLessThan(halfway.stepsTotal);
    expect(halfway.error).toMatch(/stopping/);

    // Second attempt: completes from where it stopped.
    await issue({ issuanceId: issuance.id }, jobContext(new AbortController().signal, 2));
    const em = orm.em.fork();
    const done = await em.findOneOrFail(Issuance, { id: issuance.id });
    expect(done.status).toBe(DeploymentStatus.DEPLOYED);
    expect(done.stepsDone).toBe(done.stepsTotal);
    expect((await em.findOneOrFail(Deal, { id: deal.id })).status).toBe(DealStatus.DEPLOYED);

    // Exactly once: one transaction per step, and the operator's nonce moved by exactly that many.
    const steps = await em.find(
      IssuanceTransaction,
      { issuanceId: issuance.id },
      { orderBy: { seq: 'asc' } },
    );
    expect(steps).toHaveLength(done.stepsTotal);
    expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i));
    const sent = await em.count(ChainTransaction, { key: { $like: `deal:${deal.id}:%` } });
    expect(sent).toBe(done.stepsTotal);
    expect((await provider.getTransactionCount(operator)) - nonceBefore).toBe(sent);

    // The tokens are live, owned by the platform timelock, with the operator as agent.
    const tokens = await em.find(
      TrancheToken,
      { issuanceId: issuance.id },
      { orderBy: { seniority: 'asc' } },
    );
    expect(tokens.map((t) => t.status)).toEqual([DeploymentStatus.DEPLOYED, DeploymentStatus.DEPLOYED]);
    const tokenA = Token__factory.connect(tokens[0]!.address!, provider);
    expect(await tokenA.owner()).toBe(chain.manifest.contracts.timelock.address);
    expect(await tokenA.isAgent(operator)).toBe(true);
    expect(await tokenA.paused()).toBe(false);

    // `deal.deployed` names the tokens (the kill switches read it).
    const deployed = await em.findOneOrFail(OutboxEvent, { aggregateId: deal.id, action: 'deal.deployed' });
    const payload = JSON.parse(deployed.payload) as { tokens: { address: string }[]; onChainDealId: string };
    expect(payload.tokens.map((t) => t.address)).toEqual(tokens.map((t) => t.address));
    expect(payload.onChainDealId).toBe(onChainDealId(deal.id));
    provider.destroy();
  }, 180_000);
});
