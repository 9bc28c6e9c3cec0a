import { readFileSync } from 'node:fs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openSubgraphOrm, testPrincipal } from '@tranche/devstack/testing';
import {
  ConflictError,
  NotFoundError,
  OutboxEvent,
  pendingSchemaDiff,
  ValidationError,
} from '@tranche/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealsSubgraph } from '../index.js';
import { AssetClass, Deal, DealStatus } from './deal.entity.js';
import { DealService, type NewDeal } from './deal.service.js';

let orm: MikroORM;
beforeAll(async () => {
  orm = await openSubgraphOrm(dealsSubgraph);
});
afterAll(async () => {
  await orm?.close();
});

const arranger = (tenantId?: string) =>
  new DealService(orm.em.fork(), testPrincipal(['ARRANGER'], tenantId), 'req-test');

const newDeal = (name = 'Test RMBS 2026-1'): NewDeal => ({
  name,
  assetClass: AssetClass.RMBS,
  currency: 'USD',
  closingDate: '2026-12-01',
  tranches: [
    { name: 'A', seniority: 1, originalBalance: 800_000n, couponBps: 475 },
    { name: 'M', seniority: 2, originalBalance: 120_000n, couponBps: 625 },
    { name: 'B', seniority: 3, originalBalance: 80_000n, couponBps: 850 },
  ],
});

// The demo deal's documents: three classes (A, M, B) over a prime fixed-rate pool.
const demoDocument = (name: string) =>
  readFileSync(new URL(`../../../../packages/devstack/src/demo/${name}`, import.meta.url), 'utf8');
const RULES = demoDocument('acme-rules.json');
const COLLATERAL = demoDocument('acme-collateral.json');

