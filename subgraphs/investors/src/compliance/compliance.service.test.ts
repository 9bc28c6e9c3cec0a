import type { MikroORM } from '@mikro-orm/postgresql';
import { openSubgraphOrm, testPrincipal } from '@tranche/devstack/testing';
import { ConflictError, NotFoundError, OutboxEvent, ValidationError } from '@tranche/platform';
import { Wallet } from 'ethers';
import { SiweMessage } from 'siwe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { investorsSubgraph } from '../index.js';
import { Investor, InvestorKind, SanctionsStatus } from '../investor/investor.entity.js';
import { InvestorService } from '../investor/investor.service.js';
import { SanctionsService } from './sanctions.service.js';
import { WalletChallenge } from './wallet-challenge.entity.js';
import { WalletProofService, type WalletProofConfig } from './wallet-proof.service.js';

let orm: MikroORM;
beforeAll(async () => {
  orm = await openSubgraphOrm(investorsSubgraph);
});
afterAll(async () => {
  await orm?.close();
});

const CONFIG: WalletProofConfig = {
  SIWE_DOMAIN: 'invest.acme.test',
  SIWE_URI: 'https://invest.acme.test/wallet',
  SIWE_TTL_SECONDS: 600,
  chainId: 31337,
};
const service = (tenantId?: string) =>
  new WalletProofService(orm.em.fork(), testPrincipal(['COMPLIANCE'], tenantId));

async function newInvestor(tenantId?: string) {
  return new InvestorService(orm.em.fork(), testPrincipal(['COMPLIANCE'], tenantId)).create({
    legalName: `Harbor ${crypto.randomUUID().slice(0, 8)}`,
    kind: InvestorKind.ENTITY,
    jurisdiction: 'US',
    dealIds: [],
  });
}

const refusal = async (promise: Promise<unknown>) => promise.then(() => null).catch((e: unknown) => e);

describe('wallet proof (EIP-4361)', () => {
  it('links the wallet that signed the message issued for it, once', async () => {
    const investor = await newInvestor();
    const wallet = Wallet.createRandom();
    const challenge = await service(investor.tenantId).challenge(
      investor.id,
      wallet.address.toLowerCase(),
      CONFIG,
    );
    expect(challenge.address).toBe(wallet.address);
    const parsed = new SiweMessage(challenge.message);
    expect(parsed).toMatchObject({
      domain: 'invest.acme.test',
      chainId: 31337,
      nonce: challenge.nonce,
      address: wallet.address,
    });
    const signature = await wallet.signMessage(challenge.message);
    const linked = await service(investor.tenantId).prove(challenge.message, signature, CONFIG);
    expect(linked.walletAddress).toBe(wallet.address);
    const events = await orm.em.fork().find(OutboxEvent, { aggregateId: investor.id });
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['investor.wallet_challenged', 'investor.wallet_linked']),
    );

    // replayed: the nonce is spent
    const replay = await refusal(service(investor.tenantId).prove(challenge.message, signature, CONFIG));
    expect(replay).toBeInstanceOf(ConflictError);
  });

  it('refuses a message for another domain, an edited one, an expired one and another signer', async () => {
    const investor = await newInvestor();
    const wallet = Wallet.createRandom();
    const tenant = investor.tenantId;

    const c1 = await service(tenant).challenge(investor.id, wallet.address, CONFIG);
    const otherDomain = await refusal(
      service(tenant).prove(c1.message, await wallet.signMessage(c1.message), {
        ...CONFIG,
        SIWE_DOMAIN: 'evil.example',
      }),
    );
    expect((otherDomain as ValidationError).fields.message).toMatch(
      /issued for invest.acme.test, not for evil.example/,
    );
    const phishing = c1.message.replace('invest.acme.test wants', 'evil.example wants');
    const phished = await refusal(
      service(tenant).prove(phishing, await wallet.signMessage(phishing), CONFIG),
    );
    expect((phished as ValidationError).fields.message).toMatch(/evil.example/);
    const edited = c1.message.replace('Chain ID: 31337', 'Chain ID: 1');
    const editedRefusal = await refusal(
      service(tenant).prove(edited, await wallet.signMessage(edited), CONFIG),
    );
    expect((editedRefusal as ValidationError).fields.message).toMatch(/not the message issued/);
    const stranger = Wallet.createRandom();
    const wrongSigner = await refusal(
      service(tenant).prove(c1.message, await stranger.signMessage(c1.message), CONFIG),
    );
    expect((wrongSigner as ValidationError).fields.signature).toMatch(/signed by .*, not by/);
    const garbage = await refusal(service(tenant).prove(c1.message, '0x1234', CONFIG));
    expect((garbage as ValidationError).fields.signature).toMatch(/not a valid signature/);

    const c2 = await service(tenant).challenge(investor.id, wallet.address, {
      ...CONFIG,
      SIWE_TTL_SECONDS: 60,
    });
    const later = new Date(Date.now() + 61_000);
    const expired = await refusal(
      service(tenant).prove(c2.message, await wallet.signMessage(c2.message), CONFIG, later),
    );
    expect((expired as ValidationError).fields.message).toMatch(/expired/);

    expect(await refusal(service(tenant).prove('hello', '0x', CONFIG))).toBeInstanceOf(ValidationError);
    // none of these linked anything or spent a nonce
    expect((await orm.em.fork().findOneOrFail(Investor, { id: investor.id })).walletAddress).toBeNull();
    expect(
      await orm.em.fork().count(WalletChallenge, { investorId: investor.id, usedAt: { $ne: null } }),
    ).toBe(0);
  });

  it('keeps tenants apart and checks the address', async () => {
    const investor = await newInvestor();
    const wallet = Wallet.createRandom();
    const other = '11111111-2222-4333-8444-555555555555';
    expect(await refusal(service(other).challenge(investor.id, wallet.address, CONFIG))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await refusal(service(investor.tenantId).challenge(investor.id, '0x1234', CONFIG))).toBeInstanceOf(
      ValidationError,
    );
    const c = await service(investor.tenantId).challenge(investor.id, wallet.address, CONFIG);
    const foreign = await refusal(
      service(other).prove(c.message, await wallet.signMessage(c.message), CONFIG),
    );
    expect((foreign as ValidationError).fields.message).toMatch(/unknown nonce/);
  });
});

