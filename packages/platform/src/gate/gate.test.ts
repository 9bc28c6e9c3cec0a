import { describe, expect, it } from 'vitest';
import type { AuthContext, Role } from '../auth.js';
import { DomainError } from '../errors.js';
import {
  Gate,
  payloadHash,
  type ActiveBreakGlass,
  type ActiveKillSwitch,
  type ChangeRequestState,
  type GateRequest,
  type GateSnapshot,
} from './gate.js';
import { DEFAULT_POLICY } from './policy.js';

const ctx = (roles: Role[], email = 'someone@acme.test', tenantId = 'acme'): AuthContext => ({
  principal: { subject: email, email, tenantId, roles: new Set(roles) },
});

/** A gate over state held in memory, with a clock the test moves. */
function gateWith(
  state: Partial<GateSnapshot> = {},
  requests: ChangeRequestState[] = [],
  options: { rateLimitPerMinute?: number; failing?: () => boolean } = {},
) {
  let now = 1_000_000;
  const snapshot: GateSnapshot = { killSwitches: [], breakGlass: [], policies: new Map(), ...state };
  const gate = new Gate(
    {
      snapshot: async () => {
        if (options.failing?.()) throw new Error('relation "audit.gate_kill_switches" does not exist');
        return snapshot;
      },
      changeRequest: async (id) => requests.find((r) => r.id === id) ?? null,
    },
    {
      refreshMs: 200,
      maxStalenessMs: 1000,
      rateLimitPerMinute: options.rateLimitPerMinute ?? 600,
      now: () => now,
    },
  );
  return { gate, snapshot, advance: (ms: number) => (now += ms), now: () => now };
}

async function refusal(run: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await run;
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, details: err.details };
    throw err;
  }
  throw new Error('expected a refusal');
}

const killSwitch = (over: Partial<ActiveKillSwitch>): ActiveKillSwitch => ({
  id: 'ks-1',
  tenantId: 'acme',
  scope: 'GLOBAL',
  target: null,
  reason: 'incident 42',
  ...over,
});

const issue: GateRequest = { capability: 'deal.issue', dealId: 'deal-1', payload: { dealId: 'deal-1' } };
const approved = (over: Partial<ChangeRequestState> = {}): ChangeRequestState => ({
  id: 'cr-1',
  tenantId: 'acme',
  type: 'deal.issue',
  dealId: 'deal-1',
  payloadHash: payloadHash({ dealId: 'deal-1' }),
  status: 'APPROVED',
  expiresAt: null,
  ...over,
});

