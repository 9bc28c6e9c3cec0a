#!/usr/bin/env node
// bench:audit — the governance and audit figures of one run on one fresh stack, as
// `BENCH <metric> <value> <unit>` lines (medians where rounds repeat). A benchmark, not a test.
//   gate_check_p50/p99        the enforcement gate's hot path (in-memory state, real refresh)
//   killswitch_propagation    GLOBAL switch activated -> every subgraph refuses (median of rounds)
//   ledger_appends_per_s      events linked into the audit ledger with 32 concurrent writers
//                             making real mutations through the gateway; forks must be 0
//   ledger_cpu_ms_per_mutation_<process>  CPU each process spent per mutation in that run (/proc),
//                             so the figure above can be read against the machine's cores
//   ledger_service_appends_per_s  events linked with 32 concurrent writers calling the deals
//                             service's createDeal in-process (the same transaction and outbox
//                             write, without the HTTP and GraphQL layers in front)
//   outbox_commits_per_s_lock_free / _with_old_lock  one-event transactions from 32 writers, as
//                             they commit now and under the per-schema lock writers used to take
//   ledger_link_capacity_per_s  what the ledger writer itself links per second when the outbox holds
//                             a backlog (20,000 events of 8 tenants): the chain's own ceiling,
//                             apart from the gateway and subgraphs that produce the events
//   verify_1m_events          verifyAuditChain's service over 1,000,000 events of one tenant
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpuMs, pidOn, postgresCpuMs } from './proc-cpu.mjs';

const root = resolve(import.meta.dirname, '..');
const { startThrowawayStack, seedDemo } = await import('../packages/devstack/dist/index.js');
const { fetchUserToken } = await import('../packages/dev-issuer/dist/index.js');
const platform = await import('../packages/platform/dist/index.js');
const audit = await import('../subgraphs/audit/dist/index.js');
const { LedgerService } = await import('../subgraphs/audit/dist/ledger/ledger.service.js');
const { genesisHash } = await import('../subgraphs/audit/dist/ledger/ledger-hash.js');
const deals = await import('../subgraphs/deals/dist/index.js');
const { DealService } = await import('../subgraphs/deals/dist/deal/deal.service.js');

