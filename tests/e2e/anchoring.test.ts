/**
 * Anchoring the audit ledger on a real chain (a Hardhat node with the platform deployed): the
 * audit subgraph's queue plans a tenant's range and sends its Merkle root to AuditAnchor; an
 * event's proof from `auditEventProof` verifies on-chain, an edited event's does not, and one
 * tenant's anchor proves nothing about another's events.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChain, verifyEventOnChain, type ChainHandle } from '@tranche/chain';
import { seedDemo } from '@tranche/devstack';
import { JsonRpcProvider } from 'ethers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, graphql, startPlatform, type TestPlatform } from '../support/platform.js';

let chain: ChainHandle;
let platform: TestPlatform;
let db: pg.Client;

beforeAll(async () => {
  const manifestDir = mkdtempSync(join(tmpdir(), 'tranche-manifest-'));
  chain = await ensureChain({ port: 0, manifestDir });
  platform = await startPlatform({
    admin: false,
    env: { CHAIN_RPC_URL: chain.rpcUrl, CHAIN_MANIFEST_DIR: manifestDir, AUDIT_ANCHOR_EVERY_EVENTS: '1000' },
  });
  await seedDemo(platform.gatewayUrl, platform.issuerUrl);
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
}, 240_000);

afterAll(async () => {
  await db?.end();
  await platform?.stop();
  await chain?.stop();
}, 60_000);

interface Proof {
  ledgerId: string;
  proof: string[];
  event: { id: string; seq: number; hash: string };
  anchor: { status: string; txHash: string; firstSeq: number; lastSeq: number; merkleRoot: string };
}
const PROOF =
  'query($id: ID!) { auditEventProof(id: $id) { ledgerId proof event { id seq hash } anchor { status txHash firstSeq lastSeq merkleRoot } } }';

async function anchorNow(tenant: 'acme' | 'borealis'): Promise<void> {
  const res = await graphql(
    platform.gatewayUrl,
    'mutation { requestAuditAnchoring }',
    {},
    await platform.token(`admin@${tenant}.test`),
  );
  expect(res.errors).toBeUndefined();
}

describe('anchoring the audit ledger on-chain', () => {
  it("anchors a tenant's range and proves each event of it on-chain; an edited event does not verify", async () => {
    const auditor = await platform.token('auditor@acme.test');
    const events = await eventually(async () => {
      const r = await graphql<{ auditEvents: { items: { id: string; seq: number }[] } }>(
        platform.gatewayUrl,
        '{ auditEvents(page: { limit: 100 }) { items { id seq } } }',
        {},
        auditor,
      );
      return (r.data?.auditEvents.items.length ?? 0) >= 5 ? r.data?.auditEvents.items : undefined;
    });
    await anchorNow('acme');
    const target = events[events.length - 2]; // an early event
    const proof = await eventually(async () => {
      const r = await graphql<{ auditEventProof: Proof | null }>(
        platform.gatewayUrl,
        PROOF,
        { id: target?.id },
        auditor,
      );
      return r.data?.auditEventProof?.anchor.status === 'ANCHORED' ? r.data.auditEventProof : undefined;
    }, 30_000);
    expect(proof.anchor.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const provider = new JsonRpcProvider(chain.rpcUrl);
    const anchorAddress = chain.manifest.contracts.auditAnchor.address;
    const leaf = { seq: proof.event.seq, hash: `0x${proof.event.hash}` };
    expect(await verifyEventOnChain(provider, anchorAddress, proof.ledgerId, leaf, proof.proof)).toBe(true);

    // Another tenant's ledger id proves nothing with this proof.
    const borealisEvents = await graphql<{ auditEvents: { items: { id: string }[] } }>(
      platform.gatewayUrl,
      '{ auditEvents(page: { limit: 1 }) { items { id } } }',
      {},
      await platform.token('auditor@borealis.test'),
    );
    expect(borealisEvents.data?.auditEvents.items.length).toBe(1);
    const otherLedger = `0x${'11'.repeat(32)}`;
    expect(await verifyEventOnChain(provider, anchorAddress, otherLedger, leaf, proof.proof)).toBe(false);

    // Edit the event in the database: the proof rebuilt from the ledger no longer verifies.
    await db.query(`update audit.audit_event set hash = repeat('ab', 32) where id = $1`, [target?.id]);
    const edited = await graphql<{ auditEventProof: Proof | null }>(
      platform.gatewayUrl,
      PROOF,
      { id: target?.id },
      auditor,
    );
    const editedLeaf = { seq: proof.event.seq, hash: `0x${edited.data?.auditEventProof?.event.hash}` };
    expect(
      await verifyEventOnChain(
        provider,
        anchorAddress,
        proof.ledgerId,
        editedLeaf,
        edited.data?.auditEventProof?.proof ?? [],
      ),
    ).toBe(false);
    provider.destroy();
  });

  it('refuses anchoring to anyone but an ADMIN and holds it while an audit.anchor kill switch is active', async () => {
    const denied = await graphql(
      platform.gatewayUrl,
      'mutation { requestAuditAnchoring }',
      {},
      await platform.token('auditor@acme.test'),
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const admin = await platform.token('admin@borealis.test');
    await graphql(
      platform.gatewayUrl,
      'mutation($i: ActivateKillSwitchInput!) { activateKillSwitch(input: $i) { id } }',
      { i: { scope: 'CAPABILITY', target: 'audit.anchor', reason: 'chain incident' } },
      admin,
    );
    const refused = await eventually(async () => {
      const r = await graphql(platform.gatewayUrl, 'mutation { requestAuditAnchoring }', {}, admin);
      return r.errors?.[0]?.extensions?.code === 'KILL_SWITCH_ACTIVE' ? r : undefined;
    });
    expect(refused.errors?.[0]?.extensions?.reason).toBe('chain incident');
  });
});
