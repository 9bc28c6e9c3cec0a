/**
 * More than one chain: the configuration lists two local nodes with different chain ids (each with
 * the platform deployed), a deal names its chain, and issuance deploys each deal's tokens on its
 * own chain and records the deployment per chain id. A chain that is not configured is refused.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureChain, LOCAL_SECOND_CHAIN_ID, type ChainHandle } from '@tranche/chain';
import { takeDealThroughIssuance } from '@tranche/devstack';
import { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, ROOT, startPlatform, type TestPlatform } from '../support/platform.js';

let first: ChainHandle;
let second: ChainHandle;
let platform: TestPlatform;

beforeAll(async () => {
  const manifestDir = mkdtempSync(join(tmpdir(), 'tranche-manifest-'));
  // One after the other: two nodes picking a free port at once could pick the same one.
  first = await ensureChain({ port: 0, manifestDir });
  second = await ensureChain({ port: 0, manifestDir, chainId: LOCAL_SECOND_CHAIN_ID });
  platform = await startPlatform({
    admin: false,
    env: {
      CHAIN_RPC_URL: first.rpcUrl,
      CHAIN_MANIFEST_DIR: manifestDir,
      CHAINS: JSON.stringify([
        { chainId: first.chainId, name: 'Local one', rpcUrl: first.rpcUrl },
        { chainId: second.chainId, name: 'Local two', rpcUrl: second.rpcUrl },
      ]),
    },
  });
}, 240_000);

afterAll(async () => {
  await platform?.stop();
  await Promise.all([first?.stop(), second?.stop()]);
}, 60_000);

const demo = (name: string) => readFileSync(resolve(ROOT, 'packages/devstack/src/demo', name), 'utf8');

async function structuredDeal(name: string): Promise<string> {
  const token = await platform.token('arranger@acme.test');
  const created = await graphql(
    platform.gatewayUrl,
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
    token,
  );
  const id = (created.data as { createDeal: { id: string } }).createDeal.id;
  const structured = await graphql(
    platform.gatewayUrl,
    'mutation($id: ID!, $s: DealStructureInput!) { setDealStructure(id: $id, input: $s) { id } }',
    { id, s: { waterfallRules: demo('acme-rules.json'), collateral: demo('acme-collateral.json') } },
    token,
  );
  expect(structured.errors).toBeUndefined();
  return id;
}

describe('deals on more than one chain', () => {
  it('lists the configured chains', async () => {
    const res = await graphql(
      platform.gatewayUrl,
      '{ chains { chainId name } }',
      {},
      await platform.token('arranger@acme.test'),
    );
    expect(res.data).toEqual({
      chains: [
        { chainId: 31337, name: 'Local one' },
        { chainId: LOCAL_SECOND_CHAIN_ID, name: 'Local two' },
      ],
    });
  });

  it('issues each deal on its own chain', async () => {
    const onFirst = await structuredDeal('Chain one 2026-1');
    const onSecond = await structuredDeal('Chain two 2026-1');
    await Promise.all([
      takeDealThroughIssuance(platform.gatewayUrl, platform.issuerUrl, {
        domain: 'acme.test',
        dealId: onFirst,
        name: 'Chain one 2026-1',
        chainId: first.chainId,
      }),
      takeDealThroughIssuance(platform.gatewayUrl, platform.issuerUrl, {
        domain: 'acme.test',
        dealId: onSecond,
        name: 'Chain two 2026-1',
        chainId: second.chainId,
      }),
    ]);
    const token = await platform.token('arranger@acme.test');
    const issuanceOf = async (id: string) =>
      (
        (
          await graphql(
            platform.gatewayUrl,
            'query($id: ID!) { deal(id: $id) { chainId issuance { status chainId tokens { address } } } }',
            { id },
            token,
          )
        ).data as {
          deal: {
            chainId: number;
            issuance: { status: string; chainId: number; tokens: { address: string }[] };
          };
        }
      ).deal;
    const a = await issuanceOf(onFirst);
    const b = await issuanceOf(onSecond);
    expect([a.chainId, a.issuance.chainId, a.issuance.status]).toEqual([
      first.chainId,
      first.chainId,
      'DEPLOYED',
    ]);
    expect([b.chainId, b.issuance.chainId, b.issuance.status]).toEqual([
      second.chainId,
      second.chainId,
      'DEPLOYED',
    ]);

    const one = new JsonRpcProvider(first.rpcUrl);
    const two = new JsonRpcProvider(second.rpcUrl);
    try {
      for (const { address } of a.issuance.tokens) {
        expect(await one.getCode(address)).not.toBe('0x');
      }
      // Same deployer, same nonces: an address can coincide, but the second chain's tokens are its own.
      for (const { address } of b.issuance.tokens) {
        expect(await two.getCode(address)).not.toBe('0x');
      }
      expect((await one.getNetwork()).chainId).toBe(31337n);
      expect((await two.getNetwork()).chainId).toBe(BigInt(LOCAL_SECOND_CHAIN_ID));
    } finally {
      one.destroy();
      two.destroy();
    }
  }, 240_000);

  it('refuses a chain that is not configured', async () => {
    const id = await structuredDeal('Chain three 2026-1');
    const res = await graphql(
      platform.gatewayUrl,
      'mutation($id: ID!) { setDealTerms(id: $id, input: { chainId: 1 }) { id } }',
      { id },
      await platform.token('arranger@acme.test'),
    );
    expect(res.errors?.[0]?.extensions?.fields).toEqual({
      chainId: `not a configured chain (configured: 31337, ${LOCAL_SECOND_CHAIN_ID})`,
    });
  });
});
