/**
 * Kill switches on-chain: activating one queues the pause of what it covers of its tenant — the
 * deal's T-REX tokens, the deal in the shared DealRegistry, its tokens' payouts in the shared
 * DistributionManager — and the switch shows each pause transaction once mined. A holder's transfer
 * reverts once the pause is mined; another tenant's deal and the shared contracts as a whole keep
 * working; a capability with no contract is NOT_APPLICABLE.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DealRegistry__factory,
  DEV_DEPLOYER_KEY,
  DistributionManager__factory,
  ensureChain,
  onChainDealId,
  registerInvestor,
  Token__factory,
  type ChainHandle,
} from '@tranche/chain';
import { takeDealThroughIssuance } from '@tranche/devstack';
import { HDNodeWallet, JsonRpcProvider, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, graphql, ROOT, startPlatform, type TestPlatform } from '../support/platform.js';

let chain: ChainHandle;
let platform: TestPlatform;
let provider: JsonRpcProvider;
const HARDHAT_MNEMONIC = 'test test test test test test test test test test test junk';
const holderKey = (i: number) => HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`);

interface Issued {
  dealId: string;
  tokens: string[];
  identityRegistry: string;
  claimIssuer: string;
}

const as = async (email: string, query: string, variables: Record<string, unknown> = {}) =>
  graphql(platform.gatewayUrl, query, variables, await platform.token(email));

/** A structured deal of `domain`, taken through review and issuance. */
async function issuedDeal(domain: string, name: string): Promise<Issued> {
  const demo = (file: string) => readFileSync(resolve(ROOT, 'packages/devstack/src/demo', file), 'utf8');
  const created = await as(
    `arranger@${domain}`,
    'mutation($i: CreateDealInput!) { createDeal(input: $i) { id } }',
    {
      i: {
        name,
        assetClass: 'RMBS',
        currency: 'USD',
        tranches: [
          { name: 'A', seniority: 1, originalBalance: '40000000000', couponBps: 475 },
          { name: 'M', seniority: 2, originalBalance: '6000000000', couponBps: 625 },
          { name: 'B', seniority: 3, originalBalance: '4000000000', couponBps: 850 },
        ],
      },
    },
  );
  const dealId = (created.data as { createDeal: { id: string } }).createDeal.id;
  await as(
    `arranger@${domain}`,
    'mutation($id: ID!, $s: DealStructureInput!) { setDealStructure(id: $id, input: $s) { id } }',
    {
      id: dealId,
      s: { waterfallRules: demo('acme-rules.json'), collateral: demo('acme-collateral.json') },
    },
  );
  await takeDealThroughIssuance(platform.gatewayUrl, platform.issuerUrl, { domain, dealId, name });
  const res = await as(
    `arranger@${domain}`,
    'query($id: ID!) { deal(id: $id) { issuance { identityRegistry claimIssuer tokens { address } } } }',
    {
      id: dealId,
    },
  );
  const issuance = (
    res.data as {
      deal: { issuance: { identityRegistry: string; claimIssuer: string; tokens: { address: string }[] } };
    }
  ).deal.issuance;
  return {
    dealId,
    tokens: issuance.tokens.map((t) => t.address),
    identityRegistry: issuance.identityRegistry,
    claimIssuer: issuance.claimIssuer,
  };
}

let acme: Issued;
let borealis: Issued;
const holder = holderKey(7);
const recipient = holderKey(8);

beforeAll(async () => {
  const manifestDir = mkdtempSync(join(tmpdir(), 'tranche-manifest-'));
  chain = await ensureChain({ port: 0, manifestDir });
  platform = await startPlatform({
    admin: false,
    env: { CHAIN_RPC_URL: chain.rpcUrl, CHAIN_MANIFEST_DIR: manifestDir },
  });
  provider = new JsonRpcProvider(chain.rpcUrl, undefined, { cacheTimeout: -1 });
  acme = await issuedDeal('acme.test', 'Pause Acme 2026-1');
  borealis = await issuedDeal('borealis.test', 'Pause Borealis 2026-1');
  // Two verified holders of Acme's A token (the platform is agent and claim issuer).
  const operator = new Wallet(DEV_DEPLOYER_KEY, provider);
  for (const wallet of [holder.address, recipient.address]) {
    await registerInvestor(operator, operator, acme, { wallet, country: 826 /* GB */, topics: [1n, 2n, 3n] });
  }
  const tokenA = Token__factory.connect(acme.tokens[0]!, operator);
  await (await tokenA.mint(holder.address, 1_000n)).wait();
}, 360_000);

