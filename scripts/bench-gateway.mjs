#!/usr/bin/env node
// bench:gateway — one stack, three ways in: our gateway (@apollo/gateway), Hive Gateway with its
// Rust query planner (bench/hive-gateway.mjs, same committed supergraph, request de-duplication
// off), and the subgraphs called directly with the calls a query plan makes. Two queries that
// cross the deals, investors and distributions subgraphs — one deal, and a 100-deal page with
// its 300 tranches and their distributions — at 1, 8 and 32 concurrent clients. Rounds are
// interleaved (every mode runs once per round before the next round starts) and the figures
// are medians over rounds: req/s, p99 latency, and CPU per request (from /proc, user + system)
// of the gateway process, of each of the four subgraphs and their sum (the audit subgraph takes
// no part in the queries; its share is its background work), of PostgreSQL (every postgres
// process on this machine), of this client, and of the whole machine (every process on it, and
// the kernel: loopback network time lands on whichever process the kernel was running, so
// PostgreSQL's figure moves between modes while its sum with the unattributed rest does not),
// with the machine's idle share (near 0: throughput is bounded by CPU, so it follows the CPU per request of
// everything a request touches, not of the gateway alone). Every other round runs the modes in
// reverse order. Then `alone`: a second pair of gateways (ours and Hive) over stand-ins that
// replay the subgraphs' recorded answers, so that the gateways' own speed is what is measured.
// A benchmark, not a test.
//
//   BENCH_ROUNDS=3 BENCH_SECONDS=4 BENCH_CLIENTS=1,8,32 npm run bench:gateway
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpuMs, machineMs, pidOn, postgresCpuMs } from './proc-cpu.mjs';

const root = resolve(import.meta.dirname, '..');
const { startThrowawayStack, seedDemo, freePort, waitForHttp, SERVICE_NODE_FLAGS } =
  await import('../packages/devstack/dist/index.js');
const { fetchUserToken } = await import('../packages/dev-issuer/dist/index.js');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,8,32').split(',').map(Number);
const PAGE_DEALS = 100;

const stack = await startThrowawayStack({
  label: 'bench',
  root,
  dataDir: resolve(root, '.data/bench'),
  nodeEnv: 'test',
  logLevel: 'warn',
});
let hive;
let oursAlone;
let hiveAlone;
let replay;

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

