import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildQuery } from '../providers/buildQuery';
import { toExportBundleVariables } from './auditAnchorsQuery';

const opName = (built: { query: Parameters<typeof print>[0] }) =>
  /(query|mutation) (\w+)/.exec(print(built.query))?.[2];

describe('buildQuery for the audit-anchors page', () => {
  it('lists anchors with server paging and reads one by id', () => {
    const list = buildQuery('GET_LIST', 'auditAnchors', { pagination: { page: 3, perPage: 10 }, filter: {} });
    expect([opName(list), list.variables]).toEqual(['AuditAnchors', { page: { offset: 20, limit: 10 } }]);
    expect(list.parseResponse({ data: { auditAnchors: { items: [{ id: 'a1' }], total: 21 } } })).toEqual({
      data: [{ id: 'a1' }],
      total: 21,
    });
    const one = buildQuery('GET_ONE', 'auditAnchors', { id: 'a1' });
    expect([opName(one), one.variables]).toEqual(['AuditAnchor', { id: 'a1' }]);
    expect(() => one.parseResponse({ data: { auditAnchor: null } })).toThrow(
      'ra.notification.item_doesnt_exist',
    );
  });

  it("reads an event's proof keyed by the event id; an unanchored event reads as not found", () => {
    const built = buildQuery('GET_ONE', 'auditEventProofs', { id: 'e1' });
    expect([opName(built), built.variables]).toEqual(['AuditEventProof', { id: 'e1' }]);
    expect(built.parseResponse({ data: { auditEventProof: { ledgerId: '0x1', proof: [] } } })).toEqual({
      data: { id: 'e1', ledgerId: '0x1', proof: [] },
    });
    expect(() => built.parseResponse({ data: { auditEventProof: null } })).toThrow();
  });

  it('maps create to exportAuditBundle with ISO instants, lists bundles of a deal, and reads one', () => {
    const created = buildQuery('CREATE', 'auditBundles', {
      data: { dealId: 'd1', from: new Date('2026-01-01T00:00:00Z'), to: '2026-03-31T23:59:00.000Z' },
    });
    expect([opName(created), created.variables]).toEqual([
      'ExportAuditBundle',
      { dealId: 'd1', from: '2026-01-01T00:00:00.000Z', to: '2026-03-31T23:59:00.000Z' },
    ]);
    expect(toExportBundleVariables({ dealId: 'd1', from: '', to: 'nonsense' })).toEqual({
      dealId: 'd1',
      from: null,
      to: null,
    });
    const list = buildQuery('GET_LIST', 'auditBundles', {
      pagination: { page: 1, perPage: 10 },
      filter: { dealId: 'd1' },
    });
    expect([opName(list), list.variables]).toEqual([
      'AuditBundles',
      { dealId: 'd1', page: { offset: 0, limit: 10 } },
    ]);
    expect(opName(buildQuery('GET_ONE', 'auditBundles', { id: 'b1' }))).toBe('AuditBundle');
    expect(() => buildQuery('DELETE', 'auditBundles', { id: 'b1' })).toThrow('tranche.errors.unsupported');
  });
});
