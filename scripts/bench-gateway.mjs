#!/usr/bin/env node
// bench:gateway — the same data fetched through the gateway (one federated query touching the
// deals, investors and distributions subgraphs) and directly from the subgraphs (the three
// calls the gateway's query plan makes), in one run on one fresh stack. Prints req/s and p99
// per mode, medians of several rounds, and their ratio. A benchmark, not a test.
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = resolve(import.meta.dirname, '..');
const { startThrowawayStack, seedDemo } = await import('../packages/devstack/dist/index.js');
const { fetchUserToken } = await import('../packages/dev-issuer/dist/index.js');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const stack = await startThrowawayStack({
  label: 'bench',
  root,
  dataDir: resolve(root, '.data/bench'),
  nodeEnv: 'test',
  logLevel: 'warn',
});

async function post(url, token, query, variables = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

try {
  await seedDemo(stack.gatewayUrl, stack.issuerUrl);
  const token = await fetchUserToken(stack.issuerUrl, 'arranger@acme.test');
  const FEDERATED =
    '{ deals { items { id name investorCount tranches { id name distributions { id period interestAmount } } } } }';

  const federated = () => post(stack.gatewayUrl, token, FEDERATED);
  // What the query plan does, done by hand: the deals page, then each extension by reference.
  const direct = async () => {
    const { deals } = await post(
      stack.subgraphUrls.deals,
      token,
      '{ deals { items { id name tranches { id name } } } }',
    );
    const dealRefs = deals.items.map((d) => ({ __typename: 'Deal', id: d.id }));
    const trancheRefs = deals.items.flatMap((d) =>
      d.tranches.map((t) => ({ __typename: 'Tranche', id: t.id })),
    );
    await Promise.all([
      post(
        stack.subgraphUrls.investors,
        token,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Deal { investorCount } } }',
        {
          r: dealRefs,
        },
      ),
      post(
        stack.subgraphUrls.distributions,
        token,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Tranche { distributions { id period interestAmount } } } }',
        { r: trancheRefs },
      ),
    ]);
  };

  async function load(fn) {
    const latencies = [];
    const end = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          await fn();
          latencies.push(performance.now() - t);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return {
      rps: latencies.length / SECONDS,
      p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))],
    };
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  await load(federated); // warm-up (JIT, pools, JWKS cache)
  await load(direct);
  const runs = { federated: [], direct: [] };
  for (let i = 0; i < ROUNDS; i += 1) {
    runs.federated.push(await load(federated));
    runs.direct.push(await load(direct));
  }
  const f = { rps: median(runs.federated.map((r) => r.rps)), p99: median(runs.federated.map((r) => r.p99)) };
  const d = { rps: median(runs.direct.map((r) => r.rps)), p99: median(runs.direct.map((r) => r.p99)) };
  const ratios = runs.federated.map((r, i) => r.rps / runs.direct[i].rps);
  console.log(`BENCH gateway.federated_rps ${f.rps.toFixed(1)} req/s`);
  console.log(`BENCH gateway.federated_p99 ${f.p99.toFixed(1)} ms`);
  console.log(`BENCH gateway.direct_rps ${d.rps.toFixed(1)} req/s`);
  console.log(`BENCH gateway.direct_p99 ${d.p99.toFixed(1)} ms`);
  console.log(`BENCH gateway.federated_to_direct_rps_ratio ${median(ratios).toFixed(2)} ratio`);
  console.log(`# ${ROUNDS} rounds × ${SECONDS} s, ${CONCURRENCY} concurrent clients, medians`);
} finally {
  await stack.stop();
}
