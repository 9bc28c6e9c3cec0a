// The offline verifier against bundles built in memory (no database, a fake chain): a good bundle
// passes, and every kind of edit or mismatch fails, naming the check.
import { randomUUID } from 'node:crypto';
import { buildLedgerTree, ledgerIdOf } from '@tranche/chain';
import { canonicalJson } from '@tranche/platform';
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { genesisHash, ledgerHash } from '../ledger/ledger-hash.js';
import { sealBundle, writeBundleArchive, type BundleParts, type BundleSigner } from './bundle-archive.js';
import {
  BUNDLE_FILES,
  HASHED_FILES,
  jsonLines,
  type BundleAnchor,
  type BundleEvent,
  type BundleLink,
  type SignedManifest,
} from './bundle-format.js';
import { verifyBundle, type BundleChainReader, type BundleReport } from './bundle-verifier.js';
import { readTarGz, writeTarGz } from './tar.js';

const platformKey = Wallet.createRandom();
const otherKey = Wallet.createRandom();
const CONTRACT = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const CHAIN_ID = 31337;
const tenantId = `tenant-${randomUUID()}`;
const dealId = randomUUID();
const ledgerId = ledgerIdOf(tenantId);
const start = new Date('2026-06-01T00:00:00.000Z');

/** Ten events of the tenant's chain; those at 2, 3, 5, 8, 9, 10 concern the deal in one of the rule's ways. */
function tenantChain(): BundleEvent[] {
  const about = (seq: number): Pick<BundleEvent, 'aggregateType' | 'aggregateId' | 'payload'> => {
    switch (seq) {
      case 2:
      case 9:
        return { aggregateType: 'Deal', aggregateId: dealId, payload: canonicalJson({ seq }) };
      case 3:
        return {
          aggregateType: 'ChangeRequest',
          aggregateId: randomUUID(),
          payload: canonicalJson({ dealId }),
        };
      case 5:
        return {
          aggregateType: 'Investor',
          aggregateId: randomUUID(),
          payload: canonicalJson({ dealIds: [dealId] }),
        };
      case 8:
        return {
          aggregateType: 'KillSwitch',
          aggregateId: randomUUID(),
          payload: canonicalJson({ scope: 'DEAL', target: dealId, reason: 'test' }),
        };
      case 10:
        return {
          aggregateType: 'AuditBundle',
          aggregateId: randomUUID(),
          payload: canonicalJson({ dealId }),
        };
      default:
        return { aggregateType: 'Deal', aggregateId: randomUUID(), payload: canonicalJson({ other: true }) };
    }
  };
  const events: BundleEvent[] = [];
  let prevHash = genesisHash(tenantId);
  for (let seq = 1; seq <= 10; seq += 1) {
    const occurredAt = new Date(start.getTime() + seq * 60_000);
    const content = {
      seq,
      tenantId,
      source: 'deals',
      sourceEventId: randomUUID(),
      actor: 'user:arranger@acme.test',
      action: `test.${seq}`,
      ...about(seq),
      requestId: null,
      occurredAt,
    };
    const hash = ledgerHash(prevHash, content);
    events.push({ ...content, id: randomUUID(), occurredAt: occurredAt.toISOString(), prevHash, hash });
    prevHash = hash;
  }
  return events;
}

const chain = tenantChain();
const dealEvents = chain.filter((e) => [2, 3, 5, 8, 9, 10].includes(e.seq));
const links: BundleLink[] = chain
  .filter((e) => e.seq >= 2)
  .map(({ seq, prevHash, hash }) => ({ seq, prevHash, hash }));
const leaves = (first: number, last: number) =>
  chain.filter((e) => e.seq >= first && e.seq <= last).map((e) => ({ seq: e.seq, hash: `0x${e.hash}` }));
const trees = [buildLedgerTree(leaves(1, 6)), buildLedgerTree(leaves(7, 8))];
const anchors: BundleAnchor[] = trees.map((tree, index) => ({
  chainId: CHAIN_ID,
  contract: CONTRACT,
  ledgerId,
  anchorIndex: index,
  firstSeq: tree.firstSeq,
  lastSeq: tree.lastSeq,
  root: tree.root,
  txHash: `0x${String(index + 1).repeat(64)}`,
  blockNumber: 100 + index,
}));

const parts: BundleParts = {
  bundleId: randomUUID(),
  tenantId,
  dealId,
  range: { from: start, to: new Date(start.getTime() + 86_400_000) },
  createdAt: new Date('2026-06-02T00:00:00.000Z'),
  createdBy: 'user:auditor@acme.test',
  events: dealEvents,
  links,
  proofs: new Map(
    dealEvents
      .filter((e) => e.seq <= 8)
      .map((e) => {
        const index = e.seq <= 6 ? 0 : 1;
        return [e.seq, { anchorIndex: index, proof: trees[index]?.proofFor(e.seq) ?? [] }];
      }),
  ),
  anchors,
  chain: { chainId: CHAIN_ID, auditAnchor: CONTRACT },
};

