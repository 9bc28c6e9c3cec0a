import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ensureChain, onChainDealId, platform, type ChainHandle } from '@tranche/chain';
import { provingInstanceFor } from '@tranche/circuits';
import { sampleTapeCsv } from '@tranche/devstack';
import { openSubgraphOrm, testPrincipal } from '@tranche/devstack/testing';
import {
  ChainTransaction,
  ConflictError,
  createLogger,
  Gate,
  LocalKeyProvider,
  loadConfig,
  OutboxEvent,
  ValidationError,
  type GateDecision,
  type GateStateSource,
  type JobContext,
  type Principal,
} from '@tranche/platform';
import { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedCovenants, type Covenants } from '../deal/covenants.js';
import { AssetClass, Deal } from '../deal/deal.entity.js';
import { DealService } from '../deal/deal.service.js';
import { dealsSubgraph } from '../index.js';
import { AnchorStatus, LoanTape } from '../tape/loan-tape.entity.js';
import { Loan } from '../tape/loan.entity.js';
import { ingestTape, tapeJobs } from '../tape/tape.jobs.js';
import { ANCHOR_TASK, TapeService } from '../tape/tape.service.js';
import { attestationJobs } from './attestation.jobs.js';
import {
  CircuitNotBuiltError,
  covenantResults,
  PoolAttestationService,
  PROVE_ATTESTATION_TASK,
} from './attestation.service.js';
import { Covenant, PoolAttestation, PoolAttestationStatus } from './pool-attestation.entity.js';

let orm: MikroORM;
let chain: ChainHandle;
let manifestDir: string;
let gate: Gate;
const keyFile = join(mkdtempSync(join(tmpdir(), 'attestation-keys-')), 'kek.hex');
const keys = new LocalKeyProvider(keyFile);

const EMPTY: GateStateSource = {
  snapshot: async () => ({ killSwitches: [], breakGlass: [], policies: new Map() }),
  changeRequest: async () => null,
};

beforeAll(async () => {
  manifestDir = mkdtempSync(join(tmpdir(), 'tranche-manifest-'));
  [orm, chain] = await Promise.all([openSubgraphOrm(dealsSubgraph), ensureChain({ port: 0, manifestDir })]);
  gate = new Gate(EMPTY, { refreshMs: 60_000, maxStalenessMs: 600_000, rateLimitPerMinute: 10_000 });
  await gate.start();
}, 120_000);

afterAll(async () => {
  await gate?.stop();
  await orm?.close();
  await chain?.stop();
});

const config = () =>
  loadConfig({
    ...process.env,
    DATABASE_URL: 'postgres://unused/unused',
    CHAIN_RPC_URL: chain.rpcUrl,
    CHAIN_MANIFEST_DIR: manifestDir,
    KEY_PROVIDER: 'local',
    LOCAL_KEY_FILE: keyFile,
  });
const logger = createLogger('attestation-test', 'silent');
const jobContext = (attempt = 1): JobContext => ({
  attempt,
  maxAttempts: 5,
  jobKey: null,
  logger,
  signal: new AbortController().signal,
});
/** The gate's decision when the tenant's policy asks for no approval. */
const decisionFor = (p: Principal): GateDecision => ({
  capability: 'attestation.submit',
  actor: p.subject,
  tenantId: p.tenantId,
  breakGlassGrantId: null,
  changeRequest: null,
});
const runJob = (attestationId: string, attempt = 1) =>
  attestationJobs(orm, config(), logger, gate).handlers[PROVE_ATTESTATION_TASK]!(
    { attestationId },
    jobContext(attempt),
  );
const attestationOf = (id: string) => orm.em.fork().findOneOrFail(PoolAttestation, { id });
const sentKeys = async (id: string) =>
  (await orm.em.fork().find(ChainTransaction, { key: { $like: `attestation:${id}:%` } }))
    .map((t) => t.key)
    .sort();