afterAll(async () => {
  provider?.destroy();
  await platform?.stop();
  await chain?.stop();
}, 60_000);

const ACTIVATE =
  'mutation($i: ActivateKillSwitchInput!) { activateKillSwitch(input: $i) { id onChainStatus } }';
const SWITCHES =
  '{ killSwitches(activeOnly: false) { items { id onChainStatus onChainPauses { kind contractAddress subject status txHash } } } }';

interface Pause {
  kind: string;
  contractAddress: string;
  subject: string;
  status: string;
  txHash: string | null;
}

async function settled(
  email: string,
  id: string,
): Promise<{ onChainStatus: string; onChainPauses: Pause[] }> {
  return eventually(async () => {
    const res = await as(email, SWITCHES);
    const found = (
      res.data as { killSwitches: { items: { id: string; onChainStatus: string; onChainPauses: Pause[] }[] } }
    ).killSwitches.items.find((s) => s.id === id);
    return found && !['QUEUED', 'PAUSING'].includes(found.onChainStatus) ? found : undefined;
  }, 90_000);
}

describe('kill switches on-chain', () => {
  it('a holder can transfer before the switch', async () => {
    const token = Token__factory.connect(acme.tokens[0]!, holder.connect(provider));
    await (await token.transfer(recipient.address, 10n)).wait();
    expect(await token.balanceOf(recipient.address)).toBe(10n);
  });

  it("a DEAL switch pauses that deal's tokens, registry entry and payouts, shows the transactions, and a transfer reverts", async () => {
    const res = await as('compliance@acme.test', ACTIVATE, {
      i: { scope: 'DEAL', target: acme.dealId, reason: 'Servicer fraud alert' },
    });
    expect(res.errors).toBeUndefined();
    const { id } = (res.data as { activateKillSwitch: { id: string } }).activateKillSwitch;
    const done = await settled('compliance@acme.test', id);
    expect(done.onChainStatus).toBe('PAUSED');
    const kinds = done.onChainPauses.map((p) => p.kind).sort();
    expect(kinds).toEqual([
      'DEAL_REGISTRY_DEAL',
      'DISTRIBUTION_MANAGER_TOKEN',
      'DISTRIBUTION_MANAGER_TOKEN',
      'DISTRIBUTION_MANAGER_TOKEN',
      'TRANCHE_TOKEN',
      'TRANCHE_TOKEN',
      'TRANCHE_TOKEN',
    ]);
    expect(
      done.onChainPauses.every((p) => p.status === 'PAUSED' && /^0x[0-9a-f]{64}$/.test(p.txHash ?? '')),
    ).toBe(true);

    for (const address of acme.tokens)
      expect(await Token__factory.connect(address, provider).paused()).toBe(true);
    const registry = DealRegistry__factory.connect(chain.manifest.contracts.dealRegistry.address, provider);
    const manager = DistributionManager__factory.connect(
      chain.manifest.contracts.distributionManager.address,
      provider,
    );
    expect(await registry.isDealPaused(onChainDealId(acme.dealId))).toBe(true);
    expect(await manager.isTokenPaused(acme.tokens[0]!)).toBe(true);

    const token = Token__factory.connect(acme.tokens[0]!, holder.connect(provider));
    await expect(token.transfer(recipient.address, 10n)).rejects.toThrow(/paused/i);

    // Another tenant's deal, and the shared contracts as a whole, are untouched.
    for (const address of borealis.tokens)
      expect(await Token__factory.connect(address, provider).paused()).toBe(false);
    expect(await registry.isDealPaused(onChainDealId(borealis.dealId))).toBe(false);
    expect(await registry.paused()).toBe(false);
    expect(await manager.paused()).toBe(false);
  });

  it('a capability with no contract of its own is held by the gate alone', async () => {
    const res = await as('admin@borealis.test', ACTIVATE, {
      i: { scope: 'CAPABILITY', target: 'attestation.submit', reason: 'Prover review' },
    });
    const { id } = (res.data as { activateKillSwitch: { id: string } }).activateKillSwitch;
    expect((await settled('admin@borealis.test', id)).onChainStatus).toBe('NOT_APPLICABLE');
  });

  it('pauses are staff-only reading', async () => {
    const res = await as('investor@acme.test', SWITCHES);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