/** A chain that holds `anchors` (or what `edit` makes of them) and names the platform key operator. */
function fakeChain(
  options: { anchors?: BundleAnchor[]; chainId?: number; missingTx?: string; operators?: string[] } = {},
): BundleChainReader {
  const held = options.anchors ?? anchors;
  const operators = new Set(options.operators ?? [platformKey.address]);
  return {
    chainId: async () => options.chainId ?? CHAIN_ID,
    anchorAt: async (contract, ledger, index) => {
      const a = held.find((x) => x.contract === contract && x.ledgerId === ledger && x.anchorIndex === index);
      return a ? { merkleRoot: a.root, firstSeq: a.firstSeq, lastSeq: a.lastSeq } : null;
    },
    transaction: async (txHash) => {
      if (txHash === options.missingTx) return null;
      const a = held.find((x) => x.txHash === txHash);
      if (!a) return null;
      return {
        blockNumber: a.blockNumber,
        succeeded: true,
        logs: [
          {
            contract: a.contract,
            ledgerId: a.ledgerId,
            index: a.anchorIndex,
            root: a.root,
            firstSeq: a.firstSeq,
            lastSeq: a.lastSeq,
          },
        ],
      };
    },
    isOperator: async (_contract, account) => operators.has(account),
  };
}

const good = await writeBundleArchive(parts, platformKey);

/** The archive with its files edited (the manifest left as it was). */
function repack(archive: Buffer, edit: (files: Map<string, Buffer>) => void): Buffer {
  const files = readTarGz(archive);
  edit(files);
  return writeTarGz(
    [...files.entries()].map(([name, content]) => ({ name, content })),
    new Date(),
  );
}

/** The archive's content files edited, then the manifest rewritten over them and signed by `key`. */
async function reseal(
  archive: Buffer,
  key: BundleSigner,
  edit: (files: Map<string, Buffer>, manifest: SignedManifest) => void,
): Promise<Buffer> {
  const files = readTarGz(archive);
  const manifest = JSON.parse(files.get(BUNDLE_FILES.manifest)?.toString('utf8') ?? '') as SignedManifest;
  edit(files, manifest);
  const { signature: _signature, files: _files, ...unsigned } = manifest;
  const content = Object.fromEntries(HASHED_FILES.map((name) => [name, files.get(name) ?? Buffer.alloc(0)]));
  return (await sealBundle(unsigned, content, key)).archive;
}

const editLine = (
  files: Map<string, Buffer>,
  name: string,
  seq: number,
  edit: (row: Record<string, unknown>) => void,
) => {
  const rows = (files.get(name)?.toString('utf8') ?? '')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const row = rows.find((r) => r.seq === seq);
  if (!row) throw new Error(`no line ${seq} in ${name}`);
  edit(row);
  files.set(name, jsonLines(rows));
};

const failed = (report: BundleReport) => report.checks.filter((c) => c.status === 'FAIL').map((c) => c.name);

