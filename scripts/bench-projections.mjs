#!/usr/bin/env node
// bench:projections — a 25-scenario projectionGrid of a 10,000-loan deal through the gateway,
// while a cheap deals query runs beside it: the grid's wall time and the cheap query's p99 with
// and without the grid. The projections run on the distributions subgraph's worker-thread pool,
// so its event loop (and every other request) keeps moving. A benchmark, not a test.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = resolve(import.meta.dirname, '..');
const { startThrowawayStack, seedDemo } = await import('../packages/devstack/dist/index.js');
const { fetchUserToken } = await import('../packages/dev-issuer/dist/index.js');

const LOANS = Number(process.env.BENCH_LOANS ?? 10_000);
const SCENARIOS = 25;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const BASELINE_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function post(url, token, query, variables = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
  return body.data;
}

// Deterministic pool of fixed-rate loans summing exactly to the demo deal's classes
// (500,000,000.00); only the fields the engine needs, so the document stays under the
// subgraphs' 1 MB request limit once the gateway forwards it.
function collateral(count, total) {
  let seed = 7;
  const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const weights = Array.from({ length: count }, () => 0.5 + rnd());
  const sum = weights.reduce((a, b) => a + b, 0);
  let assigned = 0;
  const loans = weights.map((w, i) => {
    const balance = i === count - 1 ? total - assigned : Math.floor((w / sum) * total);
    assigned += balance;
    const remainingTerm = 300 + Math.floor(rnd() * 61);
    return { balance, couponPct: 5.5 + Math.floor(rnd() * 16) / 8, originalTerm: 360, remainingTerm };
  });
  return JSON.stringify({ loans });
}

const p99 = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? NaN;
};

// CONCURRENCY clients sending `query` back to back until `until()` says stop; latencies in ms.
async function cheapLoad(url, token, query, until) {
  const latencies = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (!until()) {
        const t = performance.now();
        await post(url, token, query);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return latencies;
}

const stack = await startThrowawayStack({
  label: 'bench_projections',
  root,
  dataDir: resolve(root, '.data/bench-projections'),
  nodeEnv: 'test',
  logLevel: 'warn',
});

try {
  await seedDemo(stack.gatewayUrl, stack.issuerUrl);
  const token = await fetchUserToken(stack.issuerUrl, 'arranger@acme.test');
  const { deals } = await post(stack.gatewayUrl, token, '{ deals { items { id name } } }');
  const deal = deals.items.find((d) => d.name === 'Acme Prime RMBS 2026-1');
  if (!deal) throw new Error('the demo deal Acme Prime RMBS 2026-1 was not seeded');
  const rules = readFileSync(resolve(root, 'packages/devstack/src/demo/acme-rules.json'), 'utf8');
  const loans = collateral(LOANS, 500_000_000);
  await post(
    stack.gatewayUrl,
    token,
    'mutation($id: ID!, $input: DealStructureInput!) { setDealStructure(id: $id, input: $input) { id } }',
    { id: deal.id, input: { waterfallRules: rules, collateral: loans } },
  );
  console.log(`# deal ${deal.id}: ${LOANS} loans (${(loans.length / 1e6).toFixed(2)} MB of collateral JSON)`);

  const GRID =
    'query($id: ID!, $s: [ScenarioInput!]!) { deal(id: $id) { projectionGrid(scenarios: $s) { scenarioName poolWal classes { classId wal principalWindowFirst principalWindowLast } } } }';
  const scenarios = Array.from({ length: SCENARIOS }, (_, i) => ({
    name: `PSA ${50 + i * 25}`,
    prepayment: { model: 'PSA', rate: 50 + i * 25 },
    defaults: { model: 'CDR', rate: 1 },
    severityPct: 35,
    recoveryLagMonths: 6,
  }));
  const grid = async () => {
    const t = performance.now();
    const data = await post(stack.gatewayUrl, token, GRID, { id: deal.id, s: scenarios });
    if (data.deal.projectionGrid.length !== SCENARIOS) throw new Error('the grid lost scenarios');
    return performance.now() - t;
  };
  // Two cheap queries: one the deals subgraph answers alone, one that also asks the
  // distributions subgraph (the one running the projections) for every tranche's payments.
  const CHEAP = {
    deals: '{ deals { items { id name status } } }',
    deals_with_distributions: '{ deals { items { id name tranches { id distributions { id } } } } }',
  };

  await grid(); // warm-up: threads started, JIT, connection pools
  for (const query of Object.values(CHEAP)) {
    const end = performance.now() + 1000;
    await cheapLoad(stack.gatewayUrl, token, query, () => performance.now() > end);
  }

  for (const [name, query] of Object.entries(CHEAP)) {
    const end = performance.now() + BASELINE_SECONDS * 1000;
    const idle = await cheapLoad(stack.gatewayUrl, token, query, () => performance.now() > end);
    let gridDone = false;
    let gridMs = NaN;
    const [busy] = await Promise.all([
      cheapLoad(stack.gatewayUrl, token, query, () => gridDone),
      grid().then((ms) => {
        gridMs = ms;
        gridDone = true;
      }),
    ]);
    console.log(
      `# ${name}: ${idle.length} requests alone, ${busy.length} during the grid (${CONCURRENCY} clients)`,
    );
    console.log(`BENCH projections.${name}_p99_idle ${p99(idle).toFixed(1)} ms`);
    console.log(`BENCH projections.${name}_p99_during_grid ${p99(busy).toFixed(1)} ms`);
    console.log(`BENCH projections.${name}_max_during_grid ${Math.max(...busy).toFixed(1)} ms`);
    console.log(`BENCH projections.grid_25x${LOANS}_wall_ms ${gridMs.toFixed(0)} ms`);
  }
} finally {
  await stack.stop();
}