describe('the gate', () => {
  it('lets a permitted side effect through when nothing stops it', async () => {
    const { gate } = gateWith();
    await gate.start();
    const decision = await gate.check(ctx(['ARRANGER']), { capability: 'deal.create' });
    expect(decision).toMatchObject({
      actor: 'user:someone@acme.test',
      breakGlassGrantId: null,
      changeRequest: null,
    });
  });

  it('asks the kill switch first: even a caller without the role gets KILL_SWITCH_ACTIVE, with the reason', async () => {
    const { gate } = gateWith({ killSwitches: [killSwitch({})] });
    await gate.start();
    const refused = await refusal(gate.check(ctx(['INVESTOR']), { capability: 'deal.create' }));
    expect(refused).toEqual({
      code: 'KILL_SWITCH_ACTIVE',
      details: { scope: 'GLOBAL', target: null, reason: 'incident 42', killSwitchId: 'ks-1' },
    });
  });

  it('stops one deal with a DEAL switch and one capability with a CAPABILITY switch, and only those', async () => {
    const { gate } = gateWith({
      killSwitches: [
        killSwitch({ id: 'ks-deal', scope: 'DEAL', target: 'deal-1' }),
        killSwitch({ id: 'ks-cap', scope: 'CAPABILITY', target: 'investor.onboard' }),
        killSwitch({ id: 'ks-other', tenantId: 'borealis' }),
      ],
    });
    await gate.start();
    const arranger = ctx(['ARRANGER', 'COMPLIANCE']);
    expect(
      (await refusal(gate.check(arranger, { capability: 'deal.update', dealId: 'deal-1' }))).details
        .killSwitchId,
    ).toBe('ks-deal');
    await expect(
      gate.check(arranger, { capability: 'deal.update', dealId: 'deal-2' }),
    ).resolves.toBeDefined();
    expect(
      (await refusal(gate.check(arranger, { capability: 'investor.onboard' }))).details.killSwitchId,
    ).toBe('ks-cap');
    await expect(gate.check(arranger, { capability: 'deal.create' })).resolves.toBeDefined();
  });

  it('refuses the wrong role with FORBIDDEN', async () => {
    const { gate } = gateWith();
    await gate.start();
    expect((await refusal(gate.check(ctx(['SERVICER']), { capability: 'deal.create' }))).code).toBe(
      'FORBIDDEN',
    );
  });

  it('needs an approved change request bound to what runs: same type, deal, payload, not executed, not expired', async () => {
    const { gate } = gateWith({}, [
      approved(),
      approved({ id: 'cr-executed', status: 'EXECUTED' }),
      approved({ id: 'cr-pending', status: 'PENDING' }),
      approved({ id: 'cr-expired', expiresAt: new Date(999_999) }), // the clock starts at 1,000,000
      approved({ id: 'cr-borealis', tenantId: 'borealis' }),
    ]);
    await gate.start();
    const arranger = ctx(['ARRANGER']);
    const reasonOf = async (request: GateRequest) => {
      const refused = await refusal(gate.check(arranger, request));
      expect(refused.code).toBe('APPROVAL_REQUIRED');
      return String(refused.details.reason);
    };
    expect(await reasonOf(issue)).toMatch(/needs an approved change request/);
    expect(
      await reasonOf({ ...issue, changeRequestId: 'cr-1', payload: { dealId: 'deal-1', extra: 1 } }),
    ).toMatch(/differs from what was approved/);
    expect(await reasonOf({ ...issue, changeRequestId: 'cr-1', dealId: 'deal-2' })).toMatch(/another deal/);
    expect(await reasonOf({ ...issue, changeRequestId: 'cr-executed' })).toMatch(/already executed/);
    expect(await reasonOf({ ...issue, changeRequestId: 'cr-pending' })).toMatch(/is PENDING/);
    expect(await reasonOf({ ...issue, changeRequestId: 'cr-expired' })).toMatch(/expired/);
    expect(await reasonOf({ ...issue, changeRequestId: 'cr-borealis' })).toMatch(/does not exist/);
    const decision = await gate.check(arranger, { ...issue, changeRequestId: 'cr-1' });
    expect(decision.changeRequest).toEqual({ id: 'cr-1', payloadHash: payloadHash({ dealId: 'deal-1' }) });
  });

  it('routes by amount: a small payout needs MEDIUM approval, which the tenant policy can lift', async () => {
    const lenient = structuredClone(DEFAULT_POLICY);
    delete (lenient.changeTypes as Record<string, unknown>)['distribution.execute'];
    const { gate } = gateWith({ policies: new Map([['borealis', lenient]]) });
    await gate.start();
    const refused = await refusal(
      gate.check(ctx(['SERVICER']), { capability: 'distribution.execute', amount: 5n }),
    );
    expect(refused.details.riskLevel).toBe('MEDIUM');
    const big = await refusal(
      gate.check(ctx(['SERVICER']), { capability: 'distribution.execute', amount: 10n ** 12n }),
    );
    expect(big.details.riskLevel).toBe('CRITICAL');
    await expect(
      gate.check(ctx(['SERVICER'], 'ops@borealis.test', 'borealis'), {
        capability: 'distribution.execute',
        amount: 5n,
      }),
    ).resolves.toMatchObject({ changeRequest: null });
  });

  it('lets a live break-glass grant past role and approval (marking the decision), never past a kill switch', async () => {
    const grant = (over: Partial<ActiveBreakGlass>): ActiveBreakGlass => ({
      id: 'bg-1',
      tenantId: 'acme',
      grantee: 'user:oncall@acme.test',
      capability: 'deal.issue',
      expiresAt: new Date(2_000_000),
      ...over,
    });
    const { gate, snapshot, advance } = gateWith({ breakGlass: [grant({})] });
    await gate.start();
    const oncall = ctx(['SERVICER'], 'oncall@acme.test');
    expect(await gate.check(oncall, issue)).toMatchObject({ breakGlassGrantId: 'bg-1', changeRequest: null });
    expect((await refusal(gate.check(ctx(['SERVICER'], 'other@acme.test'), issue))).code).toBe('FORBIDDEN');
    snapshot.killSwitches.push(killSwitch({ scope: 'CAPABILITY', target: 'deal.issue' }));
    await gate.refresh();
    expect((await refusal(gate.check(oncall, issue))).code).toBe('KILL_SWITCH_ACTIVE');
    snapshot.killSwitches.length = 0;
    advance(1_000_001); // past the grant's expiry
    await gate.refresh();
    expect((await refusal(gate.check(oncall, issue))).code).toBe('FORBIDDEN');
  });

  it('rate-limits one caller per capability and says when to retry', async () => {
    const { gate, advance } = gateWith({}, [], { rateLimitPerMinute: 3 });
    await gate.start();
    const arranger = ctx(['ARRANGER']);
    for (let i = 0; i < 3; i += 1) await gate.check(arranger, { capability: 'deal.create' });
    const refused = await refusal(gate.check(arranger, { capability: 'deal.create' }));
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.details.retryAfterMs).toBe(20_000);
    await expect(
      gate.check(ctx(['ARRANGER'], 'colleague@acme.test'), { capability: 'deal.create' }),
    ).resolves.toBeDefined();
    advance(20_000);
    await gate.refresh();
    await expect(gate.check(arranger, { capability: 'deal.create' })).resolves.toBeDefined();
  });

  it('fails closed: nothing passes before its state is read, or once the state is too old', async () => {
    let failing = true;
    const { gate, advance } = gateWith({}, [], { failing: () => failing });
    await gate.start();
    const refused = await refusal(gate.check(ctx(['ADMIN']), { capability: 'deal.create' }));
    expect(refused.code).toBe('SERVICE_UNAVAILABLE');
    expect(String(refused.details.reason)).toMatch(/does not exist/);
    failing = false;
    await gate.refresh();
    await expect(gate.check(ctx(['ADMIN']), { capability: 'deal.create' })).resolves.toBeDefined();
    failing = true;
    advance(999);
    await gate.refresh();
    await expect(gate.check(ctx(['ADMIN']), { capability: 'deal.update' })).resolves.toBeDefined(); // still fresh
    advance(2);
    expect((await refusal(gate.check(ctx(['ADMIN']), { capability: 'deal.update' }))).code).toBe(
      'SERVICE_UNAVAILABLE',
    );
    await gate.stop();
  });

  it('refuses an unauthenticated caller before anything else', async () => {
    const { gate } = gateWith({ killSwitches: [killSwitch({})] });
    await gate.start();
    expect((await refusal(gate.check({ principal: null }, { capability: 'deal.create' }))).code).toBe(
      'UNAUTHENTICATED',
    );
  });
});
