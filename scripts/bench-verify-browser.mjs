#!/usr/bin/env node
// bench:zk's in-browser figures: how long the auditor's verification page takes, in headless
// Chromium, to verify a bundle of 1,000 audit events (each hash recomputed, the chain links and
// each event's inclusion proof against its anchor's root) and one pool-attestation Groth16 proof
// (snarkjs in the page). The bundle is built here exactly as the platform writes one (the audit
// subgraph's writer, a real pool16 proof of a 16-loan pool); the chain is not read (network time is
// not the page's). Prints `BENCH <metric> <value> <unit>`: the cold run (snarkjs loads, curve
// built) and the median of the warm runs. Needs the workspace built (`npm run build`), the admin
// (`pnpm --filter @tranche/admin build`) and pool16 (`build:ci`); `npm run bench:zk` builds them.
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const load = (path) => import(pathToFileURL(join(root, path)).href);
const require = createRequire(join(root, 'tests/package.json'));
const { chromium } = require('playwright-core');
const { Wallet } = require('ethers');
const zk = await load('circuits/dist/index.js');
const { buildLedgerTree, ledgerIdOf } = await load('packages/chain/dist/index.js');
const { genesisHash, ledgerHash, ATTESTATION_VERIFIED } = await load('packages/verify/dist/index.js');
const { writeBundleArchive } = await load('subgraphs/audit/dist/bundle/bundle-archive.js');
const { startAdminServer } = await load('admin/serve.mjs');

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const bench = (metric, value, unit) => console.log(`BENCH ${metric} ${value} ${unit}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A real proof of a 16-loan pool.
const dealId = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
const period = 202611;
const loans = Array.from({ length: 16 }, (_, i) => ({
  balance: 10_000_000n + BigInt(i) * 100_000n,
  ltvBps: 6_000 + i * 50,
  daysDelinquent: 0,
}));
const salts = loans.map(() => zk.randomSalt());
const thresholds = { maxDelinquencyBps: 1_000, delinquencyDays: 60, maxWaLtvBps: 9_000, minBalance: 1n };
const proved = await zk.provePoolAttestation(loans, salts, thresholds, {
  dealId: zk.dealIdFromUuid(dealId),
  period,
});
await zk.releaseCurve();

// 1,000 events of one tenant's chain about the deal, one of them the verified attestation.
const tenantId = 'bench';
const started = Date.parse('2026-12-01T00:00:00.000Z');
const events = [];
let prevHash = genesisHash(tenantId);
for (let seq = 1; seq <= EVENTS; seq++) {
  const attestation = seq === Math.ceil(EVENTS / 2);
  const payload = attestation
    ? {
        attestationId: 'a1',
        tapeVersion: 1,
        period,
        chainId: 31337,
        circuit: 'pool16',
        poolRoot: proved.root.toString(),
        verifier: '0x0000000000000000000000000000000000000001',
        registry: '0x0000000000000000000000000000000000000002',
        txHash: null,
        blockNumber: null,
        proof: proved.proof,
        publicSignals: proved.publicSignals,
      }
    : { dealId, n: seq };
  const event = {
    id: `e${seq}`,
    seq,
    tenantId,
    source: 'bench',
    sourceEventId: `s${seq}`,
    actor: 'bench@tranche.test',
    action: attestation ? ATTESTATION_VERIFIED : 'deal.updated',
    aggregateType: 'Deal',
    aggregateId: dealId,
    payload: JSON.stringify(payload),
    requestId: null,
    occurredAt: new Date(started + seq * 1000).toISOString(),
  };
  const hash = ledgerHash(prevHash, { ...event, occurredAt: new Date(event.occurredAt) });
  events.push({ ...event, prevHash, hash });
  prevHash = hash;
}
const tree = buildLedgerTree(events.map((e) => ({ seq: e.seq, hash: `0x${e.hash}` })));
const auditAnchor = '0x0000000000000000000000000000000000000003';
const signer = Wallet.createRandom();
const { archive } = await writeBundleArchive(
  {
    bundleId: 'bench',
    tenantId,
    dealId,
    range: { from: new Date(started), to: new Date(started + (EVENTS + 1) * 1000) },
    createdAt: new Date(started + (EVENTS + 1) * 1000),
    createdBy: 'bench@tranche.test',
    events,
    links: events.map(({ seq, prevHash: p, hash }) => ({ seq, prevHash: p, hash })),
    proofs: new Map(events.map((e) => [e.seq, { anchorIndex: 0, proof: tree.proofFor(e.seq) }])),
    anchors: [
      {
        chainId: 31337,
        contract: auditAnchor,
        ledgerId: ledgerIdOf(tenantId),
        anchorIndex: 0,
        firstSeq: 1,
        lastSeq: EVENTS,
        root: tree.root,
        txHash: `0x${'ab'.repeat(32)}`,
        blockNumber: 1,
      },
    ],
    chain: { chainId: 31337, auditAnchor },
  },
  signer,
);
const work = mkdtempSync(join(tmpdir(), 'tranche-bench-verify-'));
const file = join(work, 'bundle.tar.gz');
writeFileSync(file, archive);

const admin = await startAdminServer({
  port: 0,
  gatewayUrl: 'http://127.0.0.1:9/graphql',
  issuerUrl: 'http://127.0.0.1:9',
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();
  await page.goto(`${admin.url}/verify`);
  await page.getByLabel('Expected signer (optional)').fill(signer.address);
  await page.getByLabel('Chain JSON-RPC endpoint').fill('');
  await page.getByLabel('Audit bundle').setInputFiles(file);
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    await page.getByRole('button', { name: 'Verify' }).click();
    const result = page.getByTestId('verification-result');
    await result.waitFor({ timeout: 120_000 });
    if ((await result.getAttribute('data-ok')) !== 'true') {
      const failed = await page.locator('[data-status="FAIL"]').allTextContents();
      throw new Error(`the bench bundle did not verify: ${failed.join(' | ')}`);
    }
    const text = await page.getByTestId('verification-timing').textContent();
    const m =
      /(\d+) events and (\d+) inclusion proofs in (\d+) ms; (\d+) attestation proofs in (\d+) ms;.* (\d+) ms in all/.exec(
        text ?? '',
      );
    if (!m || Number(m[1]) !== EVENTS || Number(m[4]) !== 1)
      throw new Error(`unexpected timing line: ${text}`);
    runs.push({ events: Number(m[3]), proof: Number(m[5]), total: Number(m[6]) });
  }
  const [cold, ...warm] = runs;
  bench('zk.browser_verify_cold_ms', cold.total, 'ms');
  bench('zk.browser_verify_cold_proof_ms', cold.proof, 'ms');
  bench('zk.browser_verify_cold_events_ms', cold.events, 'ms');
  bench(`zk.browser_verify_events_ms_${EVENTS}`, median(warm.map((r) => r.events)), 'ms');
  bench('zk.browser_verify_proof_ms', median(warm.map((r) => r.proof)), 'ms');
  bench(`zk.browser_verify_total_ms_proof_plus_${EVENTS}_events`, median(warm.map((r) => r.total)), 'ms');
  bench('zk.browser_bundle_bytes', readFileSync(file).length, 'bytes');
} finally {
  await browser.close();
  await admin.close();
  rmSync(work, { recursive: true, force: true });
}
