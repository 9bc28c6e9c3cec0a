import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildQuery } from './buildQuery';
import { toRequestChangeInput } from './governanceQuery';

const opName = (built: { query: Parameters<typeof print>[0] }) =>
  /(query|mutation) (\w+)/.exec(print(built.query))?.[2];

describe('buildQuery for the approval queue (changeRequests)', () => {
  it('lists with the status, type and deal filters and server paging', () => {
    const built = buildQuery('GET_LIST', 'changeRequests', {
      pagination: { page: 2, perPage: 10 },
      filter: { status: 'PENDING', type: '', other: 'x' },
    });
    expect(opName(built)).toBe('ChangeRequests');
    expect(built.variables).toEqual({ filter: { status: 'PENDING' }, page: { offset: 10, limit: 10 } });
    expect(built.parseResponse({ data: { changeRequests: { items: [{ id: 'c1' }], total: 11 } } })).toEqual({
      data: [{ id: 'c1' }],
      total: 11,
    });
  });

  it('maps create to requestChange with the payload as the JSON text the form holds', () => {
    const built = buildQuery('CREATE', 'changeRequests', {
      data: { type: 'deal.issue', dealId: '', title: ' Issue ', rationale: 'ok', payload: '{"dealId":"d"}' },
    });
    expect(opName(built)).toBe('RequestChange');
    expect(built.variables).toEqual({
      input: { type: 'deal.issue', dealId: null, title: 'Issue', rationale: 'ok', payload: '{"dealId":"d"}' },
    });
    expect(toRequestChangeInput({ payload: { a: 1 } }).payload).toBe('{"a":1}');
  });

  it('maps a decision to approveChange, rejectChange (the comment is the reason) or cancelChange', () => {
    const approve = buildQuery('UPDATE', 'changeRequests', {
      id: 'c1',
      data: { decision: 'APPROVE', comment: ' ok ' },
    });
    expect([opName(approve), approve.variables]).toEqual(['ApproveChange', { id: 'c1', comment: 'ok' }]);
    const reject = buildQuery('UPDATE', 'changeRequests', {
      id: 'c1',
      data: { decision: 'REJECT', comment: 'tape incomplete' },
    });
    expect([opName(reject), reject.variables]).toEqual([
      'RejectChange',
      { id: 'c1', reason: 'tape incomplete' },
    ]);
    const cancel = buildQuery('UPDATE', 'changeRequests', { id: 'c1', data: { decision: 'CANCEL' } });
    expect([opName(cancel), cancel.variables]).toEqual(['CancelChange', { id: 'c1' }]);
    expect(() => buildQuery('UPDATE', 'changeRequests', { id: 'c1', data: { title: 'edited' } })).toThrow();
    expect(() => buildQuery('DELETE', 'changeRequests', { id: 'c1' })).toThrow();
  });
});

describe('buildQuery for kill switches', () => {
  it('lists the active ones unless asked for all', () => {
    expect(
      buildQuery('GET_LIST', 'killSwitches', { pagination: { page: 1, perPage: 10 }, filter: {} }).variables,
    ).toEqual({
      activeOnly: true,
      page: { offset: 0, limit: 10 },
    });
    expect(buildQuery('GET_LIST', 'killSwitches', { filter: { all: true } }).variables.activeOnly).toBe(
      false,
    );
  });

  it('puts active switches first within the page', () => {
    const built = buildQuery('GET_LIST', 'killSwitches', { filter: { all: true } });
    const items = [
      { id: 'k1', active: false },
      { id: 'k2', active: true },
    ];
    expect(built.parseResponse({ data: { killSwitches: { items, total: 2 } } })).toEqual({
      data: [items[1], items[0]],
      total: 2,
    });
  });

  it('activates a DEAL switch on the picked deal and a CAPABILITY switch on the picked capability', () => {
    const deal = buildQuery('CREATE', 'killSwitches', {
      data: { scope: 'DEAL', dealId: 'd-1', capability: 'token.mint', reason: ' tape ' },
    });
    expect(deal.variables).toEqual({ input: { scope: 'DEAL', target: 'd-1', reason: 'tape' } });
    const capability = buildQuery('CREATE', 'killSwitches', {
      data: { scope: 'CAPABILITY', dealId: 'd-1', capability: 'token.mint', reason: 'bug' },
    });
    expect(capability.variables).toEqual({
      input: { scope: 'CAPABILITY', target: 'token.mint', reason: 'bug' },
    });
    expect(() => buildQuery('UPDATE', 'killSwitches', { id: 'k1', data: {} })).toThrow();
  });

  it('activates with no target for a GLOBAL switch', () => {
    const built = buildQuery('CREATE', 'killSwitches', {
      data: { scope: 'GLOBAL', target: 'stale', reason: 'drill' },
    });
    expect(opName(built)).toBe('ActivateKillSwitch');
    expect(built.variables).toEqual({ input: { scope: 'GLOBAL', target: null, reason: 'drill' } });
  });
});

describe('buildQuery for break-glass grants', () => {
  it('lists all grants, or only those in force, with server paging', () => {
    const all = buildQuery('GET_LIST', 'breakGlassGrants', {
      pagination: { page: 3, perPage: 5 },
      filter: {},
    });
    expect(opName(all)).toBe('BreakGlassGrants');
    expect(all.variables).toEqual({ activeOnly: false, page: { offset: 10, limit: 5 } });
    expect(
      buildQuery('GET_LIST', 'breakGlassGrants', { filter: { active: true } }).variables.activeOnly,
    ).toBe(true);
    expect(all.parseResponse({ data: { breakGlassGrants: { items: [{ id: 'g1' }], total: 1 } } })).toEqual({
      data: [{ id: 'g1' }],
      total: 1,
    });
  });

  it('grants to yourself when the grantee is empty, with minutes as a number', () => {
    const built = buildQuery('CREATE', 'breakGlassGrants', {
      data: { grantee: '', capability: 'token.mint', reason: ' outage ', minutes: '30' },
    });
    expect(opName(built)).toBe('GrantBreakGlass');
    expect(built.variables).toEqual({
      input: { grantee: null, capability: 'token.mint', reason: 'outage', minutes: 30 },
    });
    const other = buildQuery('CREATE', 'breakGlassGrants', {
      data: { grantee: ' oncall@acme.test ', capability: 'token.mint', reason: 'r', minutes: 5 },
    });
    expect((other.variables.input as { grantee: unknown }).grantee).toBe('oncall@acme.test');
  });

  it('maps the review to reviewBreakGlass and refuses an empty comment or a delete', () => {
    const built = buildQuery('UPDATE', 'breakGlassGrants', { id: 'g1', data: { reviewComment: ' seen ' } });
    expect([opName(built), built.variables]).toEqual(['ReviewBreakGlass', { id: 'g1', comment: 'seen' }]);
    expect(() =>
      buildQuery('UPDATE', 'breakGlassGrants', { id: 'g1', data: { reviewComment: ' ' } }),
    ).toThrow();
    expect(() => buildQuery('DELETE', 'breakGlassGrants', { id: 'g1' })).toThrow();
  });
});