describe('sanctions screening', () => {
  const sanctions = (tenantId?: string) =>
    new SanctionsService(orm.em.fork(), testPrincipal(['COMPLIANCE'], tenantId));
  const CONFIG_LIST = { SANCTIONS_LIST_DIR: undefined, SANCTIONS_MATCH_THRESHOLD: 0.9 };

  it('blocks an investor whose name matches the list, clears one that does not, and keeps each screening', async () => {
    const listed = await new InvestorService(orm.em.fork(), testPrincipal(['COMPLIANCE'])).create({
      legalName: 'Northwind Marine Trading Co.',
      kind: InvestorKind.ENTITY,
      jurisdiction: 'US',
      dealIds: [],
    });
    const hit = await sanctions(listed.tenantId).screen(listed.id, CONFIG_LIST);
    expect(hit.status).toBe(SanctionsStatus.BLOCKED);
    expect(hit.matches[0]).toMatchObject({ entNum: 10001, programs: ['SDGT', 'IRAN'] });
    expect((await orm.em.fork().findOneOrFail(Investor, { id: listed.id })).sanctionsStatus).toBe(
      SanctionsStatus.BLOCKED,
    );

    const clean = await newInvestor(listed.tenantId);
    expect((await sanctions(listed.tenantId).screen(clean.id, CONFIG_LIST)).status).toBe(
      SanctionsStatus.CLEAR,
    );
    expect((await orm.em.fork().findOneOrFail(Investor, { id: clean.id })).sanctionsStatus).toBe(
      SanctionsStatus.CLEAR,
    );
    const history = await sanctions(listed.tenantId).history(listed.id);
    expect(history).toHaveLength(1);
    expect(history[0]!.listSha256).toMatch(/^[0-9a-f]{64}$/);
    const events = await orm.em.fork().find(OutboxEvent, { aggregateId: listed.id });
    expect(events.map((e) => e.action)).toContain('investor.sanctions_hit');
    expect(
      await refusal(sanctions('11111111-2222-4333-8444-555555555555').screen(listed.id, CONFIG_LIST)),
    ).toBeInstanceOf(NotFoundError);
  });
});
