/**
 * Audit bundles end to end on a real chain: an auditor exports a deal's evidence through the
 * gateway, the job builds and signs the archive, the auditor downloads it from the gateway and the
 * documented offline command (`npm run audit:verify-bundle`) verifies it against the chain; the
 * same archive with one event edited fails the command, and the wrong role or tenant can neither
 * export nor download.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureChain, type ChainHandle } from '@tranche/chain';
import { seedDemo } from '@tranche/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, graphql, ROOT, startPlatform, type TestPlatform } from '../support/platform.js';

let chain: ChainHandle;
let platform: TestPlatform;
let work: string;
let dealId: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tranche-bundle-'));
  const manifestDir = join(work, 'manifests');
  chain = await ensureChain({ port: 0, manifestDir });
  platform = await startPlatform({
    admin: false,
    env: { CHAIN_RPC_URL: chain.rpcUrl, CHAIN_MANIFEST_DIR: manifestDir, AUDIT_ANCHOR_EVERY_EVENTS: '1000' },
  });
  await seedDemo(platform.gatewayUrl, platform.issuerUrl);
  const deals = await graphql<{ deals: { items: { id: string }[] } }>(
    platform.gatewayUrl,
    '{ deals { items { id } } }',
    {},
    await platform.token('auditor@acme.test'),
  );
  const first = deals.data?.deals.items[0];
  if (!first) throw new Error('the demo seeded no deal');
  dealId = first.id;
}, 240_000);

afterAll(async () => {
  await platform?.stop();
  await chain?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
}, 60_000);

interface Bundle {
  id: string;
  status: string;
  progress: number;
  eventCount: number;
  anchoredCount: number;
  sha256: string | null;
  signer: string | null;
  downloadUrl: string | null;
  error: string | null;
}
const BUNDLE_FIELDS = 'id status progress eventCount anchoredCount sha256 signer downloadUrl error';
const EXPORT = `mutation($dealId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  exportAuditBundle(dealId: $dealId, from: $from, to: $to) { ${BUNDLE_FIELDS} } }`;
const period = () => ({
  from: new Date(Date.now() - 86_400_000).toISOString(),
  to: new Date().toISOString(),
});

const gatewayOrigin = () => new URL(platform.gatewayUrl).origin;
const download = (path: string, token?: string) =>
  fetch(`${gatewayOrigin()}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

/** Runs the documented command; returns its exit status and output. */
function verifyCommand(file: string, ...args: string[]): { status: number | null; output: string } {
  const run = spawnSync(
    process.execPath,
    [resolve(ROOT, 'scripts/verify-audit-bundle.mjs'), file, '--rpc', chain.rpcUrl, ...args],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Anchors the acme ledger as it stands and waits until the anchor is mined. */
async function anchorAcme(): Promise<void> {
  const admin = await platform.token('admin@acme.test');
  const auditor = await platform.token('auditor@acme.test');
  await eventually(async () => {
    const r = await graphql<{ auditEvents: { total: number } }>(
      platform.gatewayUrl,
      'query($f: AuditEventFilter) { auditEvents(filter: $f) { total } }',
      { f: { aggregateId: dealId } },
      auditor,
    );
    return (r.data?.auditEvents.total ?? 0) > 0 ? true : undefined;
  }, 30_000);
  const requested = await graphql(platform.gatewayUrl, 'mutation { requestAuditAnchoring }', {}, admin);
  expect(requested.errors).toBeUndefined();
  await eventually(async () => {
    const r = await graphql<{ auditAnchors: { items: { status: string }[] } }>(
      platform.gatewayUrl,
      '{ auditAnchors { items { status } } }',
      {},
      auditor,
    );
    return r.data?.auditAnchors.items.some((a) => a.status === 'ANCHORED') ? true : undefined;
  }, 60_000);
}

describe('audit bundles', () => {
  let bundle: Bundle;
  let file: string;

  it("exports a deal's bundle through the gateway, downloads it, and the offline command verifies it against the chain", async () => {
    await anchorAcme();
    const auditor = await platform.token('auditor@acme.test');
    const exported = await graphql<{ exportAuditBundle: Bundle }>(
      platform.gatewayUrl,
      EXPORT,
      { dealId, ...period() },
      auditor,
    );
    expect(exported.errors).toBeUndefined();
    expect(exported.data?.exportAuditBundle).toMatchObject({ status: 'QUEUED', downloadUrl: null });
    const id = exported.data?.exportAuditBundle.id;
    bundle = await eventually(async () => {
      const r = await graphql<{ auditBundle: Bundle | null }>(
        platform.gatewayUrl,
        `query($id: ID!) { auditBundle(id: $id) { ${BUNDLE_FIELDS} } }`,
        { id },
        auditor,
      );
      const found = r.data?.auditBundle;
      if (found?.status === 'FAILED') throw new Error(`bundle failed: ${found.error}`);
      return found?.status === 'READY' ? found : undefined;
    }, 60_000);
    expect(bundle).toMatchObject({ progress: 1, downloadUrl: `/audit-bundles/${id}` });
    expect(bundle.eventCount).toBeGreaterThan(0);
    expect(bundle.anchoredCount).toBeGreaterThan(0);
    const listed = await graphql<{ auditBundles: { items: { id: string }[] } }>(
      platform.gatewayUrl,
      'query($d: ID) { auditBundles(dealId: $d) { items { id } } }',
      { d: dealId },
      auditor,
    );
    expect(listed.data?.auditBundles.items.map((b) => b.id)).toContain(id);

    const res = await download(bundle.downloadUrl ?? '', auditor);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    expect(res.headers.get('content-disposition')).toContain(`audit-bundle-${dealId}-${id}.tar.gz`);
    const archive = Buffer.from(await res.arrayBuffer());
    expect(createHash('sha256').update(archive).digest('hex')).toBe(bundle.sha256);
    expect(res.headers.get('x-content-sha256')).toBe(bundle.sha256);
    file = join(work, 'bundle.tar.gz');
    writeFileSync(file, archive);

    const verified = verifyCommand(file, '--signer', bundle.signer ?? '');
    expect(verified.output).toContain('PASS  signer role');
    expect(verified.output).toContain('PASS  anchor #0 on-chain');
    expect(verified.output).toContain('PASS  anchor #0 transaction');
    expect(verified.output).toMatch(/bundle verified against the chain/);
    expect(verified.status, verified.output).toBe(0);
  });

  it('fails the offline check once one event of the archive is edited', () => {
    const dir = join(work, 'edited');
    mkdirSync(dir, { recursive: true });
    expect(spawnSync('tar', ['-xzf', file, '-C', dir]).status).toBe(0);
    const eventsFile = join(dir, 'events.jsonl');
    const lines = readFileSync(eventsFile, 'utf8').trim().split('\n');
    const first = JSON.parse(lines[0] ?? '{}') as { seq: number; actor: string };
    first.actor = 'user:someone-else@acme.test';
    lines[0] = JSON.stringify(first);
    writeFileSync(eventsFile, `${lines.join('\n')}\n`);
    const edited = join(work, 'edited.tar.gz');
    const names = ['manifest.json', 'events.jsonl', 'links.jsonl', 'proofs.jsonl', 'anchors.json'];
    expect(spawnSync('tar', ['-czf', edited, '-C', dir, ...names]).status).toBe(0);

    const result = verifyCommand(edited);
    expect(result.status, result.output).toBe(1);
    expect(result.output).toContain('FAIL  file events.jsonl');
    expect(result.output).toContain(`FAIL  event ${first.seq}: its content does not match its hash`);
    expect(result.output).toMatch(/bundle NOT verified/);
  });

  it('refuses export and download to the wrong role, the wrong tenant and no token', async () => {
    const arranger = await platform.token('arranger@acme.test');
    const denied = await graphql(platform.gatewayUrl, EXPORT, { dealId, ...period() }, arranger);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await download(bundle.downloadUrl ?? '', arranger)).status).toBe(403);

    const borealis = await platform.token('auditor@borealis.test');
    const foreign = await graphql(platform.gatewayUrl, EXPORT, { dealId, ...period() }, borealis);
    expect(foreign.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { dealId: expect.any(String) },
    });
    const seen = await graphql<{ auditBundle: Bundle | null }>(
      platform.gatewayUrl,
      'query($id: ID!) { auditBundle(id: $id) { id } }',
      { id: bundle.id },
      borealis,
    );
    expect(seen.data?.auditBundle).toBeNull();
    expect((await download(bundle.downloadUrl ?? '', borealis)).status).toBe(404);
    expect((await download(bundle.downloadUrl ?? '')).status).toBe(401);

    const bad = await graphql(
      platform.gatewayUrl,
      EXPORT,
      { dealId, from: new Date().toISOString(), to: new Date(Date.now() - 86_400_000).toISOString() },
      await platform.token('compliance@acme.test'),
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { to: expect.any(String) },
    });
  });
});