describe('verifying an audit bundle offline', () => {
  it('passes a bundle as the platform writes it, checking every anchor and transaction on the chain', async () => {
    const report = await verifyBundle(good.archive, { chain: fakeChain() });
    expect(failed(report)).toEqual([]);
    expect(report.ok).toBe(true);
    const passed = report.checks.filter((c) => c.status === 'PASS').map((c) => c.name);
    expect(passed).toEqual(
      expect.arrayContaining([
        'archive',
        'manifest',
        'file events.jsonl',
        'signature',
        'signer role',
        'ledger id',
        'events',
        'chain links',
        'proofs',
        'anchor #0 on-chain',
        'anchor #0 transaction',
        'anchor #1 on-chain',
        'anchor #1 transaction',
      ]),
    );
    // Events 9 and 10 are not anchored yet: said, not failed.
    expect(report.checks.find((c) => c.name === 'unanchored')).toMatchObject({ status: 'WARN' });
    expect(report.manifest?.counts).toEqual({ events: 6, anchored: 4, unanchored: 2, links: 9, anchors: 2 });
  });

  it('fails an edited event: its file no longer matches the manifest and its content no longer matches its hash', async () => {
    const edited = repack(good.archive, (files) =>
      editLine(files, BUNDLE_FILES.events, 3, (row) => {
        row.actor = 'user:someone-else@acme.test';
      }),
    );
    const report = await verifyBundle(edited, { chain: fakeChain() });
    expect(report.ok).toBe(false);
    expect(failed(report)).toEqual(expect.arrayContaining(['file events.jsonl', 'event 3']));
  });

  it('fails an edited event re-hashed and re-signed with another key: the anchored proof and the signer both fail', async () => {
    const edited = await reseal(good.archive, otherKey, (files) => {
      let newHash = '';
      editLine(files, BUNDLE_FILES.events, 5, (row) => {
        row.payload = canonicalJson({ dealIds: [dealId], amount: '1' });
        const event = row as unknown as BundleEvent;
        newHash = ledgerHash(event.prevHash, { ...event, occurredAt: new Date(event.occurredAt) });
        row.hash = newHash;
      });
      editLine(files, BUNDLE_FILES.links, 5, (row) => {
        row.hash = newHash;
      });
      editLine(files, BUNDLE_FILES.proofs, 5, (row) => {
        row.hash = `0x${newHash}`;
      });
    });
    const report = await verifyBundle(edited, { chain: fakeChain() });
    expect(report.ok).toBe(false);
    expect(failed(report)).toEqual(expect.arrayContaining(['signer role', 'link 6', 'proof 5']));
  });

  it('fails an edited inclusion proof', async () => {
    const edited = await reseal(good.archive, platformKey, (files) =>
      editLine(files, BUNDLE_FILES.proofs, 2, (row) => {
        row.proof = (row.proof as string[]).map(() => `0x${'ab'.repeat(32)}`);
      }),
    );
    const report = await verifyBundle(edited, { chain: fakeChain() });
    expect(failed(report)).toEqual(['proof 2']);
  });

  it('fails an edited manifest: the signature no longer covers it', async () => {
    const files = readTarGz(good.archive);
    const manifest = JSON.parse(files.get(BUNDLE_FILES.manifest)?.toString('utf8') ?? '') as SignedManifest;
    manifest.range.to = '2027-01-01T00:00:00.000Z';
    const edited = repack(good.archive, (f) =>
      f.set(BUNDLE_FILES.manifest, Buffer.from(JSON.stringify(manifest))),
    );
    const report = await verifyBundle(edited, { chain: fakeChain() });
    expect(failed(report)).toEqual(['signature']);
    expect(report.checks.find((c) => c.name === 'signature')?.detail).toContain('the manifest was changed');
  });

  it('fails a bundle signed by a key without OPERATOR_ROLE, or by another than the expected signer', async () => {
    const foreign = await writeBundleArchive(parts, otherKey);
    const onChain = await verifyBundle(foreign.archive, { chain: fakeChain() });
    expect(failed(onChain)).toEqual(['signer role']);
    const expected = await verifyBundle(good.archive, { chain: null, expectedSigner: otherKey.address });
    expect(failed(expected)).toEqual(['signer']);
    const forged = await reseal(good.archive, platformKey, (_files, manifest) => {
      manifest.createdBy = 'user:someone@acme.test';
    });
    const swapped = repack(forged, (files) => {
      const manifest = JSON.parse(files.get(BUNDLE_FILES.manifest)?.toString('utf8') ?? '') as SignedManifest;
      manifest.signature.value = `0x${'11'.repeat(65)}`;
      files.set(BUNDLE_FILES.manifest, Buffer.from(JSON.stringify(manifest)));
    });
    expect(failed(await verifyBundle(swapped, { chain: fakeChain() }))).toContain('signature');
  });

  it('fails when the chain holds another root or range for an anchor, or does not know its transaction', async () => {
    const other = anchors.map((a) => (a.anchorIndex === 1 ? { ...a, root: `0x${'cd'.repeat(32)}` } : a));
    const mismatch = await verifyBundle(good.archive, { chain: fakeChain({ anchors: other }) });
    expect(failed(mismatch)).toEqual(['anchor #1 on-chain', 'anchor #1 transaction']);
    const noTx = await verifyBundle(good.archive, { chain: fakeChain({ missingTx: anchors[0]?.txHash }) });
    expect(failed(noTx)).toEqual(['anchor #0 transaction']);
    const wrongChain = await verifyBundle(good.archive, { chain: fakeChain({ chainId: 1 }) });
    expect(failed(wrongChain)).toEqual(['chain']);
  });

  it('fails an anchor whose range in the bundle was edited to match a forged proof', async () => {
    const edited = await reseal(good.archive, platformKey, (files) => {
      const list = JSON.parse(files.get(BUNDLE_FILES.anchors)?.toString('utf8') ?? '') as BundleAnchor[];
      const first = list[0];
      if (first) first.lastSeq = 7;
      files.set(BUNDLE_FILES.anchors, Buffer.from(JSON.stringify(list)));
    });
    const report = await verifyBundle(edited, { chain: fakeChain() });
    expect(failed(report)).toEqual(['anchor #0 on-chain', 'anchor #0 transaction']);
  });

  it('without a chain, passes only against the expected signer and says the anchors were not read', async () => {
    const trusted = await verifyBundle(good.archive, { chain: null, expectedSigner: platformKey.address });
    expect(trusted.ok).toBe(true);
    expect(trusted.checks.find((c) => c.name === 'anchors on-chain')?.status).toBe('SKIP');
    const untrusted = await verifyBundle(good.archive, { chain: null });
    expect(failed(untrusted)).toEqual(['signer role']);
  });

  it('fails what is not a bundle, and a bundle missing a file', async () => {
    expect(failed(await verifyBundle(Buffer.from('not a bundle'), { chain: null }))).toEqual(['archive']);
    const partial = repack(good.archive, (files) => files.delete(BUNDLE_FILES.proofs));
    const report = await verifyBundle(partial, { chain: fakeChain() });
    expect(report.checks).toEqual([
      { status: 'FAIL', section: 'bundle', name: 'archive', detail: 'missing proofs.jsonl' },
    ]);
  });
});
