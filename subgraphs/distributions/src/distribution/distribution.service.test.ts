import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openSubgraphOrm, testPrincipal } from '@tranche/devstack/testing';
import { ConflictError, OutboxEvent, pendingSchemaDiff, ValidationError } from '@tranche/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distributionsSubgraph } from '../index.js';
import { DistributionStatus } from './distribution.entity.js';
import { DistributionService, type NewDistribution } from './distribution.service.js';

let orm: MikroORM;
beforeAll(async () => {
  orm = await openSubgraphOrm(distributionsSubgraph);
});
afterAll(async () => {
  await orm?.close();
});

const servicer = (tenantId?: string) =>
  new DistributionService(orm.em.fork(), testPrincipal(['SERVICER'], tenantId), 'req-distribution');

const payment = (period = 202610, trancheId = randomUUID()): NewDistribution => ({
  dealId: randomUUID(),
  trancheId,
  period,
  interestAmount: 158_333_33n,
  principalAmount: 0n,
});

describe('DistributionService', () => {
  it('matches its committed migrations (no pending schema difference)', async () => {
    expect(await pendingSchemaDiff(orm)).toBe('');
  });

  it('records a draft distribution and its distribution.created outbox event', async () => {
    const created = await servicer().create(payment());
    expect(created.status).toBe(DistributionStatus.DRAFT);
    const events = await orm.em.fork().find(OutboxEvent, { aggregateId: created.id });
    expect(events.map((e) => e.action)).toEqual(['distribution.created']);
    expect(JSON.parse(events[0]?.payload ?? '{}')).toMatchObject({
      interestAmount: '15833333',
      period: 202610,
    });
  });

  it('names a bad month and negative amounts, and writes nothing', async () => {
    const service = servicer();
    const bad = { ...payment(202613), interestAmount: -1n, principalAmount: -2n };
    const error = await service.create(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fields).sort()).toEqual([
      'interestAmount',
      'period',
      'principalAmount',
    ]);
    expect((await service.list({ trancheId: bad.trancheId })).total).toBe(0);
  });

  it('refuses a second distribution for the same tranche and period', async () => {
    const service = servicer();
    const first = payment(202611);
    await service.create(first);
    await expect(service.create({ ...first, dealId: randomUUID() })).rejects.toBeInstanceOf(ConflictError);
  });

  it("batches tranches' distributions newest first, within the caller's tenant", async () => {
    const tenant = `tenant-${randomUUID()}`;
    const trancheId = randomUUID();
    const service = servicer(tenant);
    await service.create(payment(202609, trancheId));
    await service.create(payment(202610, trancheId));
    const otherTranche = randomUUID();
    await service.create(payment(202610, otherTranche));
    // key order, whatever the rows' order; an unknown id and a malformed one get empty lists
    const [ofOther, ofTranche, ofUnknown, ofMalformed] = await servicer(tenant).ofTranches([
      otherTranche,
      trancheId,
      randomUUID(),
      "x' or '1'='1",
    ]);
    expect(ofOther?.map((d) => [d.trancheId, d.period])).toEqual([[otherTranche, 202610]]);
    expect(ofTranche?.map((d) => d.period)).toEqual([202610, 202609]);
    expect(ofUnknown).toEqual([]);
    expect(ofMalformed).toEqual([]);
    expect(await servicer().ofTranches([trancheId])).toEqual([[]]);
    expect((await servicer().list({ trancheId })).total).toBe(0);
  });
});
