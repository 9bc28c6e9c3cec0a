#!/usr/bin/env node
// bench:gateway — one stack, three ways in: our gateway (@apollo/gateway), Hive Gateway with its
// Rust query planner (bench/hive-gateway.mjs, same committed supergraph, request de-duplication
// off), and the subgraphs called directly with the calls a query plan makes. Two queries that
// cross the deals, investors and distributions subgraphs — one deal, and a 100-deal page with
// its 300 tranches and their distributions — at 1, 8 and 32 concurrent clients. Rounds are
// interleaved (every mode runs once per round before the next round starts) and the figures
// are medians over rounds: req/s, p99 latency, and CPU per request (from /proc, user + system)
// of the gateway process, of the deals subgraph, of all four subgraphs, and of the whole machine
// (every process on it: PostgreSQL, this client, and anything else running), with the machine's
// idle share (near 0: throughput is bounded by CPU, so it follows the CPU per request of
// everything a request touches, not of the gateway alone). A benchmark, not a test.
//
//   BENCH_ROUNDS=3 BENCH_SECONDS=4 BENCH_CLIENTS=1,8,32 npm run bench:gateway
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = resolve(import.meta.dirname, '..');
const { startThrowawayStack, seedDemo, freePort, waitForHttp } =
  await import('../packages/devstack/dist/index.js');
const { fetchUserToken } = await import('../packages/dev-issuer/dist/index.js');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,8,32').split(',').map(Number);
const PAGE_DEALS = 100;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

const stack = await startThrowawayStack({
  label: 'bench',
  root,
  dataDir: resolve(root, '.data/bench'),
  nodeEnv: 'test',
  logLevel: 'warn',
});
let hive;

async function post(url, token, query, variables = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(`${url}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** The pid listening on a local port (the stack does not hand out its children's pids). */
function pidOn(port) {
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`]).toString();
  const pid = Number(/pid=(\d+)/.exec(out)?.[1]);
  if (!pid) throw new Error(`no process listens on ${port}`);
  return pid;
}

