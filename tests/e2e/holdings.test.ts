/**
 * From an issued deal to tokens in an investor's wallet, and the cap table read back from the chain:
 * a subscription is checked against the deal's restrictions, allocated by the arranger through the
 * gate with an approved `token.mint` change request, minted by a job that first registers the
 * investor's identity in the deal's identity registry, and the holding appears in the tranche's cap
 * table from the indexed Transfer events. Over-allocation, a second use of the approval, wrong roles
 * and tenants are refused.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  DEV_DEPLOYER_KEY,
  ensureChain,
  IdentityRegistry__factory,
  Token__factory,
  type ChainHandle,
} from '@tranche/chain';
import { takeDealThroughIssuance } from '@tranche/devstack';
import { JsonRpcProvider, Wallet } from 'ethers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, graphql, ROOT, startPlatform, type TestPlatform } from '../support/platform.js';

let chain: ChainHandle;
let platform: TestPlatform;
let db: pg.Client;
let trancheA = { id: '', token: '' };
let dealId = '';
const wallet = Wallet.createRandom().address;
let investorId = '';

const as = async (email: string, query: string, variables: Record<string, unknown> = {}) =>
  graphql(platform.gatewayUrl, query, variables, await platform.token(email));

beforeAll(async () => {
  const manifestDir = mkdtempSync(join(tmpdir(), 'tranche-manifest-'));
  chain = await ensureChain({ port: 0, manifestDir });
  platform = await startPlatform({
    admin: false,
    env: { CHAIN_RPC_URL: chain.rpcUrl, CHAIN_MANIFEST_DIR: manifestDir },
  });
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  const demo = (name: string) => readFileSync(resolve(ROOT, 'packages/devstack/src/demo', name), 'utf8');
  const created = await as(
    'arranger@acme.test',
    'mutation($i: CreateDealInput!) { createDeal(input: $i) { id } }',
    {
      i: {
        name: 'Holdings 2026-1',
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
  dealId = (created.data as { createDeal: { id: string } }).createDeal.id;
  await as(
    'arranger@acme.test',
    'mutation($id: ID!, $s: DealStructureInput!) { setDealStructure(id: $id, input: $s) { id } }',
    {
      id: dealId,
      s: { waterfallRules: demo('acme-rules.json'), collateral: demo('acme-collateral.json') },
    },
  );
  await takeDealThroughIssuance(platform.gatewayUrl, platform.issuerUrl, {
    domain: 'acme.test',
    dealId,
    name: 'Holdings 2026-1',
    terms: {
      regulatoryFramework: 'REG_S',
      accreditedOnly: false,
      allowedCountries: ['GB', 'DE'],
      minimumInvestment: '1000000',
    },
  });
  const deal = await as(
    'arranger@acme.test',
    'query($id: ID!) { deal(id: $id) { tranches { id name } issuance { tokens { tranche address } } } }',
    {
      id: dealId,
    },
  );
  const d = (
    deal.data as {
      deal: {
        tranches: { id: string; name: string }[];
        issuance: { tokens: { tranche: string; address: string }[] };
      };
    }
  ).deal;
  trancheA = {
    id: d.tranches.find((t) => t.name === 'A')!.id,
    token: d.issuance.tokens.find((t) => t.tranche === 'A')!.address,
  };

  const investor = await as(
    'compliance@acme.test',
    'mutation($i: CreateInvestorInput!) { createInvestor(input: $i) { id } }',
    { i: { legalName: 'Thames Pension Trust', kind: 'ENTITY', jurisdiction: 'GB', dealIds: [dealId] } },
  );
  investorId = (investor.data as { createInvestor: { id: string } }).createInvestor.id;
}, 300_000);

afterAll(async () => {
  await db?.end();
  await platform?.stop();
  await chain?.stop();
}, 60_000);

const SUBSCRIBE = 'mutation($i: SubscribeInput!) { subscribe(input: $i) { id status amount wallet } }';
const ALLOCATE_WITH =
  'mutation($id: ID!, $a: BigInt!, $cr: ID) { allocateSubscription(id: $id, amount: $a, changeRequestId: $cr) { status } }';

/** Subscribes, approves and allocates `amount` to `investor`'s `to` wallet, and waits for the mint. */
async function mintTo(investor: string, to: string, amount: string): Promise<void> {
  const sub = await as('compliance@acme.test', SUBSCRIBE, {
    i: { investorId: investor, trancheId: trancheA.id, amount },
  });
  expect(sub.errors).toBeUndefined();
  const id = (sub.data as { subscribe: { id: string } }).subscribe.id;
  const payload = { subscriptionId: id, trancheId: trancheA.id, wallet: to, amount };
  const requested = await as(
    'arranger@acme.test',
    'mutation($i: RequestChangeInput!) { requestChange(input: $i) { id } }',
    {
      i: {
        type: 'token.mint',
        dealId,
        title: 'Mint',
        rationale: 'Allocation',
        payload: JSON.stringify(payload),
      },
    },
  );
  const cr = (requested.data as { requestChange: { id: string } }).requestChange.id;
  await as('compliance@acme.test', 'mutation($id: ID!) { approveChange(id: $id) { status } }', { id: cr });
  const allocated = await as('arranger@acme.test', ALLOCATE_WITH, { id, a: amount, cr });
  expect(allocated.errors).toBeUndefined();
  await eventually(async () => {
    const r = await as(
      'arranger@acme.test',
      'query($t: ID) { subscriptions(trancheId: $t) { items { id status } } }',
      { t: trancheA.id },
    );
    const s = (
      r.data as { subscriptions: { items: { id: string; status: string }[] } }
    ).subscriptions.items.find((i) => i.id === id);
    return s?.status === 'MINTED' ? s : undefined;
  }, 60_000);
}

