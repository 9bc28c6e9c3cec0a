import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ledgerIdOf } from '@tranche/chain';
import { openSubgraphOrm, testPrincipal } from '@tranche/devstack/testing';
import { createLogger, loadConfig, recordAudit, type JobContext, type Principal } from '@tranche/platform';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAnchors } from '../anchor/anchor.service.js';
import { AnchorStatus, LedgerAnchor } from '../anchor/ledger-anchor.entity.js';
import { auditSubgraph } from '../index.js';
import { linkOutboxes } from '../ledger/ledger-writer.js';
import { AuditBundle, BundleStatus } from './audit-bundle.entity.js';
import { BUNDLE_FILES } from './bundle-format.js';
import { verifyBundle, type BundleChainReader } from './bundle-verifier.js';
import { bundleJobs } from './bundle.jobs.js';
import {
  BUILD_BUNDLE_TASK,
  BundleService,
  buildAuditBundle,
  MAX_BUNDLES_IN_FLIGHT,
  type BuildBundleOptions,
} from './bundle.service.js';
import { readTarGz } from './tar.js';

let orm: MikroORM;
beforeAll(async () => {
  orm = await openSubgraphOrm(auditSubgraph);
});
afterAll(async () => {
  await orm?.close();
});

const platformKey = Wallet.createRandom();
const TARGET = { chainId: 31337, contractAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };
const DAY = 86_400_000;

/** Appends audit events (through the outbox and the ledger writer) as `principal`. */
async function record(
  principal: Principal,
  events: { aggregateType: string; aggregateId: string; payload: unknown }[],
): Promise<void> {
  await orm.em.fork().transactional(async (tx) => {
    for (const event of events)
      await recordAudit(tx, 'audit', principal, { action: 'test.recorded', ...event });
  });
  await linkOutboxes(orm.em.fork());
}

/** A tenant with a deal whose events are interleaved with others' in its ledger. */
async function tenantWithDeal() {
  const auditor = testPrincipal(['AUDITOR']);
  const dealId = randomUUID();
  const other = randomUUID();
  await record(auditor, [
    { aggregateType: 'Deal', aggregateId: dealId, payload: { name: 'Acme 2026-1' } }, // 1
    { aggregateType: 'Deal', aggregateId: other, payload: { name: 'Other' } }, // 2
    { aggregateType: 'ChangeRequest', aggregateId: randomUUID(), payload: { dealId } }, // 3
    { aggregateType: 'Investor', aggregateId: randomUUID(), payload: { dealIds: [other, dealId] } }, // 4
    { aggregateType: 'KillSwitch', aggregateId: randomUUID(), payload: { scope: 'DEAL', target: dealId } }, // 5
    { aggregateType: 'KillSwitch', aggregateId: randomUUID(), payload: { scope: 'CAPABILITY', target: 'x' } }, // 6
    { aggregateType: 'Deal', aggregateId: dealId, payload: { status: 'APPROVED' } }, // 7
  ]);
  return { auditor, dealId, other };
}

/** Anchors the tenant's ledger so far as one range (a PENDING anchor marked mined). */
async function anchorAll(tenantId: string): Promise<LedgerAnchor> {
  const [anchor] = await planAnchors(orm.em.fork(), {
    everyEvents: 1,
    everyMinutes: 60,
    target: TARGET,
    tenantId,
    force: true,
  });
  if (!anchor) throw new Error('nothing to anchor');
  const em = orm.em.fork();
  const row = await em.findOneOrFail(LedgerAnchor, { id: anchor.id });
  Object.assign(row, {
    status: AnchorStatus.ANCHORED,
    txHash: `0x${'7'.repeat(64)}`,
    blockNumber: 42,
    anchorIndex: 0,
  });
  await em.flush();
  return row;
}

/** A chain holding `anchor` and naming the platform key operator. */
const chainOf = (anchor: LedgerAnchor): BundleChainReader => ({
  chainId: async () => anchor.chainId,
  anchorAt: async (_c, ledgerId, index) =>
    ledgerId === ledgerIdOf(anchor.tenantId) && index === anchor.anchorIndex
      ? { merkleRoot: anchor.merkleRoot, firstSeq: anchor.firstSeq, lastSeq: anchor.lastSeq }
      : null,
  transaction: async (txHash) =>
    txHash === anchor.txHash
      ? {
          blockNumber: anchor.blockNumber ?? 0,
          succeeded: true,
          logs: [
            {
              contract: anchor.contractAddress,
              ledgerId: ledgerIdOf(anchor.tenantId),
              index: anchor.anchorIndex ?? -1,
              root: anchor.merkleRoot,
              firstSeq: anchor.firstSeq,
              lastSeq: anchor.lastSeq,
            },
          ],
        }
      : null,
  isOperator: async (_c, account) => account === platformKey.address,
});