/** A deal on the test chain with `covenants` and a VALIDATED tape of `loans` sample loans, anchored. */
async function dealWithTape(
  loans: number,
  seed: number,
  covenants?: Covenants,
): Promise<{ deal: Deal; tape: LoanTape; principal: Principal }> {
  const principal = testPrincipal(['SERVICER']);
  const deal = await new DealService(orm.em.fork(), testPrincipal(['ARRANGER'], principal.tenantId)).create({
    name: `Attest ${crypto.randomUUID()}`,
    assetClass: AssetClass.RMBS,
    currency: 'USD',
    tranches: [{ name: 'A', seniority: 1, originalBalance: 1_000_000n, couponBps: 500 }],
  });
  await orm.em
    .fork()
    .nativeUpdate(
      Deal,
      { id: deal.id },
      { chainId: chain.chainId, ...(covenants ? { covenants: storedCovenants(covenants) } : {}) },
    );
  const created = await new TapeService(orm.em.fork(), principal).create(
    { dealId: deal.id, cutoffDate: '2026-10-31', fileName: 'tape.csv' },
    keys,
  );
  await new TapeService(orm.em.fork(), principal).receive(
    created.id,
    [Buffer.from(sampleTapeCsv(loans, seed))],
    { maxBytes: 10_000_000 },
    keys,
  );
  await ingestTape(orm, keys, config(), created.id);
  await tapeJobs(orm, config(), logger, gate).handlers[ANCHOR_TASK]!({ tapeId: created.id }, jobContext());
  const tape = await orm.em.fork().findOneOrFail(LoanTape, { id: created.id });
  expect(tape.anchorStatus).toBe('ANCHORED');
  return { deal, tape, principal };
}