describe('subscriptions, minting and holdings', () => {
  it('refuses a subscription while the investor is not cleared, naming what is missing', async () => {
    const res = await as('compliance@acme.test', SUBSCRIBE, {
      i: { investorId, trancheId: trancheA.id, amount: '5000000' },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(res.errors?.[0]?.extensions?.fields as object).sort()).toEqual([
      'investorId',
      'sanctions',
      'wallet',
    ]);
    // The investor is cleared by compliance (KYC, a proven wallet).
    await db.query(
      `update investors.investor set kyc_status = 'VERIFIED', sanctions_status = 'CLEAR', wallet_address = $2 where id = $1`,
      [investorId, wallet],
    );
  });

  it('checks the deal’s restrictions: the minimum investment and the tranche’s size', async () => {
    const small = await as('compliance@acme.test', SUBSCRIBE, {
      i: { investorId, trancheId: trancheA.id, amount: '999999' },
    });
    expect(small.errors?.[0]?.extensions?.fields).toEqual({
      amount: 'below the minimum investment of 1000000',
    });
    const big = await as('compliance@acme.test', SUBSCRIBE, {
      i: { investorId, trancheId: trancheA.id, amount: '40000000001' },
    });
    expect((big.errors?.[0]?.extensions?.fields as Record<string, string>).amount).toMatch(
      /original balance/,
    );
    const investor = await as('investor@acme.test', SUBSCRIBE, {
      i: { investorId, trancheId: trancheA.id, amount: '5000000' },
    });
    expect(investor.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await as('compliance@borealis.test', SUBSCRIBE, {
      i: { investorId, trancheId: trancheA.id, amount: '5000000' },
    });
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('allocates with an approved token.mint request, mints to the wallet, and the cap table shows it', async () => {
    const sub = await as('compliance@acme.test', SUBSCRIBE, {
      i: { investorId, trancheId: trancheA.id, amount: '5000000' },
    });
    expect(sub.errors).toBeUndefined();
    const subscription = (sub.data as { subscribe: { id: string; status: string } }).subscribe;
    expect(subscription.status).toBe('REQUESTED');

    const ALLOCATE =
      'mutation($id: ID!, $a: BigInt!, $cr: ID) { allocateSubscription(id: $id, amount: $a, changeRequestId: $cr) { status } }';
    const unapproved = await as('arranger@acme.test', ALLOCATE, { id: subscription.id, a: '5000000' });
    expect(unapproved.errors?.[0]?.extensions?.code).toBe('APPROVAL_REQUIRED');

    const payload = { subscriptionId: subscription.id, trancheId: trancheA.id, wallet, amount: '5000000' };
    const requested = await as(
      'arranger@acme.test',
      'mutation($i: RequestChangeInput!) { requestChange(input: $i) { id riskLevel } }',
      {
        i: {
          type: 'token.mint',
          dealId,
          title: 'Mint to Thames',
          rationale: 'Allocation',
          payload: JSON.stringify(payload),
        },
      },
    );
    const request = (requested.data as { requestChange: { id: string; riskLevel: string } }).requestChange;
    expect(request.riskLevel).toBe('MEDIUM');
    await as('compliance@acme.test', 'mutation($id: ID!) { approveChange(id: $id) { status } }', {
      id: request.id,
    });

    // An approval binds to its payload: another amount is refused.
    const other = await as('arranger@acme.test', ALLOCATE, {
      id: subscription.id,
      a: '4000000',
      cr: request.id,
    });
    expect(other.errors?.[0]?.extensions?.code).toBe('APPROVAL_REQUIRED');
    const allocated = await as('arranger@acme.test', ALLOCATE, {
      id: subscription.id,
      a: '5000000',
      cr: request.id,
    });
    expect(allocated.errors).toBeUndefined();
    expect((allocated.data as { allocateSubscription: { status: string } }).allocateSubscription.status).toBe(
      'MINTING',
    );

    const minted = await eventually(async () => {
      const r = await as(
        'arranger@acme.test',
        'query($t: ID) { subscriptions(trancheId: $t) { items { id status mintTxHash identityAddress error } } }',
        {
          t: trancheA.id,
        },
      );
      const s = (
        r.data as {
          subscriptions: {
            items: { id: string; status: string; mintTxHash: string; error: string | null }[];
          };
        }
      ).subscriptions.items.find((i) => i.id === subscription.id);
      return s?.status === 'MINTED' ? s : undefined;
    }, 60_000);
    expect(minted.mintTxHash).toMatch(/^0x[0-9a-f]{64}$/);

    const provider = new JsonRpcProvider(chain.rpcUrl);
    try {
      expect(await Token__factory.connect(trancheA.token, provider).balanceOf(wallet)).toBe(5_000_000n);
    } finally {
      provider.destroy();
    }
    const capTable = await eventually(async () => {
      const r = await as(
        'arranger@acme.test',
        'query($id: ID!) { deal(id: $id) { tranches { id capTable { wallet balance share investorId investorName } } } }',
        {
          id: dealId,
        },
      );
      expect(r.errors).toBeUndefined();
      const t = (
        r.data as {
          deal: {
            tranches: {
              id: string;
              capTable: { wallet: string; balance: string; share: number; investorId: string }[];
            }[];
          };
        }
      ).deal.tranches.find((x) => x.id === trancheA.id);
      return t?.capTable.length ? t.capTable : undefined;
    }, 30_000);
    expect(capTable).toEqual([
      { wallet, balance: '5000000', share: 1, investorId, investorName: 'Thames Pension Trust' },
    ]);

    // The approval was used: allocating again with it is refused.
    const replay = await as('arranger@acme.test', ALLOCATE, {
      id: subscription.id,
      a: '5000000',
      cr: request.id,
    });
    expect(replay.errors?.[0]?.extensions?.code).toMatch(/APPROVAL_REQUIRED|CONFLICT/);
  });

  it('freezes, force-transfers and recovers with approvals, and the cap table follows the chain', async () => {
    // A second cleared investor with a minted position (so their wallet is verified on-chain).
    const second = Wallet.createRandom().address;
    const created = await as(
      'compliance@acme.test',
      'mutation($i: CreateInvestorInput!) { createInvestor(input: $i) { id } }',
      {
        i: { legalName: 'Rhine Versorgungswerk', kind: 'ENTITY', jurisdiction: 'DE', dealIds: [dealId] },
      },
    );
    const secondId = (created.data as { createInvestor: { id: string } }).createInvestor.id;
    await db.query(
      `update investors.investor set kyc_status = 'VERIFIED', sanctions_status = 'CLEAR', wallet_address = $2 where id = $1`,
      [secondId, second],
    );
    await mintTo(secondId, second, '1000000');

    const act = async (input: Record<string, unknown>) => {
      const requested = await as(
        'compliance@acme.test',
        'mutation($i: RequestChangeInput!) { requestChange(input: $i) { id riskLevel } }',
        {
          i: {
            type: 'token.transfer',
            dealId,
            title: `${input.kind}`,
            rationale: 'Compliance',
            payload: JSON.stringify(input),
          },
        },
      );
      const request = (requested.data as { requestChange: { id: string; riskLevel: string } }).requestChange;
      expect(request.riskLevel).toBe('HIGH');
      for (const who of ['admin@acme.test', 'compliance2@acme.test']) {
        await as(who, 'mutation($id: ID!) { approveChange(id: $id) { status } }', { id: request.id });
      }
      const res = await as(
        'compliance@acme.test',
        'mutation($i: TokenActionInput!, $cr: ID) { requestTokenAction(input: $i, changeRequestId: $cr) { id status } }',
        { i: input, cr: request.id },
      );
      expect(res.errors).toBeUndefined();
      const id = (res.data as { requestTokenAction: { id: string } }).requestTokenAction.id;
      return eventually(async () => {
        const r = await as(
          'compliance@acme.test',
          'query($t: ID) { tokenActions(trancheId: $t) { items { id status error txHash } } }',
          {
            t: trancheA.id,
          },
        );
        const a = (
          r.data as { tokenActions: { items: { id: string; status: string; error: string | null }[] } }
        ).tokenActions.items.find((x) => x.id === id);
        return a && a.status !== 'PENDING' ? a : undefined;
      }, 60_000);
    };

    // Without an approval: refused by the gate.
    const bare = await as(
      'compliance@acme.test',
      'mutation($i: TokenActionInput!) { requestTokenAction(input: $i) { id } }',
      {
        i: { kind: 'FREEZE', trancheId: trancheA.id, wallet },
      },
    );
    expect(bare.errors?.[0]?.extensions?.code).toBe('APPROVAL_REQUIRED');

    const provider = new JsonRpcProvider(chain.rpcUrl);
    const token = Token__factory.connect(trancheA.token, provider);
    try {
      expect(
        (await act({ kind: 'FREEZE', trancheId: trancheA.id, wallet, toWallet: null, amount: null })).status,
      ).toBe('DONE');
      expect(await token.isFrozen(wallet)).toBe(true);
      expect(
        (await act({ kind: 'UNFREEZE', trancheId: trancheA.id, wallet, toWallet: null, amount: null }))
          .status,
      ).toBe('DONE');
      expect(await token.isFrozen(wallet)).toBe(false);

      const moved = await act({
        kind: 'FORCED_TRANSFER',
        trancheId: trancheA.id,
        wallet,
        toWallet: second,
        amount: '2000000',
      });
      expect(moved.status).toBe('DONE');
      expect(await token.balanceOf(wallet)).toBe(3_000_000n);
      expect(await token.balanceOf(second)).toBe(3_000_000n);

      // The first investor loses their wallet: recovery moves everything to a new one.
      const replacement = Wallet.createRandom().address;
      const recovered = await act({
        kind: 'RECOVERY',
        trancheId: trancheA.id,
        wallet,
        toWallet: replacement,
        amount: null,
      });
      expect(recovered.error).toBeNull();
      expect(await token.balanceOf(wallet)).toBe(0n);
      expect(await token.balanceOf(replacement)).toBe(3_000_000n);

      const capTable = await eventually(async () => {
        const r = await as(
          'arranger@acme.test',
          'query($id: ID!) { deal(id: $id) { tranches { id capTable { wallet balance } } } }',
          { id: dealId },
        );
        const t = (
          r.data as { deal: { tranches: { id: string; capTable: { wallet: string; balance: string }[] }[] } }
        ).deal.tranches.find((x) => x.id === trancheA.id);
        return t && t.capTable.some((h) => h.wallet === replacement) ? t.capTable : undefined;
      }, 30_000);
      expect(capTable.map((h) => [h.wallet, h.balance]).sort()).toEqual(
        [
          [replacement, '3000000'],
          [second, '3000000'],
        ].sort(),
      );
    } finally {
      provider.destroy();
    }
  });

  /** A cleared investor (VERIFIED, CLEAR, proven wallet) holding `amount` of tranche A. */
  async function holder(legalName: string, amount: string) {
    const created = await as(
      'compliance@acme.test',
      'mutation($i: CreateInvestorInput!) { createInvestor(input: $i) { id } }',
      { i: { legalName, kind: 'INDIVIDUAL', jurisdiction: 'GB', dealIds: [dealId] } },
    );
    const id = (created.data as { createInvestor: { id: string } }).createInvestor.id;
    const address = Wallet.createRandom().address;
    await db.query(
      `update investors.investor set kyc_status = 'VERIFIED', kyc_expires_at = now() + interval '300 days', sanctions_status = 'CLEAR', wallet_address = $2 where id = $1`,
      [id, address],
    );
    await mintTo(id, address, amount);
    return { id, address };
  }

  /** Waits until the platform's own FREEZE and REVOKE_CLAIMS actions for `wallet` are DONE. */
  async function restricted(address: string, reason: string) {
    return eventually(async () => {
      const r = await as(
        'compliance@acme.test',
        'query($t: ID) { tokenActions(trancheId: $t) { items { kind wallet status reason error changeRequestId } } }',
        { t: trancheA.id },
      );
      const mine = (
        r.data as {
          tokenActions: {
            items: {
              kind: string;
              wallet: string;
              status: string;
              reason: string | null;
              changeRequestId: string | null;
            }[];
          };
        }
      ).tokenActions.items.filter((a) => a.wallet === address && a.reason === reason);
      return mine.length === 2 && mine.every((a) => a.status === 'DONE') ? mine : undefined;
    }, 60_000);
  }

  async function onChain(address: string, tryMint = true) {
    const provider = new JsonRpcProvider(chain.rpcUrl);
    try {
      const token = Token__factory.connect(trancheA.token, new Wallet(DEV_DEPLOYER_KEY, provider));
      const registry = IdentityRegistry__factory.connect(await token.identityRegistry(), provider);
      const frozen = await token.isFrozen(address);
      const verified = await registry.isVerified(address);
      // the agent's own mint to the wallet is refused by the token's compliance checks
      let mintReverts = false;
      if (tryMint)
        try {
          await (await token.mint(address, 1n)).wait();
        } catch {
          mintReverts = true;
        }
      return { frozen, verified, mintReverts, balance: await token.balanceOf(address) };
    } finally {
      provider.destroy();
    }
  }

  it('a sanctions hit blocks the holder and freezes their wallet and revokes their claims on-chain', async () => {
    const listed = await holder('Oleg Karavaev', '1000000');
    expect(await onChain(listed.address, false)).toMatchObject({ frozen: false, verified: true });
    // the investor's own ONCHAINID is the identity registered for the wallet
    const ids = await as(
      'compliance@acme.test',
      'query($id: ID!) { investor(id: $id) { onchainIdentities { chainId address } } }',
      { id: listed.id },
    );
    const own = (ids.data as { investor: { onchainIdentities: { chainId: number; address: string }[] } })
      .investor.onchainIdentities;
    expect(own).toHaveLength(1);
    const provider = new JsonRpcProvider(chain.rpcUrl);
    try {
      const token = Token__factory.connect(trancheA.token, provider);
      const registry = IdentityRegistry__factory.connect(await token.identityRegistry(), provider);
      expect(await registry.identity(listed.address)).toBe(own[0]!.address);
      // the investor's share is of every token in circulation, not of their own holdings
      const h = await eventually(async () => {
        const held = await as(
          'compliance@acme.test',
          'query($id: ID!) { investor(id: $id) { holdings { balance share } } }',
          { id: listed.id },
        );
        return (held.data as { investor: { holdings: { balance: string; share: number }[] } }).investor
          .holdings[0];
      }, 30_000);
      const supply = await token.totalSupply();
      expect(h!.share).toBeCloseTo(Number((BigInt(h!.balance) * 1_000_000n) / supply) / 1_000_000, 6);
      expect(h!.share).toBeLessThan(1);
    } finally {
      provider.destroy();
    }
    const screened = await as(
      'compliance@acme.test',
      'mutation($id: ID!) { screenInvestor(id: $id) { status } }',
      {
        id: listed.id,
      },
    );
    expect((screened.data as { screenInvestor: { status: string } }).screenInvestor.status).toBe('BLOCKED');
    const actions = await restricted(listed.address, 'SANCTIONS_HIT');
    expect(actions.map((a) => a.kind).sort()).toEqual(['FREEZE', 'REVOKE_CLAIMS']);
    expect(actions.every((a) => a.changeRequestId === null)).toBe(true);
    expect(await onChain(listed.address)).toEqual({
      frozen: true,
      verified: false,
      mintReverts: true,
      balance: 1_000_000n,
    });
    // the API refuses them too, and says why
    const again = await as('compliance@acme.test', SUBSCRIBE, {
      i: { investorId: listed.id, trancheId: trancheA.id, amount: '1000000' },
    });
    expect(again.errors?.[0]?.extensions?.fields).toMatchObject({
      sanctions: 'the investor is blocked by a sanctions hit pending review',
    });
    const verify = await as(
      'compliance@acme.test',
      'mutation($a: String!) { verifyInvestor(address: $a) { verified missing checks { name passed } } }',
      { a: listed.address },
    );
    const v = (
      verify.data as {
        verifyInvestor: { verified: boolean; missing: string[]; checks: { name: string; passed: boolean }[] };
      }
    ).verifyInvestor;
    expect(v.verified).toBe(false);
    expect(v.missing).toEqual(['sanctions']);
    expect(v.checks.find((c) => c.name === 'onchain:A')?.passed).toBe(false);
  });

  it('expiry of KYC marks the holder EXPIRED, revokes their claims and freezes their wallet', async () => {
    const lapsed = await holder('Clarissa Lapse', '1000000');
    await db.query(
      `update investors.investor set kyc_expires_at = now() - interval '1 minute' where id = $1`,
      [lapsed.id],
    );
    await db.query(`select graphile_worker.add_job('investors:credential-expiry')`);
    await restricted(lapsed.address, 'KYC_EXPIRED');
    const status = await db.query('select kyc_status from investors.investor where id = $1', [lapsed.id]);
    expect(status.rows[0].kyc_status).toBe('EXPIRED');
    expect(await onChain(lapsed.address)).toMatchObject({ frozen: true, verified: false, mintReverts: true });
    // the job is idempotent: a second run restricts nobody twice
    await db.query(`select graphile_worker.add_job('investors:credential-expiry')`);
    await new Promise((r) => setTimeout(r, 2000));
    const count = await db.query(
      `select count(*)::int as n from investors.token_action where wallet = $1 and reason = 'KYC_EXPIRED'`,
      [lapsed.address],
    );
    expect(count.rows[0].n).toBe(2);
  });

  it('keeps the cap table from investors', async () => {
    const r = await as(
      'investor@acme.test',
      'query($id: ID!) { deal(id: $id) { tranches { capTable { wallet } } } }',
      { id: dealId },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
