import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  buildQuery,
  toCreateDealInput,
  toDealFilter,
  toDealSort,
  toPageInput,
  toUpdateDealInput,
} from './buildQuery';

const operationName = (fetchType: string, resource: string, params: unknown) =>
  /(query|mutation) (\w+)/.exec(print(buildQuery(fetchType, resource, params).query))?.slice(1, 3);

describe('buildQuery for deals', () => {
  it('maps getList to deals(filter, sort, page) with 1-based pages turned into offsets', () => {
    const built = buildQuery('GET_LIST', 'deals', {
      pagination: { page: 3, perPage: 20 },
      sort: { field: 'closingDate', order: 'ASC' },
      filter: { q: '  acme ', status: 'ISSUED', assetClass: '', unknown: 'x' },
    });
    expect(operationName('GET_LIST', 'deals', { pagination: { page: 1, perPage: 1 } })).toEqual([
      'query',
      'Deals',
    ]);
    expect(built.variables).toEqual({
      filter: { q: 'acme', status: 'ISSUED' },
      sort: { field: 'CLOSING_DATE', order: 'ASC' },
      page: { offset: 40, limit: 20 },
    });
    expect(built.parseResponse({ data: { deals: { items: [{ id: 'd1' }], total: 41 } } })).toEqual({
      data: [{ id: 'd1' }],
      total: 41,
    });
  });

  it('caps the page size at the API maximum of 100 and leaves unsortable fields to the server', () => {
    expect(toPageInput({ page: 2, perPage: 500 })).toEqual({ offset: 100, limit: 100 });
    expect(toDealSort({ field: 'investorCount', order: 'DESC' })).toBeUndefined();
    expect(toDealSort({ field: 'originalBalance', order: 'DESC' })).toEqual({
      field: 'ORIGINAL_BALANCE',
      order: 'DESC',
    });
  });

  it('maps getMany to deals(filter: { ids }) sized to the ids', () => {
    const built = buildQuery('GET_MANY', 'deals', { ids: ['a', 'b', 3] });
    expect(built.variables).toEqual({ filter: { ids: ['a', 'b', '3'] }, page: { offset: 0, limit: 3 } });
    expect(built.parseResponse({ data: { deals: { items: [{ id: 'a' }], total: 1 } } })).toEqual({
      data: [{ id: 'a' }],
    });
  });

  it('maps getOne to deal(id) and a null deal to a 404', () => {
    const built = buildQuery('GET_ONE', 'deals', { id: 'd1' });
    expect(built.variables).toEqual({ id: 'd1' });
    expect(print(built.query)).toContain('tranches {');
    expect(() => built.parseResponse({ data: { deal: null } })).toThrowError(
      expect.objectContaining({ status: 404 }),
    );
  });

  it('maps create to createDeal(input) keeping only CreateDealInput fields', () => {
    const built = buildQuery('CREATE', 'deals', {
      data: {
        name: 'Acme 2026-1',
        assetClass: 'RMBS',
        currency: 'EUR',
        closingDate: '',
        extra: true,
        tranches: [{ name: 'A', seniority: '1', originalBalance: '250000000', couponBps: 350, id: 'x' }],
      },
    });
    expect(operationName('CREATE', 'deals', { data: {} })).toEqual(['mutation', 'CreateDeal']);
    expect(built.variables).toEqual({
      input: {
        name: 'Acme 2026-1',
        assetClass: 'RMBS',
        currency: 'EUR',
        closingDate: null,
        tranches: [{ name: 'A', seniority: 1, originalBalance: '250000000', couponBps: 350 }],
      },
    });
    expect(built.parseResponse({ data: { createDeal: { id: 'new' } } })).toEqual({ data: { id: 'new' } });
  });

  it('maps update to updateDeal(id, input) sending only changed, updatable fields', () => {
    const previous = { id: 'd1', name: 'Old', status: 'DRAFT', closingDate: '2026-12-01', currency: 'EUR' };
    const built = buildQuery('UPDATE', 'deals', {
      id: 'd1',
      data: { ...previous, name: 'New', closingDate: '', currency: 'USD', tranches: [] },
      previousData: previous,
    });
    expect(built.variables).toEqual({ id: 'd1', input: { name: 'New', closingDate: null } });
    expect(toUpdateDealInput({ status: 'CLOSED' })).toEqual({ status: 'CLOSED' });
  });

  it('rejects deletes, which the API does not offer', () => {
    expect(() => buildQuery('DELETE', 'deals', { id: 'd1' })).toThrowError('tranche.errors.unsupported');
    expect(() => buildQuery('DELETE_MANY', 'deals', { ids: ['d1'] })).toThrowError(
      'tranche.errors.unsupported',
    );
  });
});

describe('buildQuery for auditEvents', () => {
  it('maps getList to auditEvents(filter, page) filtered by aggregate id, ignoring sort', () => {
    const built = buildQuery('GET_LIST', 'auditEvents', {
      pagination: { page: 1, perPage: 25 },
      sort: { field: 'occurredAt', order: 'ASC' },
      filter: { aggregateId: ' d1 ', action: '' },
    });
    expect(operationName('GET_LIST', 'auditEvents', { pagination: { page: 1, perPage: 1 } })).toEqual([
      'query',
      'AuditEvents',
    ]);
    expect(built.variables).toEqual({ filter: { aggregateId: 'd1' }, page: { offset: 0, limit: 25 } });
  });

  it('maps getManyReference on aggregateId to the same filter (a deal audit trail)', () => {
    const built = buildQuery('GET_MANY_REFERENCE', 'auditEvents', {
      target: 'aggregateId',
      id: 'd1',
      pagination: { page: 2, perPage: 10 },
      sort: { field: 'id', order: 'DESC' },
      filter: {},
    });
    expect(built.variables).toEqual({ filter: { aggregateId: 'd1' }, page: { offset: 10, limit: 10 } });
  });

  it('is read-only', () => {
    for (const fetchType of ['CREATE', 'UPDATE', 'DELETE', 'GET_ONE']) {
      expect(() => buildQuery(fetchType, 'auditEvents', {})).toThrowError('tranche.errors.unsupported');
    }
  });
});

describe('input helpers', () => {
  it('drops empty filters and keeps ids for getMany-style filters', () => {
    expect(toDealFilter({ q: '   ', ids: ['a'] })).toEqual({ ids: ['a'] });
    expect(toDealFilter(undefined)).toEqual({});
  });

  it('sends no tranches when the form has none', () => {
    expect(toCreateDealInput({ name: 'x' }).tranches).toEqual([]);
  });
});
