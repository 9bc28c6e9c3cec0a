import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openSubgraphOrm } from '@tranche/devstack/testing';
import {
  claimChangeRequest,
  ConflictError,
  createLogger,
  DEAL_CHANGE_DECIDED_TASK,
  OPEN_CHANGE_REQUEST_TASK,
  type Config,
  DEFAULT_POLICY,
  ForbiddenError,
  payloadHash,
  sqlGateStateSource,
  ValidationError,
  type GateDecision,
  type Principal,
  type Role,
} from '@tranche/platform';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditSubgraph } from '../index.js';
import { BreakGlassService } from './break-glass.service.js';
import { ChangeStatus, Risk } from './change-request.entity.js';
import { governanceJobs } from './governance.jobs.js';
import { GovernanceService } from './governance.service.js';
import { KillSwitchScope } from './kill-switch.entity.js';
import { KillSwitchService } from './kill-switch.service.js';

let orm: MikroORM;
beforeAll(async () => {
  orm = await openSubgraphOrm(auditSubgraph);
});
afterAll(async () => {
  await orm?.close();
});

/** One firm's people, each a distinct person with one role. */
function firm() {
  const tenantId = `tenant-${randomUUID()}`;
  const person = (name: string, ...roles: Role[]): Principal => ({
    subject: name,
    email: `${name}@${tenantId}.test`,
    tenantId,
    roles: new Set(roles),
  });
  return {
    tenantId,
    arranger: person('arranger', 'ARRANGER'),
    compliance: person('compliance', 'COMPLIANCE'),
    compliance2: person('compliance2', 'COMPLIANCE'),
    admin: person('admin', 'ADMIN'),
    admin2: person('admin2', 'ADMIN'),
    servicer: person('servicer', 'SERVICER'),
  };
}
const governance = (p: Principal) => new GovernanceService(orm.em.fork(), p, 'req-gov');
const switches = (p: Principal) => new KillSwitchService(orm.em.fork(), p);
const breakGlass = (p: Principal) => new BreakGlassService(orm.em.fork(), p);

const issueOf = (dealId: string) => ({
  type: 'deal.issue',
  dealId,
  title: 'Issue the Acme deal',
  rationale: 'Reviewed and ready',
  payload: JSON.stringify({ dealId, tranches: ['A', 'M', 'B'] }),
});

/** The decision a side effect would carry after the gate said yes to this request. */
const decisionFor = (tenantId: string, id: string, payload: unknown): GateDecision => ({
  capability: 'deal.issue',
  actor: 'user:worker',
  tenantId,
  breakGlassGrantId: null,
  changeRequest: { id, payloadHash: payloadHash(payload) },
});