const WRITERS = Number(process.env.BENCH_WRITERS ?? 32);
const WRITE_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const VERIFY_EVENTS = Number(process.env.BENCH_VERIFY_EVENTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const bench = (metric, value, unit) => console.log(`BENCH ${metric} ${value} ${unit}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

const stack = await startThrowawayStack({
  label: 'bench',
  root,
  dataDir: resolve(root, '.data/bench'),
  nodeEnv: 'test',
  logLevel: 'warn',
  // The writers are few people writing fast: lift the per-person rate limit for the bench.
  env: { GATE_RATE_LIMIT_PER_MINUTE: '100000000', AUDIT_WRITER_INTERVAL_MS: '50' },
});
const orm = await platform.createOrm({
  databaseUrl: stack.databaseUrl,
  schema: 'audit',
  entities: audit.auditSubgraph.entities,
  migrations: audit.auditSubgraph.migrations,
  logger: platform.createLogger('bench', 'warn'),
});

// The writers' client: node:http over keep-alive sockets. It runs on the same two cores as the
// platform, and fetch() spent about 1.2 ms of CPU per request here against about 0.5 ms for this.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function post(token, query, variables = {}) {
  const body = JSON.stringify({ query, variables });
  const url = new URL(stack.gatewayUrl);
  return new Promise((done, fail) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          try {
            done(JSON.parse(Buffer.concat(chunks).toString()));
          } catch (err) {
            fail(err);
          }
        });
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

const CREATE = 'mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }';
const dealInput = (name) => ({
  name,
  assetClass: 'RMBS',
  currency: 'USD',
  tranches: [{ name: 'A', seniority: 1, originalBalance: '1000', couponBps: 400 }],
});

try {
  await seedDemo(stack.gatewayUrl, stack.issuerUrl);

  // 1. The gate's hot path, with its real state source refreshing in the background.
  const gate = new platform.Gate(platform.sqlGateStateSource(orm), {
    refreshMs: 200,
    maxStalenessMs: 1000,
    rateLimitPerMinute: 1e12,
  });
  await gate.start();
  const ctx = {
    principal: { subject: 'bench', email: 'bench@acme.test', tenantId: 'acme', roles: new Set(['ARRANGER']) },
  };
  for (let i = 0; i < 20_000; i += 1)
    await gate.check(ctx, { capability: 'deal.update', dealId: randomUUID() });
  const latencies = [];
  for (let i = 0; i < 200_000; i += 1) {
    const t = performance.now();
    await gate.check(ctx, { capability: 'deal.update', dealId: 'deal-1' });
    latencies.push(performance.now() - t);
  }
  await gate.stop();
  bench('gate_check_p50', quantile(latencies, 0.5).toFixed(4), 'ms');
  bench('gate_check_p99', quantile(latencies, 0.99).toFixed(4), 'ms');

  // 2. Kill-switch propagation: activate GLOBAL, then each subgraph's mutation until refused.
  const admin = await fetchUserToken(stack.issuerUrl, 'admin@borealis.test');
  const tokens = {
    deals: await fetchUserToken(stack.issuerUrl, 'arranger@borealis.test'),
    investors: await fetchUserToken(stack.issuerUrl, 'compliance@borealis.test'),
  };
  const refused = async () => {
    const [d, i] = await Promise.all([
      post(tokens.deals, CREATE, { input: dealInput(`Propagation ${randomUUID()}`) }),
      post(tokens.investors, 'mutation($i: CreateInvestorInput!) { createInvestor(input: $i) { id } }', {
        i: { legalName: `P ${randomUUID()}`, kind: 'ENTITY', jurisdiction: 'NO' },
      }),
    ]);
    return [d, i].every((r) => r.errors?.[0]?.extensions?.code === 'KILL_SWITCH_ACTIVE');
  };
  const propagation = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const { data } = await post(
      admin,
      'mutation($i: ActivateKillSwitchInput!) { activateKillSwitch(input: $i) { id } }',
      {
        i: { scope: 'GLOBAL', reason: `bench round ${round}` },
      },
    );
    const t = performance.now();
    while (!(await refused())) await new Promise((r) => setTimeout(r, 10));
    propagation.push(performance.now() - t);
    // Lift it directly in the database (the approval workflow is not what is measured here).
    await orm.em
      .getConnection()
      .execute('update audit.kill_switch set deactivated_at = now() where id = ?', [
        data.activateKillSwitch.id,
      ]);
    while (await refused()) await new Promise((r) => setTimeout(r, 50));
  }
  bench('killswitch_propagation', median(propagation).toFixed(0), 'ms');

  // 3. Ledger appends with 32 concurrent writers making real mutations through the gateway.
  const arranger = await fetchUserToken(stack.issuerUrl, 'arranger@acme.test');
  const count = async () =>
    Number((await orm.em.getConnection().execute('select count(*)::int as n from audit.audit_event'))[0].n);
  const pids = { gateway: pidOn(new URL(stack.gatewayUrl).port) };
  for (const [name, url] of Object.entries(stack.subgraphUrls)) pids[name] = pidOn(new URL(url).port);
  const cpuBefore = Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, cpuMs(pid)]));
  const postgresBefore = postgresCpuMs();
  const clientBefore = process.cpuUsage();
  const before = await count();
  let writes = 0;
  const end = performance.now() + WRITE_SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; performance.now() < end; i += 1) {
        const r = await post(arranger, CREATE, { input: dealInput(`Bench ${w}-${i}-${randomUUID()}`) });
        if (r.errors) throw new Error(JSON.stringify(r.errors));
        writes += 1;
      }
    }),
  );
  while ((await count()) - before < writes) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  bench('ledger_appends_per_s', (((await count()) - before) / seconds).toFixed(0), 'events/s');
  const client = process.cpuUsage(clientBefore);
  const perMutation = {
    ...Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, cpuMs(pid) - cpuBefore[n]])),
    postgres: postgresCpuMs() - postgresBefore,
    bench_client: (client.user + client.system) / 1000,
  };
  for (const [name, ms] of Object.entries(perMutation))
    bench(`ledger_cpu_ms_per_mutation_${name}`, (ms / writes).toFixed(2), 'ms');

  // 3c. The same audited write from 32 concurrent writers calling the deals service in-process.
  const dealsOrm = await platform.createOrm({
    databaseUrl: stack.databaseUrl,
    schema: 'deals',
    entities: deals.dealsSubgraph.entities,
    migrations: deals.dealsSubgraph.migrations,
    logger: platform.createLogger('bench', 'warn'),
    poolMax: WRITERS,
  });
  try {
    const principal = {
      subject: 'bench',
      email: 'arranger@acme.test',
      tenantId: 'acme',
      roles: new Set(['ARRANGER']),
    };
    const serviceBefore = await count();
    let serviceWrites = 0;
    const serviceStarted = performance.now();
    const serviceEnd = serviceStarted + WRITE_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; performance.now() < serviceEnd; i += 1) {
          const input = dealInput(`Service ${w}-${i}-${randomUUID()}`);
          input.tranches = input.tranches.map((t) => ({ ...t, originalBalance: BigInt(t.originalBalance) }));
          await new DealService(dealsOrm.em.fork(), principal, `bench-${w}-${i}`).create(input);
          serviceWrites += 1;
        }
      }),
    );
    while ((await count()) - serviceBefore < serviceWrites) await new Promise((r) => setTimeout(r, 20));
    bench(
      'ledger_service_appends_per_s',
      (serviceWrites / ((performance.now() - serviceStarted) / 1000)).toFixed(0),
      'events/s',
    );

    // 3d. Outbox commits alone (one event per transaction, 32 writers), as writers commit them now
    // and as they did under the per-schema advisory lock held to commit that ordered outbox ids
    // before events carried their transaction id: what that lock cost, measured side by side.
    let outboxTotal = 0;
    const outboxCommits = async (serialized) => {
      let commits = 0;
      const end = performance.now() + (WRITE_SECONDS * 1000) / 2;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: WRITERS }, async () => {
          while (performance.now() < end) {
            await dealsOrm.em.fork().transactional(async (tx) => {
              if (serialized)
                await tx.execute(`select pg_advisory_xact_lock(hashtext('deals.outbox_event'))`);
              await tx.execute(
                `insert into deals.outbox_event (event_id, tenant_id, actor, action, aggregate_type, aggregate_id, payload, occurred_at)
                 values (gen_random_uuid(), 'bench-outbox', 'user:bench', 'bench.recorded', 'Bench', 'b', '{}', now())`,
              );
            });
            commits += 1;
          }
        }),
      );
      outboxTotal += commits;
      return commits / ((performance.now() - started) / 1000);
    };
    bench('outbox_commits_per_s_lock_free', (await outboxCommits(false)).toFixed(0), 'commits/s');
    bench('outbox_commits_per_s_with_old_lock', (await outboxCommits(true)).toFixed(0), 'commits/s');
    // Linked before the next figure starts counting the ledger's rows.
    const linkedOutbox = async () =>
      Number(
        (
          await orm.em
            .getConnection()
            .execute(`select count(*)::int as n from audit.audit_event where tenant_id = 'bench-outbox'`)
        )[0].n,
      );
    while ((await linkedOutbox()) < outboxTotal) await new Promise((r) => setTimeout(r, 20));
  } finally {
    await dealsOrm.close();
  }
  const verified = await post(
    await fetchUserToken(stack.issuerUrl, 'auditor@acme.test'),
    '{ verifyAuditChain { valid checked } }',
  );
  const forks = Number(
    (
      await orm.em
        .getConnection()
        .execute(
          'select count(*)::int as n from (select prev_hash from audit.audit_event group by tenant_id, prev_hash having count(*) > 1) f',
        )
    )[0].n,
  );
  bench('ledger_forks', forks + (verified.data?.verifyAuditChain.valid ? 0 : 1), 'count');

  // 3b. The ledger writer's own capacity: a backlog of outbox events, as committed mutations leave
  // them, linked into the tenants' chains as fast as the writer goes.
  const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 20_000);
  const backlogBefore = await count();
  const rows = Array.from({ length: BACKLOG }, (_, i) => ({
    event_id: randomUUID(),
    tenant_id: `backlog-${i % 8}`,
    payload: `{"i":${i}}`,
  }));
  const linkStarted = performance.now();
  await orm.em.getConnection().execute(
    `insert into deals.outbox_event (event_id, tenant_id, actor, action, aggregate_type, aggregate_id, payload, request_id, occurred_at)
     select u.event_id, u.tenant_id, 'user:bench', 'bench.recorded', 'Bench', 'b', u.payload, null, now()
       from jsonb_to_recordset(?::jsonb) as u(event_id uuid, tenant_id text, payload text)`,
    [JSON.stringify(rows)],
  );
  while ((await count()) - backlogBefore < BACKLOG) await new Promise((r) => setTimeout(r, 20));
  bench(
    'ledger_link_capacity_per_s',
    (BACKLOG / ((performance.now() - linkStarted) / 1000)).toFixed(0),
    'events/s',
  );

  // 4. verifyAuditChain over 1,000,000 events of one tenant, written as the ledger writer would.
  const tenantId = `bench-${randomBytes(3).toString('hex')}`;
  let prevHash = genesisHash(tenantId);
  const BATCH = 10_000;
  const occurredAt = new Date();
  for (let start = 1; start <= VERIFY_EVENTS; start += BATCH) {
    const rows = [];
    for (let seq = start; seq < Math.min(start + BATCH, VERIFY_EVENTS + 1); seq += 1) {
      const event = {
        seq,
        tenantId,
        source: 'deals',
        sourceEventId: randomUUID(),
        actor: 'user:bench',
        action: 'bench.recorded',
        aggregateType: 'Bench',
        aggregateId: 'b',
        payload: `{"i":${seq}}`,
        requestId: null,
        occurredAt,
      };
      const hash = audit.ledgerHash(prevHash, event);
      rows.push({
        id: randomUUID(),
        seq,
        sid: event.sourceEventId,
        payload: event.payload,
        prev: prevHash,
        hash,
      });
      prevHash = hash;
    }
    await orm.em.getConnection().execute(
      `insert into audit.audit_event (id, seq, tenant_id, source, source_event_id, actor, action, aggregate_type,
         aggregate_id, payload, request_id, occurred_at, recorded_at, prev_hash, hash)
       select u.id, u.seq, ?, 'deals', u.sid, 'user:bench', 'bench.recorded', 'Bench', 'b', u.payload, null, ?, now(), u.prev, u.hash
         from jsonb_to_recordset(?::jsonb) as u(id uuid, seq int, sid uuid, payload text, prev text, hash text)`,
      [tenantId, occurredAt, JSON.stringify(rows)],
    );
  }
  const principal = { subject: 'bench', email: 'auditor@bench.test', tenantId, roles: new Set(['AUDITOR']) };
  const t = performance.now();
  const result = await new LedgerService(orm.em.fork(), principal).verify(1);
  const verifySeconds = (performance.now() - t) / 1000;
  if (!result.valid || result.checked !== VERIFY_EVENTS) throw new Error(`verify: ${JSON.stringify(result)}`);
  bench(`verify_${VERIFY_EVENTS}_events`, verifySeconds.toFixed(2), 's');
} finally {
  await orm.close();
  await stack.stop();
}