/** This benchmark process's own CPU time so far (the clients), milliseconds. */
const clientMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

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
  hive = spawn(process.execPath, [...SERVICE_NODE_FLAGS, resolve(root, 'bench/hive-gateway.mjs')], {
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
  const subgraphPids = Object.fromEntries(
    Object.keys(stack.subgraphUrls).map((name) => [name, pidOn(stack.ports[name])]),
  );
  const subgraphCpuMs = () =>
    Object.fromEntries(Object.entries(subgraphPids).map(([name, pid]) => [name, cpuMs(pid)]));

  // Both gateways must give the same answers before their speed means anything.
  for (const q of Object.values(queries)) {
    const [a, b] = await Promise.all([modes.ours.run(q), modes.hive.run(q)]);
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('our gateway and Hive Gateway disagree');
  }

  async function load(mode, name, clients) {
    const q = queries[name];
    const latencies = [];
    const cpu0 = mode.pid ? cpuMs(mode.pid) : 0;
    const subgraphs0 = subgraphCpuMs();
    const machine0 = machineMs();
    const pg0 = postgresCpuMs();
    const client0 = clientMs();
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
      // per subgraph, and their sum
      ...(() => {
        const now = subgraphCpuMs();
        const per = Object.fromEntries(
          Object.keys(now).map((sg) => [`${sg}Cpu`, (now[sg] - subgraphs0[sg]) / n]),
        );
        return { ...per, subgraphsCpu: Object.values(per).reduce((a, b) => a + b, 0) };
      })(),
      ...(() => {
        const m = machineMs();
        const idle = m.idle - machine0.idle;
        const total = m.total - machine0.total;
        return {
          idle: idle / total,
          machineCpu: (total - idle) / n,
          postgresCpu: (postgresCpuMs() - pg0) / n,
          clientCpu: (clientMs() - client0) / n,
        };
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
      // every other round in reverse order, so that a drift of the machine's other load over a
      // round does not favour the mode that always runs first
      const order = Object.entries(modes);
      if (round % 2) order.reverse();
      for (const [modeName, mode] of order) {
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
      for (const sg of Object.keys(subgraphPids)) {
        console.log(`BENCH gateway.${key}.${sg}_subgraph_cpu ${med(key, `${sg}Cpu`).toFixed(2)} ms/req`);
      }
      console.log(`BENCH gateway.${key}.all_subgraphs_cpu ${med(key, 'subgraphsCpu').toFixed(2)} ms/req`);
      console.log(`BENCH gateway.${key}.postgres_cpu ${med(key, 'postgresCpu').toFixed(2)} ms/req`);
      console.log(`BENCH gateway.${key}.client_cpu ${med(key, 'clientCpu').toFixed(2)} ms/req`);
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

  // The gateways alone: a second pair of gateways in front of stand-ins that replay the answers
  // the subgraphs gave to the first calls (recorded through them), so that no subgraph or
  // database work shares the machine and throughput follows the gateways' own CPU.
  replay = await replayingSubgraphs(stack.subgraphUrls);
  const alonePort = await freePort();
  const aloneEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    OIDC_ISSUER: stack.issuerUrl,
    GATEWAY_PORT: String(alonePort),
    ...Object.fromEntries(Object.entries(replay.urls).map(([n, url]) => [`${n.toUpperCase()}_URL`, url])),
  };
  oursAlone = spawn(process.execPath, [...SERVICE_NODE_FLAGS, resolve(root, 'gateway/dist/main.js')], {
    env: aloneEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForHttp(`http://127.0.0.1:${alonePort}/health/ready`, null);
  const hiveAlonePort = await freePort();
  hiveAlone = spawn(process.execPath, [...SERVICE_NODE_FLAGS, resolve(root, 'bench/hive-gateway.mjs')], {
    env: { ...process.env, PORT: String(hiveAlonePort), SUBGRAPH_URLS: JSON.stringify(replay.urls) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForHttp(`http://127.0.0.1:${hiveAlonePort}/healthcheck`, null);
  const alone = {
    ours: {
      pid: oursAlone.pid,
      run: (q) => post(`http://127.0.0.1:${alonePort}/graphql`, token, q.query, q.variables),
    },
    hive: {
      pid: hiveAlone.pid,
      run: (q) => post(`http://127.0.0.1:${hiveAlonePort}/graphql`, token, q.query, q.variables),
    },
  };
  for (const q of Object.values(queries)) {
    const expected = await modes.ours.run(q);
    for (const mode of Object.values(alone)) {
      if (JSON.stringify(await mode.run(q)) !== JSON.stringify(expected)) {
        throw new Error('a gateway over the replayed subgraphs answers differently');
      }
    }
  }
  replay.stopRecording();
  for (const cell of cells)
    for (const mode of Object.values(alone)) await load(mode, cell.name, cell.clients);
  for (const { name, clients } of cells) {
    const runs = { ours: [], hive: [] };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const modeName of round % 2 ? ['hive', 'ours'] : ['ours', 'hive']) {
        runs[modeName].push(await load(alone[modeName], name, clients));
      }
    }
    for (const [modeName, rs] of Object.entries(runs)) {
      const key = `alone.${name}.c${clients}.${modeName}`;
      console.log(`BENCH gateway.${key}.rps ${median(rs.map((r) => r.rps)).toFixed(1)} req/s`);
      console.log(`BENCH gateway.${key}.p99 ${median(rs.map((r) => r.p99)).toFixed(1)} ms`);
      console.log(`BENCH gateway.${key}.gateway_cpu ${median(rs.map((r) => r.cpu)).toFixed(2)} ms/req`);
    }
    const ratios = runs.ours.map((r, i) => r.rps / runs.hive[i].rps);
    console.log(
      `BENCH gateway.alone.${name}.c${clients}.ours_to_hive_rps ${median(ratios).toFixed(2)} ratio`,
    );
  }
  console.log(`# alone: both gateways over stand-ins replaying recorded subgraph answers (no subgraph work)`);
} finally {
  await replay?.close();
  hive?.kill('SIGTERM');
  oursAlone?.kill('SIGTERM');
  hiveAlone?.kill('SIGTERM');
  await stack.stop();
}

/**
 * Stand-ins for the subgraphs: each forwards a call to its subgraph until recording stops, keeps
 * the answer by the call's shape (root field, or the number of entity representations), and
 * from then on answers every call of that shape with it, without a subgraph behind.
 */
async function replayingSubgraphs(subgraphUrls) {
  const answers = new Map();
  let recording = true;
  const servers = [];
  const urls = {};
  for (const [name, url] of Object.entries(subgraphUrls)) {
    const server = createServer((req, res) => {
      if (req.method !== 'POST') {
        // the gateway's readiness check (/health/ready of each subgraph)
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"status":"ready"}');
      }
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        try {
          const raw = Buffer.concat(chunks).toString('utf8');
          const { query, variables } = JSON.parse(raw);
          const reps = variables?.representations;
          const key = `${name} ${reps ? `_entities × ${reps.length}` : /\{\s*(\w+)/.exec(query)?.[1]}`;
          let answer = answers.get(key);
          if (!answer && recording) {
            const upstream = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' },
              body: raw,
            });
            answer = await upstream.text();
            if (upstream.ok) answers.set(key, answer);
          }
          res.writeHead(answer ? 200 : 500, { 'content-type': 'application/json' });
          res.end(answer ?? JSON.stringify({ errors: [{ message: `nothing recorded for ${key}` }] }));
        } catch (err) {
          res.writeHead(500);
          res.end(String(err));
        }
      });
    });
    const port = await freePort();
    await new Promise((r) => server.listen(port, '127.0.0.1', r));
    servers.push(server);
    urls[name] = `http://127.0.0.1:${port}/graphql`;
  }
  return {
    urls,
    stopRecording: () => {
      recording = false;
    },
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise((r) => {
              server.closeAllConnections();
              server.close(r);
            }),
        ),
      ),
  };
}
