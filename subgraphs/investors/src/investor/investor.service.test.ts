import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openSubgraphOrm, testPrincipal } from '@tranche/devstack/testing';
import { OutboxEvent, pendingSchemaDiff } from '@tranche/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { investorsSubgraph } from '../index.js';
import { InvestorKind, KycStatus } from './investor.entity.js';
import { InvestorService } from './investor.service.js';

let orm: MikroORM;
beforeAll(async () => {
  orm = await openSubgraphOrm(investorsSubgraph);
});
afterAll(async () => {
  await orm?.close();
});

const compliance = (tenantId?: string) =>
  new InvestorService(orm.em.fork(), testPrincipal(['COMPLIANCE'], tenantId), 'req-investor');

describe('InvestorService', () => {
  it('matches its committed migrations (no pending schema difference)', async () => {
    expect(await pendingSchemaDiff(orm)).toBe('');
  });

  it('onboards an investor with KYC pending and one investor.created outbox event', async () => {
    const dealId = randomUUID();
    const investor = await compliance().create({
      legalName: '  Harbor Pension Fund ',
      kind: InvestorKind.ENTITY,
      jurisdiction: 'US',
      dealIds: [dealId, dealId],
    });
    expect(investor.legalName).toBe('Harbor Pension Fund');
    expect(investor.kycStatus).toBe(KycStatus.PENDING);
    const events = await orm.em.fork().find(OutboxEvent, { aggregateId: investor.id });
    expect(events.map((e) => e.action)).toEqual(['investor.created']);
    expect(JSON.parse(events[0]?.payload ?? '{}')).toMatchObject({ dealIds: [dealId] });
  });

  it("counts each deal's interested investors in the caller's tenant only", async () => {
    const tenant = `tenant-${randomUUID()}`;
    const [dealA, dealB, dealC] = [randomUUID(), randomUUID(), randomUUID()];
    const service = compliance(tenant);
    await service.create({
      legalName: 'One',
      kind: InvestorKind.ENTITY,
      jurisdiction: 'US',
      dealIds: [dealA],
    });
    await service.create({
      legalName: 'Two',
      kind: InvestorKind.INDIVIDUAL,
      jurisdiction: 'GB',
      dealIds: [dealA, dealB],
    });
    await compliance().create({
      legalName: 'Elsewhere',
      kind: InvestorKind.ENTITY,
      jurisdiction: 'US',
      dealIds: [dealA],
    });
    expect(await compliance(tenant).countByDeal([dealA, dealB, dealC, 'not-a-uuid'])).toEqual([2, 1, 0, 0]);
  });

  it("pages the tenant's investors newest first and never shows another tenant's", async () => {
    const tenant = `tenant-${randomUUID()}`;
    const service = compliance(tenant);
    const first = await service.create({ legalName: 'First', kind: InvestorKind.ENTITY, jurisdiction: 'US' });
    await new Promise((resolve) => setTimeout(resolve, 5)); // distinct creation times
    const second = await service.create({
      legalName: 'Second',
      kind: InvestorKind.ENTITY,
      jurisdiction: 'US',
    });
    const page = await compliance(tenant).list({ limit: 1 });
    expect(page.total).toBe(2);
    expect(page.items.map((i) => i.id)).toEqual([second.id]);
    const other = compliance();
    expect(await other.get(first.id)).toBeNull();
    expect(await other.getMany([first.id, second.id])).toEqual([null, null]);
    expect((await other.list()).total).toBe(0);
  });
});