describe('change requests', () => {
  it('stores the request with the hash of its canonical payload and the risk the policy gives it', async () => {
    const f = firm();
    const dealId = randomUUID();
    const request = await governance(f.arranger).request(issueOf(dealId));
    expect(request).toMatchObject({ status: 'PENDING', riskLevel: 'HIGH', policyVersion: 0 });
    expect(request.payloadHash).toBe(payloadHash({ tranches: ['A', 'M', 'B'], dealId }));
  });

  it('lists by risk level', async () => {
    const f = firm();
    const high = await governance(f.arranger).request(issueOf(randomUUID()));
    const low = await governance(f.arranger).request({
      ...issueOf(randomUUID()),
      type: 'attestation.submit',
    });
    const page = await governance(f.compliance).list({ riskLevel: Risk.LOW });
    expect(page.items.map((r) => r.id)).toEqual([low.id]);
    expect((await governance(f.compliance).list({ riskLevel: Risk.HIGH })).items.map((r) => r.id)).toEqual([
      high.id,
    ]);
  });

  it('opens a workflow’s request under the id it chose, as the person who asked, exactly once', async () => {
    const f = firm();
    const id = randomUUID();
    const dealId = randomUUID();
    const handler = governanceJobs(orm, {} as Config, createLogger('t', 'silent')).handlers[
      OPEN_CHANGE_REQUEST_TASK
    ]!;
    const job = {
      id,
      tenantId: f.tenantId,
      type: 'deal.issue',
      dealId,
      title: 'Issue the deal',
      rationale: 'Reviewed terms',
      payload: { dealId, amount: '5' },
      requestedBy: { subject: 'arranger', email: f.arranger.email, roles: ['ARRANGER'] },
    };
    const ctx = {
      attempt: 1,
      maxAttempts: 3,
      jobKey: null,
      logger: createLogger('t', 'silent'),
      signal: new AbortController().signal,
    };
    await handler(job, ctx);
    await handler(job, ctx); // a replayed job changes nothing
    const request = await governance(f.compliance).get(id);
    expect(request).toMatchObject({
      type: 'deal.issue',
      dealId,
      riskLevel: 'HIGH',
      requestedBy: `user:${f.arranger.email}`,
    });
    expect(request?.payloadHash).toBe(payloadHash({ dealId, amount: '5' }));
    expect((await governance(f.compliance).list({ dealId })).total).toBe(1);
    // Four-eyes holds for workflow requests: the person who asked cannot approve.
    await expect(governance(f.arranger).approve(id)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('tells the owning workflow when its request is decided, in the deciding transaction', async () => {
    const f = firm();
    const request = await governance(f.arranger).request(issueOf(randomUUID()));
    const followUps = async () =>
      (
        await orm.em
          .fork()
          .getConnection()
          .execute<{ n: number }[]>(
            `select count(*)::int as n from graphile_worker.jobs where task_identifier = ? and key = ?`,
            [DEAL_CHANGE_DECIDED_TASK, `${DEAL_CHANGE_DECIDED_TASK}:${request.id}:APPROVED`],
          )
      )[0]!.n;
    await governance(f.compliance).approve(request.id);
    expect(await followUps()).toBe(0); // still PENDING: nothing to tell
    await governance(f.admin).approve(request.id);
    expect(await followUps()).toBe(1);
  });

  it('refuses a type that needs no approval, one the caller may not perform, and bad JSON', async () => {
    const f = firm();
    await expect(
      governance(f.arranger).request({ ...issueOf(randomUUID()), type: 'deal.create' }),
    ).rejects.toThrow(/needs no approval/);
    await expect(governance(f.servicer).request(issueOf(randomUUID()))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      governance(f.arranger).request({ ...issueOf(randomUUID()), payload: '{oops' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('enforces four-eyes: never the requester, one vote per person, HIGH needs COMPLIANCE and ADMIN', async () => {
    const f = firm();
    const request = await governance(f.arranger).request(issueOf(randomUUID()));
    await expect(governance(f.arranger).approve(request.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await governance(f.compliance).approve(request.id, 'checked the tape')).status).toBe('PENDING');
    await expect(governance(f.compliance).approve(request.id)).rejects.toBeInstanceOf(ConflictError);
    expect((await governance(f.compliance2).approve(request.id)).status).toBe('PENDING'); // two COMPLIANCE: not yet
    const approved = await governance(f.admin).approve(request.id);
    expect(approved.status).toBe('APPROVED');
    expect(approved.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 71 * 3_600_000);
    const seen = await governance(f.arranger).get(request.id);
    const votes = (await governance(f.arranger).votesOf([request.id]))[0] ?? [];
    expect(governance(f.arranger).eligibility(seen!, votes).reason).toMatch(/four-eyes|APPROVED/);
  });

  it('counts two approvals given at the same moment: the second waits for the first, neither is lost', async () => {
    const f = firm();
    const request = await governance(f.arranger).request(issueOf(randomUUID()));
    const both = await Promise.allSettled([
      governance(f.compliance).approve(request.id),
      governance(f.admin).approve(request.id),
    ]);
    expect(both.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect((await governance(f.arranger).get(request.id))?.status).toBe('APPROVED');
  });

  it('lets the approved payload execute exactly once, and nothing else with that approval', async () => {
    const f = firm();
    const dealId = randomUUID();
    const input = issueOf(dealId);
    const request = await governance(f.arranger).request(input);
    await governance(f.compliance).approve(request.id);
    await governance(f.admin).approve(request.id);
    const payload = JSON.parse(input.payload) as unknown;
    const changed = { ...(payload as object), tranches: ['A'] };
    await expect(
      orm.em
        .fork()
        .transactional((tx) => claimChangeRequest(tx, decisionFor(f.tenantId, request.id, changed))),
    ).rejects.toThrow(/already executed or is no longer approved/);
    // A claim inside a transaction that rolls back leaves the request approved.
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await claimChangeRequest(tx, decisionFor(f.tenantId, request.id, payload));
        throw new Error('the side effect failed');
      }),
    ).rejects.toThrow('the side effect failed');
    expect((await governance(f.arranger).get(request.id))?.status).toBe('APPROVED');
    await orm.em
      .fork()
      .transactional((tx) => claimChangeRequest(tx, decisionFor(f.tenantId, request.id, payload)));
    expect((await governance(f.arranger).get(request.id))?.status).toBe('EXECUTED');
    await expect(
      orm.em
        .fork()
        .transactional((tx) => claimChangeRequest(tx, decisionFor(f.tenantId, request.id, payload))),
    ).rejects.toThrow(/already executed/);
  });

  it('expires an approval that waited too long; it can no longer execute', async () => {
    const f = firm();
    const input = issueOf(randomUUID());
    const request = await governance(f.arranger).request(input);
    await governance(f.compliance).approve(request.id);
    await governance(f.admin).approve(request.id);
    await orm.em
      .getConnection()
      .execute(`update audit.change_request set expires_at = now() - interval '1 minute' where id = ?`, [
        request.id,
      ]);
    const payload = JSON.parse(input.payload) as unknown;
    await expect(
      orm.em
        .fork()
        .transactional((tx) => claimChangeRequest(tx, decisionFor(f.tenantId, request.id, payload))),
    ).rejects.toThrow(/no longer approved/);
    expect((await governance(f.arranger).get(request.id))?.status).toBe(ChangeStatus.EXPIRED);
  });

  it('rejects and cancels: only pending requests, only the requester cancels', async () => {
    const f = firm();
    const rejected = await governance(f.arranger).request(issueOf(randomUUID()));
    expect((await governance(f.compliance).reject(rejected.id, 'tape incomplete')).status).toBe('REJECTED');
    await expect(governance(f.admin).approve(rejected.id)).rejects.toThrow(/REJECTED/);
    const mine = await governance(f.arranger).request(issueOf(randomUUID()));
    await expect(governance(f.compliance).cancel(mine.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await governance(f.arranger).cancel(mine.id)).status).toBe('CANCELLED');
  });

  it("keeps one tenant's requests from another's", async () => {
    const a = firm();
    const b = firm();
    const request = await governance(a.arranger).request(issueOf(randomUUID()));
    expect(await governance(b.admin).get(request.id)).toBeNull();
    await expect(governance(b.admin).approve(request.id)).rejects.toThrow(/not found/);
  });
});

describe('kill switches and the gate state', () => {
  it('activates at once, shows in the gate views, and lifts only through an approved request', async () => {
    const f = firm();
    const dealId = randomUUID();
    const killSwitch = await switches(f.compliance).activate({
      scope: KillSwitchScope.DEAL,
      target: dealId,
      reason: 'tape dispute',
    });
    await expect(
      switches(f.admin).activate({ scope: KillSwitchScope.DEAL, target: dealId, reason: 'again' }),
    ).rejects.toBeInstanceOf(ConflictError);
    const source = sqlGateStateSource(orm);
    const active = (await source.snapshot()).killSwitches.filter((k) => k.tenantId === f.tenantId);
    expect(active).toEqual([
      { id: killSwitch.id, tenantId: f.tenantId, scope: 'DEAL', target: dealId, reason: 'tape dispute' },
    ]);

    const lift = {
      type: 'killswitch.deactivate',
      title: 'Dispute settled',
      rationale: 'The servicer corrected the tape',
      payload: JSON.stringify({ killSwitchId: killSwitch.id }),
    };
    await expect(
      governance(f.admin).request({ ...lift, type: 'killswitch.deactivate.global' }),
    ).rejects.toThrow(/lifting a DEAL switch is killswitch.deactivate/);
    const request = await governance(f.admin).request(lift);
    expect(request.riskLevel).toBe('HIGH');
    await governance(f.compliance).approve(request.id);
    const done = await governance(f.admin2).approve(request.id);
    expect(done.status).toBe('EXECUTED');
    expect((await source.snapshot()).killSwitches.some((k) => k.id === killSwitch.id)).toBe(false);
  });

  it('reads the gate state over its own connection, so requests holding every pooled one do not close the gate', async () => {
    const f = firm();
    await switches(f.compliance).activate({ scope: KillSwitchScope.GLOBAL, reason: 'busy pool' });
    const own = sqlGateStateSource(orm, { databaseUrl: inject('databaseUrl') });
    // Every connection of the ORM's pool (4 in tests) held by a transaction, as under heavy writes.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const holders = Array.from({ length: 4 }, () =>
      orm.em.fork().transactional(async (tx) => {
        await tx.getConnection().execute('select 1', [], 'all', tx.getTransactionContext());
        await held;
      }),
    );
    try {
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      const snapshot = await own.snapshot();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(snapshot.killSwitches.some((k) => k.tenantId === f.tenantId && k.scope === 'GLOBAL')).toBe(true);
      // The pooled source waits for a connection the requests hold (what closed the gate).
      const pooled = Promise.race([
        sqlGateStateSource(orm)
          .snapshot()
          .then(() => 'read'),
        new Promise((r) => setTimeout(() => r('waiting'), 300)),
      ]);
      expect(await pooled).toBe('waiting');
    } finally {
      release();
      await Promise.all(holders);
      await own.close?.();
    }
  });

  it('validates a switch: a GLOBAL one has no target, a CAPABILITY one names a capability', async () => {
    const f = firm();
    await expect(
      switches(f.admin).activate({ scope: KillSwitchScope.GLOBAL, target: 'x', reason: 'r' }),
    ).rejects.toThrow(ValidationError);
    await expect(
      switches(f.admin).activate({ scope: KillSwitchScope.CAPABILITY, target: 'deal.teleport', reason: 'r' }),
    ).rejects.toThrow(/needs a capability/);
  });

  it('adopts a new policy only through a CRITICAL request with three approvals including an ADMIN', async () => {
    const f = firm();
    const document = structuredClone(DEFAULT_POLICY);
    document.approvalExpiryHours = 24;
    const request = await governance(f.admin).request({
      type: 'governance.policy',
      title: 'Shorter approval window',
      rationale: 'Audit finding 7',
      payload: JSON.stringify({ document }),
    });
    expect(request.riskLevel).toBe('CRITICAL');
    await governance(f.compliance).approve(request.id);
    expect((await governance(f.compliance2).approve(request.id)).status).toBe('PENDING'); // no ADMIN yet
    expect((await governance(f.admin2).approve(request.id)).status).toBe('EXECUTED');
    const { version, policy } = await governance(f.arranger).policy();
    expect(version).toBe(1);
    expect(policy.approvalExpiryHours).toBe(24);
    expect((await sqlGateStateSource(orm).snapshot()).policies.get(f.tenantId)?.approvalExpiryHours).toBe(24);
    const bad = structuredClone(DEFAULT_POLICY) as { levels: { LOW: { approvals: number } } };
    bad.levels.LOW.approvals = 0;
    await expect(
      governance(f.admin).request({
        type: 'governance.policy',
        title: 't',
        rationale: 'r',
        payload: JSON.stringify({ document: bad }),
      }),
    ).rejects.toThrow(/policy.levels.LOW.approvals/);
  });
});

describe('break-glass', () => {
  it('grants an ADMIN-approved or self-granted time-bounded capability; a second person reviews a self-grant', async () => {
    const f = firm();
    await expect(
      breakGlass(f.compliance).grant({
        grantee: 'someone@else.test',
        capability: 'deal.issue',
        reason: 'r',
        minutes: 30,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      breakGlass(f.servicer).grant({ capability: 'deal.issue', reason: 'r', minutes: 241 }),
    ).rejects.toBeInstanceOf(ValidationError);
    const self = await breakGlass(f.servicer).grant({
      capability: 'distribution.execute',
      reason: 'payout stuck',
      minutes: 60,
    });
    expect(self).toMatchObject({ selfGranted: true, grantee: `user:servicer@${f.tenantId}.test` });
    const live = (await sqlGateStateSource(orm).snapshot()).breakGlass.filter(
      (g) => g.tenantId === f.tenantId,
    );
    expect(live.map((g) => g.id)).toEqual([self.id]);
    await expect(breakGlass(f.servicer).review(self.id, 'fine')).rejects.toBeInstanceOf(ForbiddenError);
    expect((await breakGlass(f.compliance).review(self.id, 'justified')).reviewedBy).toBe(
      `user:compliance@${f.tenantId}.test`,
    );
    await orm.em
      .getConnection()
      .execute(`update audit.break_glass_grant set expires_at = now() - interval '1 second' where id = ?`, [
        self.id,
      ]);
    expect((await sqlGateStateSource(orm).snapshot()).breakGlass.some((g) => g.id === self.id)).toBe(false);
  });
});