/** CPU time a process has used so far, milliseconds. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Idle and total CPU time of the whole machine so far, milliseconds. */
function machineMs() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { idle: ((f[3] + f[4]) * 1000) / TICKS_PER_SECOND, total: (total * 1000) / TICKS_PER_SECOND };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  await seedDemo(stack.gatewayUrl, stack.issuerUrl);
  const token = await fetchUserToken(stack.issuerUrl, 'arranger@acme.test');

  // 100 deals of three tranches each (the demo's deal plus 99), so the page has 300 tranches.
  const { total } = (await post(stack.gatewayUrl, token, '{ deals { total } }')).deals;
  const tranches = [
    { name: 'A', seniority: 1, originalBalance: '1000000', couponBps: 400 },
    { name: 'M', seniority: 2, originalBalance: '250000', couponBps: 550 },
    { name: 'B', seniority: 3, originalBalance: '100000', couponBps: 700 },
  ];
  for (let i = total; i < PAGE_DEALS; i += 1) {
    await post(
      stack.gatewayUrl,
      token,
      'mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }',
      {
        input: {
          name: `Bench Deal ${String(i).padStart(3, '0')}`,
          assetClass: 'RMBS',
          currency: 'USD',
          closingDate: '2026-12-01',
          tranches,
        },
      },
    );
  }

  const hivePort = await freePort();
  const hiveUrl = `http://127.0.0.1:${hivePort}/graphql`;
  hive = spawn(process.execPath, [resolve(root, 'bench/hive-gateway.mjs')], {
    env: { ...process.env, PORT: String(hivePort), SUBGRAPH_URLS: JSON.stringify(stack.subgraphUrls) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForHttp(`http://127.0.0.1:${hivePort}/healthcheck`, null);

  const DEAL_FIELDS = 'id name investorCount tranches { id name distributions { id period interestAmount } }';
  const { deals } = await post(
    stack.gatewayUrl,
    token,
    `{ deals(page: { limit: ${PAGE_DEALS} }) { items { id } } }`,
  );
  const demoDealId = deals.items.at(-1).id;
  const queries = {
    one: { query: `query($id: ID!) { deal(id: $id) { ${DEAL_FIELDS} } }`, variables: { id: demoDealId } },
    page: {
      query: `{ deals(page: { limit: ${PAGE_DEALS} }) { items { ${DEAL_FIELDS} } } }`,
      variables: {},
    },
  };

  // The query plan by hand: the deals subgraph first, then investors and distributions by reference.
  async function direct(name) {
    const deal = 'id name tranches { id name }';
    const fromDeals =
      name === 'one'
        ? [
            (
              await post(
                stack.subgraphUrls.deals,
                token,
                queries.one.query.replace(DEAL_FIELDS, deal),
                queries.one.variables,
              )
            ).deal,
          ]
        : (await post(stack.subgraphUrls.deals, token, queries.page.query.replace(DEAL_FIELDS, deal))).deals
            .items;
    await Promise.all([
      post(
        stack.subgraphUrls.investors,
        token,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Deal { investorCount } } }',
        { r: fromDeals.map((d) => ({ __typename: 'Deal', id: d.id })) },
      ),
      post(
        stack.subgraphUrls.distributions,
        token,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Tranche { distributions { id period interestAmount } } } }',
        { r: fromDeals.flatMap((d) => d.tranches.map((t) => ({ __typename: 'Tranche', id: t.id }))) },
      ),
    ]);
  }

  const modes = {
    ours: {
      pid: pidOn(stack.ports.gateway),
      run: (q) => post(stack.gatewayUrl, token, q.query, q.variables),
    },
    hive: { pid: hive.pid, run: (q) => post(hiveUrl, token, q.query, q.variables) },
    direct: { pid: null, run: (_q, name) => direct(name) },
  };
  const dealsPid = pidOn(stack.ports.deals);
  const subgraphPids = Object.keys(stack.subgraphUrls).map((name) => pidOn(stack.ports[name]));
  const subgraphsCpuMs = () => subgraphPids.reduce((sum, pid) => sum + cpuMs(pid), 0);

  // Both gateways must give the same answers before their speed means anything.
  for (const q of Object.values(queries)) {
    const [a, b] = await Promise.all([modes.ours.run(q), modes.hive.run(q)]);
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('our gateway and Hive Gateway disagree');
  }

  async function load(mode, name, clients) {
    const q = queries[name];
    const latencies = [];
    const cpu0 = mode.pid ? cpuMs(mode.pid) : 0;
    const deals0 = cpuMs(dealsPid);
    const subgraphs0 = subgraphsCpuMs();
    const machine0 = machineMs();
    const start = performance.now();
    const end = start + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          await mode.run(q, name);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    const n = latencies.length;
    return {
      rps: n / elapsed,
      p99: latencies[Math.min(n - 1, Math.floor(n * 0.99))],
      cpu: mode.pid ? (cpuMs(mode.pid) - cpu0) / n : null,
      dealsCpu: (cpuMs(dealsPid) - deals0) / n,
      subgraphsCpu: (subgraphsCpuMs() - subgraphs0) / n,
      ...(() => {
        const m = machineMs();
        const idle = m.idle - machine0.idle;
        const total = m.total - machine0.total;
        return { idle: idle / total, machineCpu: (total - idle) / n };
      })(),
    };
  }

  const cells = [];
  for (const name of Object.keys(queries)) for (const clients of CLIENTS) cells.push({ name, clients });
  for (const cell of cells)
    for (const mode of Object.values(modes)) await load(mode, cell.name, cell.clients); // warm-up
  const results = new Map();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const cell of cells) {
      for (const [modeName, mode] of Object.entries(modes)) {
        const key = `${cell.name}.c${cell.clients}.${modeName}`;
        const r = await load(mode, cell.name, cell.clients);
        results.set(key, [...(results.get(key) ?? []), r]);
      }
    }
  }

  const med = (key, field) => median(results.get(key).map((r) => r[field]));
  for (const { name, clients } of cells) {
    for (const modeName of Object.keys(modes)) {
      const key = `${name}.c${clients}.${modeName}`;
      console.log(`BENCH gateway.${key}.rps ${med(key, 'rps').toFixed(1)} req/s`);
      console.log(`BENCH gateway.${key}.p99 ${med(key, 'p99').toFixed(1)} ms`);
      if (modes[modeName].pid) {
        console.log(`BENCH gateway.${key}.gateway_cpu ${med(key, 'cpu').toFixed(2)} ms/req`);
      }
      console.log(`BENCH gateway.${key}.deals_subgraph_cpu ${med(key, 'dealsCpu').toFixed(2)} ms/req`);
      console.log(`BENCH gateway.${key}.all_subgraphs_cpu ${med(key, 'subgraphsCpu').toFixed(2)} ms/req`);
      console.log(`BENCH gateway.${key}.machine_cpu ${med(key, 'machineCpu').toFixed(2)} ms/req`);
      console.log(`BENCH gateway.${key}.machine_idle ${(100 * med(key, 'idle')).toFixed(1)} %`);
    }
    // the ratio per round (both ran in it), then the median
    const ratios = results
      .get(`${name}.c${clients}.ours`)
      .map((r, i) => r.rps / results.get(`${name}.c${clients}.hive`)[i].rps);
    console.log(`BENCH gateway.${name}.c${clients}.ours_to_hive_rps ${median(ratios).toFixed(2)} ratio`);
  }
  console.log(
    `# ${ROUNDS} interleaved rounds × ${SECONDS} s per mode, medians; ${PAGE_DEALS}-deal page has ${PAGE_DEALS * 3} tranches`,
  );
} finally {
  hive?.kill('SIGTERM');
  await stack.stop();
}
