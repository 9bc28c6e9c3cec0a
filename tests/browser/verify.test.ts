/**
 * The auditor's verification page, in Chromium against the real platform and a Hardhat node. The
 * demo is seeded as `npm start` seeds it (issued, a 16-loan tape anchored, two holders onboarded
 * and minted, the first month paid and reconciled, the pool attested with a real pool16 proof),
 * the audit chain is anchored and the deal's audit bundle exported. Then:
 * - the same verifier in Node passes every check of the bundle, attestation and payouts included;
 * - a signed-in auditor opens it from the back office and the page verifies, in the browser, the
 *   Groth16 proof, the anchored root and the on-chain record, the chain range with each event's
 *   inclusion proof against AuditAnchor, and the distribution against DistributionManager: all ✓;
 * - on the public page (no account) a bundle whose proof was altered, and one whose payout leaf was
 *   altered, each show ✗ saying what differs.
 * Needs `pnpm --filter @tranche/admin build` and CI's pool16 circuit (`build:ci`) first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditReportRegistry__factory,
  auditReportDomain,
  AUDIT_REPORT_TYPES,
  ensureChain,
  onChainDealId,
  readManifest,
  type ChainHandle,
} from '@tranche/chain';
import { seedDemo } from '@tranche/devstack';
import { rpcChainReader, verifyBundle, type BundleReport } from '@tranche/verify';
import { JsonRpcProvider, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, graphql, ROOT, startPlatform, type TestPlatform } from '../support/platform.js';
import { launchBrowser, signIn, type Browser } from './admin-ui.js';

describe("the auditor's verification page", () => {
  let chain: ChainHandle | undefined;
  let platform: TestPlatform | undefined;
  let browser: Browser | undefined;
  let work = '';
  let bundleId = '';
  let archive: Buffer = Buffer.alloc(0);
  let dealId = '';
  let manifestDir = '';
  /** The auditor's own wallet, behind the page's EIP-1193 provider (`window.ethereum`). */
  const auditorWallet = Wallet.createRandom();

  const as = async (email: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await graphql(platform!.gatewayUrl, query, variables, await platform!.token(email));
    if (res.errors) throw new Error(`${email}: ${JSON.stringify(res.errors)}`);
    return (res.data ?? {}) as Record<string, unknown>;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tranche-verify-'));
    manifestDir = join(work, 'manifests');
    chain = await ensureChain({ port: 0, manifestDir });
    platform = await startPlatform({
      admin: true,
      env: {
        CHAIN_RPC_URL: chain.rpcUrl,
        CHAIN_MANIFEST_DIR: manifestDir,
        CHAINS: JSON.stringify([{ chainId: chain.chainId, name: 'Hardhat', rpcUrl: chain.rpcUrl }]),
        AUDIT_ANCHOR_EVERY_EVENTS: '100000',
      },
    });
    const seeded = await seedDemo(platform.gatewayUrl, platform.issuerUrl, {
      issue: true,
      kyc: { apiUrl: `${platform.kycSandboxUrl}/api/v1`, apiKey: platform.kyc.apiKey },
      tapeLoans: 16,
      attest: true,
    });
    expect(seeded.join(', ')).toMatch(/pool attestation verified on-chain/);
    expect(seeded.join(', ')).toMatch(/first month paid and reconciled/);
    const { deals } = (await as('auditor@acme.test', '{ deals { items { id name } } }')) as {
      deals: { items: { id: string; name: string }[] };
    };
    dealId = deals.items[0]!.id;

    // Once the ledger holds the attestation and the reconciliation (outboxes relay them), anchor
    // everything so far, then export the deal's bundle.
    for (const action of ['attestation.verified', 'distribution.reconciled'])
      await eventually(async () => {
        const { auditEvents } = (await as(
          'auditor@acme.test',
          'query($f: AuditEventFilter) { auditEvents(filter: $f) { total } }',
          {
            f: { action },
          },
        )) as { auditEvents: { total: number } };
        return auditEvents.total > 0 ? true : undefined;
      }, 60_000);
    const anchors = async () =>
      (
        (await as('auditor@acme.test', '{ auditAnchors { total items { status } } }')) as {
          auditAnchors: { total: number; items: { status: string }[] };
        }
      ).auditAnchors;
    const before = (await anchors()).total;
    await as('admin@acme.test', 'mutation { requestAuditAnchoring }');
    await eventually(async () => {
      const now = await anchors();
      return now.total > before && now.items.every((a) => a.status === 'ANCHORED') ? true : undefined;
    }, 90_000);
    const { exportAuditBundle } = (await as(
      'auditor@acme.test',
      'mutation($d: ID!, $f: DateTimeISO!, $t: DateTimeISO!) { exportAuditBundle(dealId: $d, from: $f, to: $t) { id } }',
      { d: dealId, f: new Date(Date.now() - 86_400_000).toISOString(), t: new Date().toISOString() },
    )) as { exportAuditBundle: { id: string } };
    bundleId = exportAuditBundle.id;
    await eventually(async () => {
      const { auditBundle } = (await as(
        'auditor@acme.test',
        'query($id: ID!) { auditBundle(id: $id) { status error } }',
        {
          id: bundleId,
        },
      )) as { auditBundle: { status: string; error: string | null } };
      if (auditBundle.status === 'FAILED') throw new Error(`bundle failed: ${auditBundle.error}`);
      return auditBundle.status === 'READY' ? true : undefined;
    }, 90_000);
    const res = await fetch(`${new URL(platform.gatewayUrl).origin}/audit-bundles/${bundleId}`, {
      headers: { authorization: `Bearer ${await platform.token('auditor@acme.test')}` },
    });
    expect(res.status).toBe(200);
    archive = Buffer.from(await res.arrayBuffer());
    browser = await launchBrowser();
    // The auditor's wallet: an EIP-1193 provider in the page whose key stays in this process.
    await browser.context.exposeFunction('__auditorSignTypedData', async (json: string) => {
      const { domain, types, message } = JSON.parse(json) as {
        domain: Record<string, unknown>;
        types: Record<string, { name: string; type: string }[]>;
        message: Record<string, unknown>;
      };
      const { EIP712Domain: _domain, ...rest } = types;
      return auditorWallet.signTypedData(domain, rest, message);
    });
    await browser.context.addInitScript(`window.ethereum = {
      request: async ({ method, params }) => {
        if (method === 'eth_requestAccounts' || method === 'eth_accounts') return ['${auditorWallet.address}'];
        if (method === 'eth_signTypedData_v4') return window.__auditorSignTypedData(params[1]);
        throw new Error('unsupported ' + method);
      },
    };`);
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await chain?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  const keys = () =>
    Object.fromEntries(
      readdirSync(join(ROOT, 'circuits/keys')).map((f) => [
        f.replace('.vkey.json', ''),
        JSON.parse(readFileSync(join(ROOT, 'circuits/keys', f), 'utf8')),
      ]),
    );
  const statusOf = (report: BundleReport, pattern: RegExp) =>
    report.checks.filter((c) => pattern.test(c.name)).map((c) => c.status);

  it('the verifier passes every check of the bundle: chain, anchors, the attestation and the payouts', async () => {
    const reader = await rpcChainReader(chain!.rpcUrl);
    try {
      const report = await verifyBundle(archive, { chain: reader, verificationKeys: keys() });
      expect(report.checks.filter((c) => c.status === 'FAIL')).toEqual([]);
      expect(report.ok).toBe(true);
      expect(statusOf(report, /^attestation .* proof$/)).toEqual(['PASS']);
      expect(statusOf(report, /^attestation .* root$/)).toEqual(['PASS']);
      expect(statusOf(report, /^attestation .* on-chain$/)).toEqual(['PASS']);
      expect(statusOf(report, /^distribution .* on-chain$/).length).toBeGreaterThan(0);
      expect(
        statusOf(report, /^distribution .* (on-chain|leaves|holders|engine)$/).every((s) => s === 'PASS'),
      ).toBe(true);
      // the attestation's and the reconciliation's events are anchored and proven
      const evidence = report.checks.filter((c) => /^(attestation|distribution) /.test(c.name));
      expect(evidence.length).toBeGreaterThan(3);
      expect(report.counts.proofs).toBeGreaterThan(0);
      const unanchored = new Set(report.manifest!.unanchoredSeqs);
      expect(statusOf(report, /^proofs$/)).toEqual(['PASS']);
      for (const check of report.checks.filter((c) => /^attestation \d+ \(event \d+\) proof$/.test(c.name)))
        expect(unanchored.has(Number(/event (\d+)/.exec(check.name)![1]))).toBe(false);
    } finally {
      reader.close();
    }
  });

  it('a signed-in auditor verifies the bundle in the browser (every check ✓) and signs the result', async () => {
    const { page } = browser!;
    await signIn(page, platform!.adminUrl!, 'auditor@acme.test');
    await page.getByRole('menuitem', { name: 'Verify' }).click();
    await page.goto(`${platform!.adminUrl}#/verify?bundle=${bundleId}`);
    const result = page.getByTestId('verification-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await page.locator('[data-status="FAIL"]').count()).toBe(0);
    for (const section of ['Audit chain', 'Anchors on-chain', 'Pool attestations', 'Distributions']) {
      const rows = page
        .getByRole('region', { name: new RegExp(`^${section}`) })
        .locator('[data-status="PASS"]');
      expect(await rows.count(), section).toBeGreaterThan(0);
    }
    await expect
      .poll(() => page.locator('[data-check$=" proof"][data-status="PASS"]').count())
      .toBeGreaterThan(0);

    // The report attestation: the auditor signs the result with their wallet; the platform records
    // it in the audit chain and in AuditReportRegistry, under the auditor's address.
    await page.getByRole('button', { name: 'Sign the result with your wallet' }).click();
    const recorded = await eventually(async () => {
      const { auditReports } = (await as(
        'auditor@acme.test',
        '{ auditReports { items { status error txHash } } }',
      )) as {
        auditReports: { items: { status: string; error: string | null }[] };
      };
      const [report] = auditReports.items;
      if (report?.status === 'FAILED') throw new Error(`the report was not recorded: ${report.error}`);
      return report?.status === 'RECORDED' ? report : undefined;
    }, 60_000).catch(async (err: unknown) => {
      const section = await page.getByRole('region', { name: 'Report attestation' }).textContent();
      throw new Error(`${String(err)}; the page says: ${section}`);
    });
    expect(recorded.status).toBe('RECORDED');
    await expect
      .poll(() => page.getByTestId('report-status').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('RECORDED');
    const manifest = await readManifest(manifestDir, chain!.chainId);
    const provider = new JsonRpcProvider(chain!.rpcUrl);
    try {
      const registry = AuditReportRegistry__factory.connect(
        manifest!.contracts.auditReportRegistry!.address,
        provider,
      );
      expect(await registry.reportCount(onChainDealId(dealId))).toBe(1n);
      const recorded = await registry.reportAt(onChainDealId(dealId), 0);
      expect(recorded.auditor).toBe(auditorWallet.address);
      expect(recorded.verified).toBe(true);
    } finally {
      provider.destroy();
    }
    const { auditEvents } = (await as(
      'auditor@acme.test',
      'query($f: AuditEventFilter) { auditEvents(filter: $f) { total } }',
      {
        f: { action: 'audit.report.attested' },
      },
    )) as { auditEvents: { total: number } };
    expect(auditEvents.total).toBeLessThanOrEqual(1);
    await eventually(async () => {
      const r = (await as(
        'auditor@acme.test',
        'query($f: AuditEventFilter) { auditEvents(filter: $f) { total } }',
        {
          f: { action: 'audit.report.recorded' },
        },
      )) as { auditEvents: { total: number } };
      return r.auditEvents.total === 1 ? true : undefined;
    }, 30_000);
    expect(browser!.errors).toEqual([]);
  }, 180_000);

  it('refuses a result signed by another wallet, a replay, a verdict the counts contradict, and other roles', async () => {
    const manifest = await readManifest(manifestDir, chain!.chainId);
    const domain = auditReportDomain(chain!.chainId, manifest!.contracts.auditReportRegistry!.address);
    const verifiedAt = Math.floor(Date.now() / 1000) - 60;
    const message = {
      dealId: onChainDealId(dealId),
      bundleSha256: `0x${'11'.repeat(32)}`,
      resultDigest: `0x${'22'.repeat(32)}`,
      verified: true,
      verifiedAt,
    };
    const input = (
      signer: { signTypedData: Wallet['signTypedData'] },
      overrides: Record<string, unknown> = {},
    ) =>
      signer.signTypedData(domain, AUDIT_REPORT_TYPES, message).then((signature) => ({
        dealId,
        bundleSha256: message.bundleSha256,
        resultDigest: message.resultDigest,
        verified: true,
        checksPassed: 10,
        checksFailed: 0,
        verifiedAt: new Date(verifiedAt * 1000).toISOString(),
        auditor: auditorWallet.address,
        signature,
        ...overrides,
      }));
    const attest = async (email: string, variables: Record<string, unknown>) =>
      graphql(
        platform!.gatewayUrl,
        'mutation($i: AttestAuditReportInput!) { attestAuditReport(input: $i) { id status } }',
        { i: variables },
        await platform!.token(email),
      );
    const other = Wallet.createRandom();
    const forged = await attest('auditor@acme.test', await input(other));
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(forged.errors?.[0]?.extensions)).toMatch(/signature/);
    const contradicting = await attest('auditor@acme.test', await input(auditorWallet, { checksFailed: 2 }));
    expect(contradicting.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const compliance = await attest('compliance@acme.test', await input(auditorWallet));
    expect(compliance.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherTenant = await attest('auditor@borealis.test', await input(auditorWallet));
    expect(otherTenant.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const first = await attest('auditor@acme.test', await input(auditorWallet));
    expect(first.errors).toBeUndefined();
    const replay = await attest('auditor@acme.test', await input(auditorWallet));
    expect(replay.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  /** The bundle with `edit` applied to the payload of its first event of `action`, re-packed. */
  const tampered = (action: string, edit: (payload: Record<string, unknown>) => void): string => {
    const dir = mkdtempSync(join(work, 'edit-'));
    const file = join(dir, 'bundle.tar.gz');
    writeFileSync(file, archive);
    expect(spawnSync('tar', ['-xzf', file, '-C', dir]).status).toBe(0);
    const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n');
    const i = lines.findIndex((l) => l && JSON.parse(l).action === action);
    expect(i).toBeGreaterThanOrEqual(0);
    const event = JSON.parse(lines[i]!);
    const payload = JSON.parse(event.payload);
    edit(payload);
    event.payload = JSON.stringify(payload);
    lines[i] = JSON.stringify(event);
    writeFileSync(join(dir, 'events.jsonl'), lines.join('\n'));
    const out = join(dir, 'tampered.tar.gz');
    const names = ['manifest.json', 'events.jsonl', 'links.jsonl', 'proofs.jsonl', 'anchors.json'];
    expect(spawnSync('tar', ['-czf', out, '-C', dir, ...names]).status).toBe(0);
    return out;
  };

  const verifyOnPublicPage = async (file: string) => {
    const page = await browser!.context.newPage();
    await page.goto(`${platform!.adminUrl}verify`);
    await page.getByLabel('Audit bundle').setInputFiles(file);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByTestId('verification-result').waitFor({ timeout: 60_000 });
    return page;
  };

  it('the public page, without an account, shows ✗ for an altered proof and says what differs', async () => {
    const file = tampered('attestation.verified', (p) => {
      const proof = p.proof as { pi_a: string[] };
      proof.pi_a[0] = (BigInt(proof.pi_a[0]!) + 1n).toString();
    });
    const page = await verifyOnPublicPage(file);
    expect(await page.getByTestId('verification-result').getAttribute('data-ok')).toBe('false');
    const proof = page.locator('[data-check$=" proof"]').first();
    expect(await proof.getAttribute('data-status')).toBe('FAIL');
    expect(await proof.textContent()).toMatch(/does not verify/);
    // the edit also breaks the event's hash and the file's SHA-256 in the manifest
    expect(await page.locator('[data-check="file events.jsonl"]').getAttribute('data-status')).toBe('FAIL');
    await page.close();
  });

  it('and ✗ for an altered payout, naming the amounts', async () => {
    const file = tampered('distribution.reconciled', (p) => {
      const tranche = (p.tranches as { leaves: [number, string, string][] }[])[0]!;
      const leaf = tranche.leaves[0]!;
      leaf[2] = (BigInt(leaf[2]) + 1_000_000n).toString();
    });
    const page = await verifyOnPublicPage(file);
    expect(await page.getByTestId('verification-result').getAttribute('data-ok')).toBe('false');
    const leaves = page.locator('[data-check$=" leaves"][data-status="FAIL"]').first();
    expect(await leaves.textContent()).toMatch(/add up to \d+, not \d+/);
    await page.close();
  });
});
