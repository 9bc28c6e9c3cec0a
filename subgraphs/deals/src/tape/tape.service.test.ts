import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DealRegistry__factory, ensureChain, onChainDealId, type ChainHandle } from '@tranche/chain';
import { poolCommitmentSync } from '@tranche/circuits';
import { openSubgraphOrm, testPrincipal } from '@tranche/devstack/testing';
import {
  ConflictError,
  createLogger,
  Gate,
  KillSwitchActiveError,
  LocalKeyProvider,
  loadConfig,
  NotFoundError,
  OutboxEvent,
  open,
  type GateStateSource,
  type JobContext,
} from '@tranche/platform';
import { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetClass, Deal } from '../deal/deal.entity.js';
import { DealService } from '../deal/deal.service.js';
import { dealsSubgraph } from '../index.js';
import { AnchorStatus, LoanTape, TapeStatus } from './loan-tape.entity.js';
import { ingestTape, tapeJobs } from './tape.jobs.js';
import { collateralFromTape } from './tape.pool.js';
import { sampleTapeCsv } from '@tranche/devstack';
import {
  ANCHOR_TASK,
  INGEST_TASK,
  piiAad,
  tapeKeyContext,
  TapeService,
  TapeTooLargeError,
} from './tape.service.js';

let orm: MikroORM;
let chain: ChainHandle;
let manifestDir: string;
const keyFile = join(mkdtempSync(join(tmpdir(), 'tape-keys-')), 'kek.hex');
const keys = new LocalKeyProvider(keyFile);
const SCHEMA = 'deals';

let killSwitches: { scope: 'GLOBAL' | 'DEAL' | 'CAPABILITY'; target: string | null; tenantId: string }[] = [];
const STATE: GateStateSource = {
  snapshot: async () => ({
    killSwitches: killSwitches.map((k, i) => ({ id: `ks-${i}`, reason: 'test', ...k })),
    breakGlass: [],
    policies: new Map(),
  }),
  changeRequest: async () => null,
};
let gate: Gate;

beforeAll(async () => {
  manifestDir = mkdtempSync(join(tmpdir(), 'tranche-manifest-'));
  [orm, chain] = await Promise.all([openSubgraphOrm(dealsSubgraph), ensureChain({ port: 0, manifestDir })]);
  gate = new Gate(STATE, { refreshMs: 50, maxStalenessMs: 600_000, rateLimitPerMinute: 10_000 });
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
    TAPE_MAX_ROWS: '5000',
    KEY_PROVIDER: 'local',
    LOCAL_KEY_FILE: keyFile,
  });
const ctx = (signal = new AbortController().signal): JobContext => ({
  attempt: 1,
  maxAttempts: 5,
  jobKey: null,
  logger: createLogger('tape-test', 'silent'),
  signal,
});
const servicer = (tenantId?: string) => new TapeService(orm.em.fork(), testPrincipal(['SERVICER'], tenantId));

async function newDeal(tenantId?: string): Promise<Deal> {
  const deal = await new DealService(orm.em.fork(), testPrincipal(['ARRANGER'], tenantId)).create({
    name: `Tape ${crypto.randomUUID()}`,
    assetClass: AssetClass.RMBS,
    currency: 'USD',
    tranches: [{ name: 'A', seniority: 1, originalBalance: 1_000_000n, couponBps: 500 }],
  });
  await orm.em.fork().nativeUpdate(Deal, { id: deal.id }, { chainId: chain.chainId });
  return deal;
}

/** Uploads `csv` as a new version of the deal's tape and returns it, RECEIVED. */
async function upload(deal: Deal, csv: string, cutoffDate = '2026-10-31', maxBytes = 10_000_000) {
  const service = servicer(deal.tenantId);
  const tape = await service.create({ dealId: deal.id, cutoffDate, fileName: 'tape.csv' }, keys);
  const body = Buffer.from(csv);
  const pieces = (async function* () {
    for (let i = 0; i < body.length; i += 64 * 1024) yield body.subarray(i, i + 64 * 1024);
  })();
  return servicer(deal.tenantId).receive(tape.id, pieces, { maxBytes }, keys);
}