describe('DealService', () => {
  it('matches its committed migrations (no pending schema difference)', async () => {
    expect(await pendingSchemaDiff(orm)).toBe('');
  });

  it('creates a deal with its tranches and one deal.created outbox event in one transaction', async () => {
    const service = arranger();
    const deal = await service.create(newDeal());
    expect(deal.originalBalance).toBe(1_000_000n);
    expect(deal.status).toBe(DealStatus.PROPOSED);
    const [tranches] = await service.tranchesOf([deal.id]);
    expect(tranches?.map((t) => t.name)).toEqual(['A', 'M', 'B']);
    const events = await orm.em.fork().find(OutboxEvent, { aggregateId: deal.id });
    expect(events.map((e) => e.action)).toEqual(['deal.created']);
    expect(events[0]?.requestId).toBe('req-test');
  });

  it('names every bad field and writes nothing', async () => {
    const service = arranger();
    const input = newDeal('Bad 2026-1');
    input.closingDate = '2026-02-30';
    input.tranches[1] = { name: 'A', seniority: 1, originalBalance: 0n, couponBps: 1 };
    const error = await service.create(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fields).sort()).toEqual([
      'closingDate',
      'tranches.1.name',
      'tranches.1.originalBalance',
      'tranches.1.seniority',
    ]);
    expect((await service.list({ q: 'Bad 2026-1' })).total).toBe(0);
  });

  it('refuses a duplicate name in a tenant but allows it in another', async () => {
    const service = arranger();
    await service.create(newDeal('Twin 2026-1'));
    await expect(service.create(newDeal('Twin 2026-1'))).rejects.toBeInstanceOf(ConflictError);
    await expect(arranger().create(newDeal('Twin 2026-1'))).resolves.toHaveProperty('name', 'Twin 2026-1');
  });

  it("never returns or changes another tenant's deal", async () => {
    const mine = await arranger().create(newDeal('Mine 2026-1'));
    const other = arranger();
    expect(await other.get(mine.id)).toBeNull();
    expect(await other.getMany([mine.id, 'not-a-uuid'])).toEqual([null, null]);
    expect((await other.list({ ids: [mine.id] })).items).toEqual([]);
    await expect(other.update(mine.id, { name: 'Taken' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('pages and sorts with the id as the last tie-breaker', async () => {
    const tenant = `tenant-${Date.now()}`;
    const service = arranger(tenant);
    for (const name of ['C deal', 'A deal', 'B deal']) await service.create(newDeal(name));
    const first = await service.list(null, { column: 'name', direction: 'asc' }, { offset: 0, limit: 2 });
    const second = await service.list(null, { column: 'name', direction: 'asc' }, { offset: 2, limit: 2 });
    expect(first.total).toBe(3);
    expect([...first.items, ...second.items].map((d) => d.name)).toEqual(['A deal', 'B deal', 'C deal']);
  });

  it('leaves review and issuance to the workflow: a person moves only a deployed deal on', async () => {
    const service = arranger();
    const deal = await service.create(newDeal('Lifecycle 2026-1'));
    await expect(service.update(deal.id, { status: DealStatus.APPROVED })).rejects.toThrow(
      /cannot move from PROPOSED to APPROVED/,
    );
    await expect(service.update(deal.id, { status: DealStatus.DEPLOYED })).rejects.toThrow(
      /cannot move from PROPOSED to DEPLOYED/,
    );
    expect((await arranger(deal.tenantId).get(deal.id))?.status).toBe(DealStatus.PROPOSED);
    // Once deployed (the issuance job's move), a person may open it, lock it and mature it.
    await orm.em.fork().nativeUpdate(Deal, { id: deal.id }, { status: DealStatus.DEPLOYED });
    await service.update(deal.id, { status: DealStatus.ACTIVE });
    await service.update(deal.id, { status: DealStatus.LOCKED });
    await expect(service.update(deal.id, { name: 'Renamed' })).rejects.toThrow(/frozen/);
    await service.update(deal.id, { status: DealStatus.MATURED });
    await expect(service.update(deal.id, { status: DealStatus.ACTIVE })).rejects.toThrow(
      /cannot move from MATURED to ACTIVE/,
    );
    const events = await orm.em
      .fork()
      .find(OutboxEvent, { aggregateId: deal.id }, { orderBy: { id: 'asc' } });
    expect(events.map((e) => e.action)).toEqual([
      'deal.created',
      'deal.updated',
      'deal.updated',
      'deal.updated',
    ]);
  });

  it('stores a structure the engine accepts and names each path of one it refuses', async () => {
    const service = arranger();
    const deal = await service.create(newDeal('Structured 2026-1'));
    await service.setStructure(deal.id, { waterfallRules: RULES, collateral: COLLATERAL });
    const [stored] = await service.structuresOf([deal.id]);
    expect(JSON.parse(stored?.waterfallRules ?? '{}')).toEqual(JSON.parse(RULES));

    const error = await service
      .setStructure(deal.id, { waterfallRules: RULES, collateral: '{not json' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toHaveProperty('collateral');
    const fourClasses = newDeal('Four classes 2026-1');
    fourClasses.tranches.push({ name: 'C', seniority: 4, originalBalance: 1n, couponBps: 900 });
    const unmatched = await service.create(fourClasses);
    const missing = await service
      .setStructure(unmatched.id, { waterfallRules: RULES, collateral: COLLATERAL })
      .catch((e: unknown) => e);
    expect((missing as ValidationError).fields['waterfallRules.classes']).toBe('no class for tranche(s) C');
    const [unchanged] = await arranger(deal.tenantId).structuresOf([deal.id]);
    expect(unchanged?.waterfallRules).toBe(stored?.waterfallRules);
  });

  it('changes the rules alone and keeps the collateral when none is given', async () => {
    const service = arranger();
    const deal = await service.create(newDeal('Rules only 2026-1'));
    await service.setStructure(deal.id, { waterfallRules: RULES });
    const [rulesOnly] = await service.structuresOf([deal.id]);
    expect(rulesOnly?.collateral).toBeNull();
    await service.setStructure(deal.id, { waterfallRules: RULES, collateral: COLLATERAL });
    const renamed = JSON.stringify({ ...JSON.parse(RULES), name: 'Renamed rules' });
    await service.setStructure(deal.id, { waterfallRules: renamed });
    const [after] = await service.structuresOf([deal.id]);
    expect(JSON.parse(after!.waterfallRules!).name).toBe('Renamed rules');
    expect(JSON.parse(after!.collateral!)).toEqual(JSON.parse(COLLATERAL));
  });
});