describe('pool attestations', () => {
  it('proves a pool that meets its covenants and records it on-chain, once however often the job runs', async () => {
    // seed 5: no loan 60+ days late, WA-LTV 72.69 %, under the default covenants (5 %, 80 %)
    const { deal, tape, principal } = await dealWithTape(16, 5);
    const service = new PoolAttestationService(orm.em.fork(), principal);
    const requested = await service.request(
      { dealId: deal.id, tapeVersion: tape.version },
      decisionFor(principal),
    );
    expect(requested).toMatchObject({
      status: PoolAttestationStatus.REQUESTED,
      circuit: 'pool16',
      capacity: 16,
      loanCount: 16,
      period: 202610,
      chainId: chain.chainId,
      thresholds: { maxDelinquencyBps: 500, delinquencyDays: 60, maxWaLtvBps: 8000, minBalance: '0' },
    });

    await runJob(requested.id);
    const verified = await attestationOf(requested.id);
    expect(verified).toMatchObject({ status: PoolAttestationStatus.VERIFIED, progress: 100, error: null });
    expect(verified.poolRoot).toBe(tape.poseidonRoot);
    expect(verified.publicSignals).toHaveLength(7);
    expect(verified.results?.every((r) => r.met)).toBe(true);
    expect(verified.results?.find((r) => r.covenant === Covenant.WA_LTV)?.value).toBe('7269');
    expect(verified.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await sentKeys(requested.id)).toEqual([
      `attestation:${requested.id}:attest`,
      `attestation:${requested.id}:registry:covenants`,
    ]);

    const provider = new JsonRpcProvider(chain.rpcUrl);
    const verifier = platform.PoolAttestationVerifier__factory.connect(
      chain.manifest.contracts.poolAttestationVerifier!.address,
      provider,
    );
    const onChain = await verifier.attestation(onChainDealId(deal.id), 202610);
    expect(onChain.poolRoot.toString()).toBe(tape.poseidonRoot);
    expect(Number(onChain.capacity)).toBe(16);
    const receipt = await provider.getTransactionReceipt(verified.txHash!);
    expect(receipt?.status).toBe(1);

    // A worker killed after the chain recorded it but before the row said so: the rerun sends
    // nothing and finds the same transaction.
    await orm.em
      .fork()
      .nativeUpdate(
        PoolAttestation,
        { id: requested.id },
        { status: PoolAttestationStatus.SUBMITTING, txHash: null, finishedAt: null },
      );
    const blockBefore = await provider.getBlockNumber();
    await runJob(requested.id, 2);
    expect(await attestationOf(requested.id)).toMatchObject({
      status: PoolAttestationStatus.VERIFIED,
      txHash: verified.txHash,
    });
    expect(await provider.getBlockNumber()).toBe(blockBefore);
    provider.destroy();

    // one attestation per deal and period, as on-chain
    await expect(
      new PoolAttestationService(orm.em.fork(), principal).request(
        { dealId: deal.id, tapeVersion: tape.version },
        decisionFor(principal),
      ),
    ).rejects.toThrow(ConflictError);
    const audit = await orm.em
      .fork()
      .find(OutboxEvent, { aggregateId: deal.id, action: { $like: 'attestation.%' } });
    expect(audit.map((e) => e.action).sort()).toEqual(
      expect.arrayContaining(['attestation.requested', 'attestation.verified']),
    );
  }, 120_000);

  it('reports a pool that breaches a covenant as NOT_MET with each covenant, sending nothing', async () => {
    // seed 4: 9.41 % of the balance 60+ days delinquent, over the 5 % covenant
    const { deal, tape, principal } = await dealWithTape(16, 4);
    const requested = await new PoolAttestationService(orm.em.fork(), principal).request(
      { dealId: deal.id, tapeVersion: tape.version },
      decisionFor(principal),
    );
    await runJob(requested.id);
    const done = await attestationOf(requested.id);
    expect(done.status).toBe(PoolAttestationStatus.NOT_MET);
    expect(done.proof).toBeNull();
    expect(done.txHash).toBeNull();
    expect(done.results).toEqual([
      { covenant: Covenant.DELINQUENCY, value: '941', threshold: '500', met: false },
      { covenant: Covenant.WA_LTV, value: '7721', threshold: '8000', met: true },
      { covenant: Covenant.MIN_BALANCE, value: expect.any(String), threshold: '0', met: true },
    ]);
    expect(await sentKeys(requested.id)).toEqual([]);
    // NOT_MET does not hold the period: once the covenants allow it, it is asked for again
  }, 60_000);

  it('refuses a pool no built circuit proves, naming the command that builds one', async () => {
    const { deal, tape, principal } = await dealWithTape(20, 5);
    expect(tape.rootCapacity).toBe(64);
    const nothingBuilt = mkdtempSync(join(tmpdir(), 'no-circuits-'));
    const request = new PoolAttestationService(orm.em.fork(), principal).request(
      { dealId: deal.id, tapeVersion: tape.version },
      decisionFor(principal),
      (n, capacity) => provingInstanceFor(n, capacity, nothingBuilt),
    );
    await expect(request).rejects.toThrow(CircuitNotBuiltError);
    await expect(request).rejects.toThrow(
      /pool of 20 loans is proven by circuit instance pool64 .*`pnpm --filter @tranche\/circuits run build:instances pool64`/,
    );
    expect(await orm.em.fork().count(PoolAttestation, { dealId: deal.id })).toBe(0);
  }, 60_000);

  it('refuses a tape version that is not anchored, and an unknown one', async () => {
    const { deal, tape, principal } = await dealWithTape(16, 5);
    await orm.em.fork().nativeUpdate(LoanTape, { id: tape.id }, { anchorStatus: AnchorStatus.PENDING });
    const service = () => new PoolAttestationService(orm.em.fork(), principal);
    await expect(
      service().request({ dealId: deal.id, tapeVersion: tape.version }, decisionFor(principal)),
    ).rejects.toThrow(ValidationError);
    await expect(
      service().request({ dealId: deal.id, tapeVersion: 9 }, decisionFor(principal)),
    ).rejects.toThrow(/not found/);
    // another tenant's deal is not found
    const stranger = testPrincipal(['SERVICER']);
    await expect(
      new PoolAttestationService(orm.em.fork(), stranger).request(
        { dealId: deal.id, tapeVersion: tape.version },
        decisionFor(stranger),
      ),
    ).rejects.toThrow(/not found/);
  }, 60_000);

  it('fails at once, saying why, when the stored loans no longer hash to the anchored root', async () => {
    const { deal, tape, principal } = await dealWithTape(16, 5);
    const requested = await new PoolAttestationService(orm.em.fork(), principal).request(
      { dealId: deal.id, tapeVersion: tape.version },
      decisionFor(principal),
    );
    const [first] = await orm.em
      .fork()
      .find(Loan, { tapeId: tape.id }, { orderBy: { row: 'asc' }, limit: 1 });
    await orm.em.fork().nativeUpdate(Loan, { id: first!.id }, { currentBalance: first!.currentBalance - 1n });
    await runJob(requested.id);
    const failed = await attestationOf(requested.id);
    expect(failed.status).toBe(PoolAttestationStatus.FAILED);
    expect(failed.error).toMatch(
      /hash to root \d+, not to its anchored root \d+: the loans changed after ingest/,
    );
    expect(await sentKeys(requested.id)).toEqual([]);
  }, 60_000);
});

describe('covenant results', () => {
  it('reports bps rounded down and the balance, and an empty pool as zero', () => {
    const covenants = { maxDelinquencyBps: 500, delinquencyDays: 60, maxWaLtvBps: 8000, minBalance: 10n };
    const results = covenantResults(
      {
        totalBalance: 3n,
        delinquentBalance: 1n,
        weightedLtvSum: 24_001n,
        delinquencyOk: false,
        waLtvOk: false,
        minBalanceOk: false,
      },
      covenants,
    );
    expect(results.map((r) => [r.covenant, r.value, r.met])).toEqual([
      ['DELINQUENCY', '3333', false],
      ['WA_LTV', '8000', false],
      ['MIN_BALANCE', '3', false],
    ]);
    const empty = covenantResults(
      {
        totalBalance: 0n,
        delinquentBalance: 0n,
        weightedLtvSum: 0n,
        delinquencyOk: true,
        waLtvOk: true,
        minBalanceOk: false,
      },
      covenants,
    );
    expect(empty.map((r) => r.value)).toEqual(['0', '0', '0']);
  });
});