const rawLoans = (tapeId: string) =>
  orm.em
    .fork()
    .execute<Record<string, unknown>[]>(
      `select *, pii::text as pii_text from "${SCHEMA}".loan where tape_id = ? order by row`,
      [tapeId],
    );

describe('loan tape ingest', () => {
  it('stores a valid tape all at once: loans, root, stratification, PII sealed, nothing in plaintext', async () => {
    const deal = await newDeal();
    const csv = sampleTapeCsv(1500, 5);
    const { tape, sha256 } = await upload(deal, csv);
    expect(tape.status).toBe(TapeStatus.RECEIVED);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);

    // the pieces of the file at rest are sealed too
    const pieces = await orm.em
      .fork()
      .execute<{ data: Buffer }[]>(`select data from "${SCHEMA}".loan_tape_chunk where tape_id = ?`, [
        tape.id,
      ]);
    expect(pieces.length).toBeGreaterThan(0);
    const firstName = csv.split('\n')[1]!.split(',')[14]!;
    const firstSsn = csv.split('\n')[1]!.split(',')[15]!;
    for (const p of pieces) expect(p.data.includes(Buffer.from(firstName))).toBe(false);

    const outcome = await ingestTape(orm, keys, config(), tape.id);
    expect(outcome).toMatchObject({ status: TapeStatus.VALIDATED, rows: 1500, errorCount: 0 });
    const stored = await orm.em.fork().findOneOrFail(LoanTape, { id: tape.id }, { populate: ['wrappedKey'] });
    expect(stored.rowCount).toBe(1500);
    expect(stored.rootCapacity).toBe(4096);
    expect((stored.stratification as { loanCount: number }).loanCount).toBe(1500);
    expect(
      await orm.em.fork().execute(`select 1 from "${SCHEMA}".loan_tape_chunk where tape_id = ?`, [tape.id]),
    ).toEqual([]);

    // No plaintext borrower name or SSN anywhere in the row, raw.
    const rows = await rawLoans(tape.id);
    expect(rows).toHaveLength(1500);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(firstName);
    expect(text).not.toContain(firstSsn);
    expect(text).not.toContain(firstSsn.replace(/-/g, ''));
    // ... and what is sealed opens, with the tape's key, to the borrower
    const key = await keys.unwrap(stored.wrappedKey, stored.keyId, tapeKeyContext(stored));
    const pii = JSON.parse(
      open(key, rows[0]!.pii as Buffer, piiAad(tape.id, rows[0]!.loan_id as string)).toString(),
    );
    expect(pii).toEqual({ name: firstName, ssn: firstSsn });
    // moved to another loan, it does not open
    expect(() => open(key, rows[0]!.pii as Buffer, piiAad(tape.id, rows[1]!.loan_id as string))).toThrow();

    // The root is the one the circuits compute for the same loans and salts.
    const expected = await poolCommitmentSync(
      rows.map((r) => ({
        balance: BigInt(r.current_balance as string),
        ltvBps: r.ltv_bps as number,
        daysDelinquent: r.days_delinquent as number,
      })),
      rows.map((r) => BigInt(r.salt as string)),
    );
    expect(stored.poseidonRoot).toBe(expected.root.toString());

    // audit: validated, with no borrower data in the event
    const events = await orm.em
      .fork()
      .find(OutboxEvent, { aggregateId: deal.id }, { orderBy: { id: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['tape.created', 'tape.uploaded', 'tape.validated']),
    );
    expect(JSON.stringify(events)).not.toContain(firstName);

    // Anchored on the deal's chain: DealRegistry holds the file hash and the root for the period.
    const anchor = tapeJobs(orm, config(), createLogger('tape-test', 'silent'), gate).handlers[ANCHOR_TASK]!;
    await anchor({ tapeId: tape.id }, ctx());
    await anchor({ tapeId: tape.id }, ctx()); // a replayed job sends nothing
    const anchored = await orm.em.fork().findOneOrFail(LoanTape, { id: tape.id });
    expect(anchored.anchorStatus).toBe(AnchorStatus.ANCHORED);
    const provider = new JsonRpcProvider(chain.rpcUrl);
    const registry = DealRegistry__factory.connect(chain.manifest.contracts.dealRegistry.address, provider);
    const onChain = await registry.datasetAnchor(onChainDealId(deal.id), 202610);
    expect(onChain.poseidonRoot).toBe(expected.root);
    expect(onChain.fileSha256).toBe(`0x${sha256}`);
    provider.destroy();

    // the month is taken: another version for October is refused up front
    await expect(
      servicer(deal.tenantId).create(
        { dealId: deal.id, cutoffDate: '2026-10-15', fileName: 'again.csv' },
        keys,
      ),
    ).rejects.toBeInstanceOf(ConflictError);

    // staff get loan lines, other readers representative lines (fewer than loans)
    const loans = JSON.parse(await collateralFromTape(orm.em.fork(), SCHEMA, tape.id, 'loans')) as {
      loans: unknown[];
    };
    const rep = JSON.parse(await collateralFromTape(orm.em.fork(), SCHEMA, tape.id, 'representative')) as {
      loans: { balance: number }[];
    };
    expect(loans.loans).toHaveLength(1500);
    expect(rep.loans.length).toBeLessThan(1500);
    const total = rep.loans.reduce((s, l) => s + l.balance, 0);
    expect(Math.round(total * 100)).toBe(
      Number(BigInt((stored.stratification as { currentBalance: string }).currentBalance)),
    );
  }, 120_000);

  it('rejects a tape with a bad row after 1,000 good ones and writes no loan', async () => {
    const deal = await newDeal();
    const lines = sampleTapeCsv(1200, 6).split('\n');
    lines[1100] = lines[1100]!.replace(/,(\d{3})-(\d{2})-(\d{4}),/, ',000-$2-$3,');
    const { tape } = await upload(deal, lines.join('\n'));
    const outcome = await ingestTape(orm, keys, config(), tape.id);
    expect(outcome.status).toBe(TapeStatus.REJECTED);
    const stored = await orm.em.fork().findOneOrFail(LoanTape, { id: tape.id });
    expect(stored.rowErrors).toEqual([
      { row: 1101, column: 'borrower_ssn', message: 'is not an issuable SSN' },
    ]);
    expect(await rawLoans(tape.id)).toEqual([]);
    expect(stored.poseidonRoot).toBeNull();
    expect(stored.anchorStatus).toBe(AnchorStatus.NONE);
  });

  it('refuses a tape over the row limit and one over the size limit', async () => {
    const deal = await newDeal();
    const { tape } = await upload(deal, sampleTapeCsv(5001, 8), '2026-09-30');
    await ingestTape(orm, keys, config(), tape.id);
    const stored = await orm.em.fork().findOneOrFail(LoanTape, { id: tape.id });
    expect(stored.status).toBe(TapeStatus.REJECTED);
    expect(stored.rowErrors[0]).toMatchObject({
      row: 5002,
      message: expect.stringMatching(/more than 5000/),
    });
    expect(await rawLoans(tape.id)).toEqual([]);

    await expect(upload(deal, sampleTapeCsv(100, 8), '2026-08-31', 1000)).rejects.toBeInstanceOf(
      TapeTooLargeError,
    );
    const [big] = await servicer(deal.tenantId).ofDeals([deal.id]);
    expect(big![0]).toMatchObject({ status: TapeStatus.REJECTED, version: 2 });
    expect(
      await orm.em
        .fork()
        .execute(`select 1 from "${SCHEMA}".loan_tape_chunk where tape_id = ?`, [big![0]!.id]),
    ).toEqual([]);
  });

  it('takes one upload per version, and none for another tenant', async () => {
    const deal = await newDeal();
    const service = servicer(deal.tenantId);
    const tape = await service.create({ dealId: deal.id, cutoffDate: '2026-07-31', fileName: 't.csv' }, keys);
    await expect(
      servicer('11111111-2222-4333-8444-555555555555').receive(
        tape.id,
        [Buffer.from('x')],
        { maxBytes: 100 },
        keys,
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    await servicer(deal.tenantId).receive(
      tape.id,
      [Buffer.from(sampleTapeCsv(3))],
      { maxBytes: 100_000 },
      keys,
    );
    await expect(
      servicer(deal.tenantId).receive(tape.id, [Buffer.from(sampleTapeCsv(3))], { maxBytes: 100_000 }, keys),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await servicer('11111111-2222-4333-8444-555555555555').get(tape.id)).toBeNull();
  });

  it('refuses bad dates and file names before creating anything', async () => {
    const deal = await newDeal();
    for (const cutoffDate of ['2026-02-30', '31/10/2026', '2999-01-31']) {
      await expect(
        servicer(deal.tenantId).create({ dealId: deal.id, cutoffDate, fileName: 't.csv' }, keys),
      ).rejects.toThrow(/cutoffDate|date|future/);
    }
    await expect(
      servicer(deal.tenantId).create(
        { dealId: deal.id, cutoffDate: '2026-01-31', fileName: '../etc/passwd' },
        keys,
      ),
    ).rejects.toThrow();
    expect(await servicer(deal.tenantId).ofDeals([deal.id])).toEqual([[]]);
  });

  it('stopped mid-ingest, leaves nothing and completes on the next attempt with each loan once', async () => {
    const deal = await newDeal();
    const { tape } = await upload(deal, sampleTapeCsv(3000, 11), '2026-06-30');
    const stop = new AbortController();
    const watcher = setInterval(() => {
      void orm.em
        .fork()
        .findOne(LoanTape, { id: tape.id })
        .then((t) => (t?.rowsProcessed ?? 0) >= 1000 && stop.abort());
    }, 5);
    await expect(ingestTape(orm, keys, config(), tape.id, stop.signal)).rejects.toThrow(/stopping/);
    clearInterval(watcher);
    expect(await rawLoans(tape.id)).toEqual([]);
    const outcome = await ingestTape(orm, keys, config(), tape.id);
    expect(outcome).toMatchObject({ status: TapeStatus.VALIDATED, rows: 3000 });
    expect(await rawLoans(tape.id)).toHaveLength(3000);
    // a replayed job does nothing more
    expect(await ingestTape(orm, keys, config(), tape.id)).toMatchObject({ status: TapeStatus.VALIDATED });
  }, 60_000);

  it('holds the ingest while a kill switch stops deal.tape', async () => {
    const deal = await newDeal();
    const { tape } = await upload(deal, sampleTapeCsv(5), '2026-05-31');
    killSwitches = [{ scope: 'CAPABILITY', target: 'deal.tape', tenantId: deal.tenantId }];
    await new Promise((r) => setTimeout(r, 200));
    const ingest = tapeJobs(orm, config(), createLogger('tape-test', 'silent'), gate).handlers[INGEST_TASK]!;
    try {
      await expect(ingest({ tapeId: tape.id }, ctx())).rejects.toBeInstanceOf(KillSwitchActiveError);
      expect((await orm.em.fork().findOneOrFail(LoanTape, { id: tape.id })).status).toBe(TapeStatus.RECEIVED);
    } finally {
      killSwitches = [];
      await new Promise((r) => setTimeout(r, 200));
    }
    await ingest({ tapeId: tape.id }, ctx());
    expect((await orm.em.fork().findOneOrFail(LoanTape, { id: tape.id })).status).toBe(TapeStatus.VALIDATED);
  });
});