const period = () => ({ from: new Date(Date.now() - DAY), to: new Date(Date.now() + DAY) });
const options: BuildBundleOptions = { target: TARGET, signer: platformKey };

const jobContext = (attempt = 1): JobContext => ({
  attempt,
  maxAttempts: 5,
  jobKey: null,
  logger: createLogger('bundle-test', 'silent'),
  signal: new AbortController().signal,
});

describe('exporting audit bundles', () => {
  it("queues a bundle of the tenant's deal with its job and its own audit event", async () => {
    const { auditor, dealId } = await tenantWithDeal();
    const bundle = await new BundleService(orm.em.fork(), auditor).export({ dealId, ...period() });
    expect(bundle).toMatchObject({
      status: 'QUEUED',
      dealId,
      createdBy: expect.stringContaining('test-auditor'),
    });
    expect(bundle.periodTo.getTime()).toBeLessThanOrEqual(Date.now()); // capped at the request
    const [job] = await orm.em
      .getConnection()
      .execute<{ task_identifier: string }[]>(
        `select task_identifier from graphile_worker.jobs where key = ?`,
        [`${BUILD_BUNDLE_TASK}:${bundle.id}`],
      );
    expect(job?.task_identifier).toBe(BUILD_BUNDLE_TASK);
    await linkOutboxes(orm.em.fork());
    const [requested] = await orm.em
      .getConnection()
      .execute<{ action: string }[]>(`select action from audit.audit_event where aggregate_id = ?`, [
        bundle.id,
      ]);
    expect(requested?.action).toBe('audit.bundle.requested');
    const page = await new BundleService(orm.em.fork(), auditor).list({ dealId });
    expect(page.items.map((b) => b.id)).toEqual([bundle.id]);
  });

  it('refuses a bad period, a malformed id, and a deal the tenant does not have (another tenant’s included)', async () => {
    const { auditor, dealId } = await tenantWithDeal();
    const service = new BundleService(orm.em.fork(), auditor);
    const now = Date.now();
    const fieldsOf = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (err: { code?: string; details?: { fields?: Record<string, string> } }) => ({
          code: err.code,
          fields: Object.keys(err.details?.fields ?? {}),
        }),
      );
    expect(await fieldsOf(service.export({ dealId, from: new Date(now), to: new Date(now - DAY) }))).toEqual({
      code: 'BAD_USER_INPUT',
      fields: ['to'],
    });
    expect(
      await fieldsOf(service.export({ dealId, from: new Date(now - 400 * DAY), to: new Date(now) })),
    ).toEqual({ code: 'BAD_USER_INPUT', fields: ['to'] });
    expect(
      await fieldsOf(service.export({ dealId, from: new Date(now + DAY), to: new Date(now + 2 * DAY) })),
    ).toEqual({ code: 'BAD_USER_INPUT', fields: ['from'] });
    expect(await fieldsOf(service.export({ dealId: 'deal-1', ...period() }))).toEqual({
      code: 'BAD_USER_INPUT',
      fields: ['dealId'],
    });
    expect(await fieldsOf(service.export({ dealId: randomUUID(), ...period() }))).toEqual({
      code: 'BAD_USER_INPUT',
      fields: ['dealId'],
    });
    const stranger = testPrincipal(['AUDITOR']);
    expect(
      await fieldsOf(new BundleService(orm.em.fork(), stranger).export({ dealId, ...period() })),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      fields: ['dealId'],
    });
  });

  it(`keeps at most ${MAX_BUNDLES_IN_FLIGHT} bundles of a tenant in progress`, async () => {
    const { auditor, dealId } = await tenantWithDeal();
    const service = new BundleService(orm.em.fork(), auditor);
    for (let i = 0; i < MAX_BUNDLES_IN_FLIGHT; i += 1) await service.export({ dealId, ...period() });
    await expect(service.export({ dealId, ...period() })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('building an audit bundle', () => {
  it("carries exactly the deal's events with proofs against the anchor, signed; it verifies, and the archive is the tenant's alone", async () => {
    const { auditor, dealId } = await tenantWithDeal();
    const anchor = await anchorAll(auditor.tenantId);
    await record(auditor, [{ aggregateType: 'Deal', aggregateId: dealId, payload: { later: true } }]); // 8, unanchored
    const queued = await new BundleService(orm.em.fork(), auditor).export({ dealId, ...period() });
    const built = await buildAuditBundle(orm.em.fork(), queued.id, options);
    expect(built).toMatchObject({
      status: BundleStatus.READY,
      eventCount: 6,
      anchoredCount: 5,
      signer: platformKey.address,
      chainId: TARGET.chainId,
      progress: 1,
    });
    const { content, bundle } = await new BundleService(orm.em.fork(), auditor).archive(queued.id);
    expect(bundle.sha256).toMatch(/^[0-9a-f]{64}$/);
    const files = readTarGz(content);
    const seqs = (files.get(BUNDLE_FILES.events)?.toString('utf8') ?? '')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(seqs).toEqual([1, 3, 4, 5, 7, 8]); // not the other deal's (2) nor the capability switch (6)
    const report = await verifyBundle(content, { chain: chainOf(anchor) });
    expect(report.checks.filter((c) => c.status === 'FAIL')).toEqual([]);
    expect(report.manifest?.unanchoredSeqs).toEqual([8]);

    // Another tenant's auditor cannot download it; an unfinished bundle cannot be downloaded.
    await expect(
      new BundleService(orm.em.fork(), testPrincipal(['AUDITOR'])).archive(queued.id),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const pending = await new BundleService(orm.em.fork(), auditor).export({ dealId, ...period() });
    await expect(new BundleService(orm.em.fork(), auditor).archive(pending.id)).rejects.toMatchObject({
      code: 'CONFLICT',
    });

    // The built bundle is itself in the ledger, with its SHA-256.
    await linkOutboxes(orm.em.fork());
    const [builtEvent] = await orm.em
      .getConnection()
      .execute<{ payload: string }[]>(
        `select payload from audit.audit_event where aggregate_id = ? and action = 'audit.bundle.built'`,
        [queued.id],
      );
    expect(JSON.parse(builtEvent?.payload ?? '{}')).toMatchObject({ dealId, sha256: bundle.sha256 });
  });

  it('a build stopped mid-way runs again to the same archive; a built bundle is not rebuilt', async () => {
    const { auditor, dealId } = await tenantWithDeal();
    await anchorAll(auditor.tenantId);
    const first = await new BundleService(orm.em.fork(), auditor).export({ dealId, ...period() });
    const stop = new AbortController();
    stop.abort();
    await expect(
      buildAuditBundle(orm.em.fork(), first.id, { ...options, signal: stop.signal }),
    ).rejects.toThrow(/stopped/);
    const stopped = await orm.em.fork().findOneOrFail(AuditBundle, { id: first.id });
    expect(stopped).toMatchObject({ status: BundleStatus.RUNNING, sha256: null });
    const resumed = await buildAuditBundle(orm.em.fork(), first.id, options);
    expect(resumed?.status).toBe(BundleStatus.READY);
    // Rebuilding the same bundle from scratch gives the same bytes (deterministic archive).
    await orm.em.fork().nativeUpdate(AuditBundle, { id: first.id }, { status: BundleStatus.QUEUED });
    const again = await buildAuditBundle(orm.em.fork(), first.id, options);
    expect(again?.sha256).toBe(resumed?.sha256);
    const untouched = await buildAuditBundle(orm.em.fork(), first.id, {
      ...options,
      signer: Wallet.createRandom(),
    });
    expect(untouched?.signer).toBe(platformKey.address);
  });

  it('the job signs with CHAIN_OPERATOR_KEY when no chain is configured, and fails a bundle it has no key for', async () => {
    const { auditor, dealId } = await tenantWithDeal();
    const logger = createLogger('bundle-test', 'silent');
    const withKey = bundleJobs(orm, loadConfig({ CHAIN_OPERATOR_KEY: platformKey.privateKey }), logger);
    const signed = await new BundleService(orm.em.fork(), auditor).export({ dealId, ...period() });
    await withKey.handlers[BUILD_BUNDLE_TASK]?.({ bundleId: signed.id }, jobContext());
    expect(await orm.em.fork().findOneOrFail(AuditBundle, { id: signed.id })).toMatchObject({
      status: BundleStatus.READY,
      anchoredCount: 0,
      chainId: null,
      signer: platformKey.address,
    });
    const { content } = await new BundleService(orm.em.fork(), auditor).archive(signed.id);
    expect((await verifyBundle(content, { chain: null, expectedSigner: platformKey.address })).ok).toBe(true);

    const withoutKey = bundleJobs(orm, loadConfig({}), logger);
    const unsigned = await new BundleService(orm.em.fork(), auditor).export({ dealId, ...period() });
    await withoutKey.handlers[BUILD_BUNDLE_TASK]?.({ bundleId: unsigned.id }, jobContext());
    expect(await orm.em.fork().findOneOrFail(AuditBundle, { id: unsigned.id })).toMatchObject({
      status: BundleStatus.FAILED,
      error: expect.stringContaining('no platform key'),
    });
  });
});
