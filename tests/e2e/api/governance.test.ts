/**
 * Governance end to end (on a platform of this file's own): the enforcement gate in front of
 * every mutation of every subgraph — kill switches seen by every subgraph within a second,
 * DEAL and CAPABILITY scopes, lifting a switch through four-eyes approval, and failing closed
 * when the gate's state cannot be read.
 */
import { describe, expect, it } from 'vitest';
import { CREATE_DEAL, DEAL_INPUT, useSeededApi } from '../../support/api.js';
import { eventually, graphql } from '../../support/platform.js';

const api = useSeededApi();

const ACTIVATE =
  'mutation($input: ActivateKillSwitchInput!) { activateKillSwitch(input: $input) { id scope target active } }';
const REQUEST =
  'mutation($input: RequestChangeInput!) { requestChange(input: $input) { id status riskLevel } }';
const APPROVE = 'mutation($id: ID!, $c: String) { approveChange(id: $id, comment: $c) { id status } }';

/** The three side effects of three subgraphs this file tries again and again. */
async function sideEffects(suffix: string) {
  const [arranger, compliance, servicer] = await Promise.all([
    api.token('arranger@acme.test'),
    api.token('compliance@acme.test'),
    api.token('servicer@acme.test'),
  ]);
  const deal = graphql(
    api.platform.gatewayUrl,
    CREATE_DEAL,
    { input: { ...DEAL_INPUT, name: `Gate ${suffix}` } },
    arranger,
  );
  const investor = graphql(
    api.platform.gatewayUrl,
    'mutation($input: CreateInvestorInput!) { createInvestor(input: $input) { id } }',
    { input: { legalName: `Gate Investor ${suffix}`, kind: 'ENTITY', jurisdiction: 'US' } },
    compliance,
  );
  const distribution = graphql(
    api.platform.gatewayUrl,
    'mutation($input: CreateDistributionInput!) { createDistribution(input: $input) { id } }',
    {
      input: {
        dealId: api.acmeDealId,
        trancheId: api.acmeTrancheIds[1],
        period: 202601 + Number(suffix.replace(/\D/g, '').slice(-1) || 0),
        interestAmount: '1',
        principalAmount: '0',
      },
    },
    servicer,
  );
  const results = await Promise.all([deal, investor, distribution]);
  return results.map((r) => (r.errors?.[0]?.extensions?.code as string | undefined) ?? 'OK');
}

describe('the enforcement gate through the gateway', () => {
  it('lets side effects through while no switch is active', async () => {
    expect(await sideEffects('open 1')).toEqual(['OK', 'OK', 'OK']);
  });

  it('stops every side effect of every subgraph within a second of a GLOBAL switch, and only that tenant', async () => {
    const admin = await api.token('admin@acme.test');
    const activated = await graphql<{ activateKillSwitch: { id: string } }>(
      api.platform.gatewayUrl,
      ACTIVATE,
      { input: { scope: 'GLOBAL', reason: 'suspected key compromise' } },
      admin,
    );
    expect(activated.errors).toBeUndefined();
    const started = Date.now();
    const codes = await eventually(async () => {
      const seen = await sideEffects(`global ${Date.now()}`);
      return seen.every((c) => c === 'KILL_SWITCH_ACTIVE') ? seen : undefined;
    }, 5000);
    const propagationMs = Date.now() - started;
    expect(codes).toEqual(['KILL_SWITCH_ACTIVE', 'KILL_SWITCH_ACTIVE', 'KILL_SWITCH_ACTIVE']);
    expect(propagationMs).toBeLessThan(1000);

    const refused = await graphql(
      api.platform.gatewayUrl,
      CREATE_DEAL,
      { input: { ...DEAL_INPUT, name: 'Refused deal' } },
      await api.token('arranger@acme.test'),
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'KILL_SWITCH_ACTIVE',
      scope: 'GLOBAL',
      reason: 'suspected key compromise',
    });
    const other = await graphql(
      api.platform.gatewayUrl,
      CREATE_DEAL,
      { input: { ...DEAL_INPUT, name: 'Borealis goes on' } },
      await api.token('arranger@borealis.test'),
    );
    expect(other.errors).toBeUndefined();
    // Reads still work: the banner and the approval queue need them.
    const banner = await graphql<{ killSwitches: { items: { scope: string }[] } }>(
      api.platform.gatewayUrl,
      '{ killSwitches { items { scope reason } } }',
      {},
      await api.token('investor@acme.test'),
    );
    expect(banner.data?.killSwitches.items.map((k) => k.scope)).toEqual(['GLOBAL']);

    // Lifting it is a CRITICAL change request: three people other than the requester, one an ADMIN.
    const lift = await graphql<{ requestChange: { id: string; riskLevel: string } }>(
      api.platform.gatewayUrl,
      REQUEST,
      {
        input: {
          type: 'killswitch.deactivate.global',
          title: 'Keys rotated',
          rationale: 'The compromised key was revoked and replaced',
          payload: JSON.stringify({ killSwitchId: activated.data?.activateKillSwitch.id }),
        },
      },
      admin,
    );
    expect(lift.data?.requestChange.riskLevel).toBe('CRITICAL');
    const id = lift.data?.requestChange.id;
    const self = await graphql(api.platform.gatewayUrl, APPROVE, { id }, admin);
    expect(self.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(self.errors?.[0]?.message).toMatch(/four-eyes/);
    for (const who of ['compliance@acme.test', 'auditor@acme.test']) {
      const r = await graphql<{ approveChange: { status: string } }>(
        api.platform.gatewayUrl,
        APPROVE,
        { id },
        await api.token(who),
      );
      if (who === 'auditor@acme.test')
        expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN'); // not an approver role
      else expect(r.data?.approveChange.status).toBe('PENDING');
    }
    expect(await sideEffects(`still ${Date.now()}`)).toEqual([
      'KILL_SWITCH_ACTIVE',
      'KILL_SWITCH_ACTIVE',
      'KILL_SWITCH_ACTIVE',
    ]);
  });

  it('fails closed: with the gate state unreadable, every side effect is refused; reads go on', async () => {
    await api.db.query('alter view audit.gate_kill_switches rename to gate_kill_switches_hidden');
    try {
      const codes = await eventually(async () => {
        const seen = await sideEffects(`closed ${Date.now()}`);
        return seen.every((c) => c === 'SERVICE_UNAVAILABLE') ? seen : undefined;
      }, 5000);
      expect(codes).toEqual(['SERVICE_UNAVAILABLE', 'SERVICE_UNAVAILABLE', 'SERVICE_UNAVAILABLE']);
      const read = await graphql<{ deals: { total: number } }>(
        api.platform.gatewayUrl,
        '{ deals { total } }',
        {},
        await api.token('arranger@borealis.test'),
      );
      expect(read.errors).toBeUndefined();
      const borealis = await graphql(
        api.platform.gatewayUrl,
        CREATE_DEAL,
        { input: { ...DEAL_INPUT, name: 'Borealis while closed' } },
        await api.token('arranger@borealis.test'),
      );
      expect(borealis.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await api.db.query('alter view audit.gate_kill_switches_hidden rename to gate_kill_switches');
    }
  });
});
