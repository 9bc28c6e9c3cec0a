// Benchmark: loan-level projection of 10,000 loans x 360 months through a 10-class waterfall.
// Runs on the built package (dist/), prints `BENCH <metric> <value> <unit>` lines.
// Then a 25-scenario grid (PSA 50..650) split across one worker thread per core, from scratch
// (each thread prepares the deal, then projects its share), and the same grid on a warm pool of
// long-lived threads (how the distributions subgraph runs it).
// Usage: node bench/projection-bench.mjs [runs=7] [loans=10000]
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { projectDeal } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.argv[2] ?? 7);
const loanCount = Number(process.argv[3] ?? 10_000);

// Deterministic pseudo-random pool (LCG): fixed-rate, interest-only and 5/1 ARM loans, 360-month terms.
let seed = 42;
const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
const loans = [];
let totalCents = 0n;
for (let i = 0; i < loanCount; i++) {
  const balance = Math.round((150_000 + rnd() * 850_000) * 100) / 100;
  totalCents += BigInt(Math.round(balance * 100));
  const kind = rnd();
  const loan = {
    id: `L${i}`,
    balance,
    couponPct: Math.round((4.5 + rnd() * 3) * 1000) / 1000,
    servicingFeePct: 0.25,
    originalTerm: 360,
    remainingTerm: 360,
    age: 0,
  };
  if (kind < 0.1) loan.ioMonths = 120;
  else if (kind < 0.3)
    loan.arm = {
      index: 'SOFR',
      marginPct: 2.75,
      initialFixedMonths: 60,
      resetFrequencyMonths: 12,
      initialCapPct: 5,
      periodicCapPct: 2,
      lifetimeCapPct: 11,
      lifetimeFloorPct: 2.75,
      roundingPct: 0.125,
    };
  loans.push(loan);
}

// The 10-class shifting-interest example, resized to the pool (class shares kept, B3 takes the rounding).
const rules = JSON.parse(readFileSync(join(here, '..', 'examples', 'shifting-interest.json'), 'utf8'));
const notes = rules.classes.filter((c) => !c.residual);
const docTotal = notes.reduce((s, c) => s + BigInt(Math.round(c.balance * 100)), 0n);
let assigned = 0n;
notes.forEach((c, i) => {
  const cents =
    i === notes.length - 1
      ? totalCents - assigned
      : (BigInt(Math.round(c.balance * 100)) * totalCents) / docTotal;
  assigned += cents;
  c.balance = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
});

const scenario = {
  prepayment: { type: 'PSA', speed: 150 },
  default: { type: 'CDR', cdr: 1 },
  severityPct: 35,
  recoveryLagMonths: 6,
  advancing: 'principalAndInterest',
  indexCurves: { SOFR: Array.from({ length: 360 }, (_, k) => 4 + Math.sin(k / 24)) },
};

const times = [];
let result;
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  result = projectDeal({ collateral: { loans }, rules, scenario });
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const loanMonths = loanCount * 360;
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `# ${loanCount} loans x 360 months, ${notes.length + 1} classes, ${runs} runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms`,
);
console.log(`# periods ${result.periods.length}, A1 WAL ${result.classes[0].wal?.toFixed(3)}`);
console.log(`BENCH engine.projection_10k_360_ms ${median.toFixed(1)} ms`);
console.log(`BENCH engine.loan_months_per_s ${Math.round(loanMonths / (median / 1000))} loan-months/s`);
console.log(`BENCH engine.peak_rss_mb ${rssMb.toFixed(1)} MB`);

// The grid: scenarios dealt round-robin to one thread per core; wall time from starting the
// threads to the last WAL back, threads' start-up and the deal's preparation included.
const threads = availableParallelism();
const grid = Array.from({ length: 25 }, (_, i) => ({
  ...scenario,
  name: `PSA ${50 + i * 25}`,
  prepayment: { type: 'PSA', speed: 50 + i * 25 },
}));
const runGrid = async () => {
  const t0 = performance.now();
  const shares = Array.from({ length: threads }, (_, t) => grid.filter((_, i) => i % threads === t));
  await Promise.all(
    shares.map(
      (share) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL('./grid-worker.mjs', import.meta.url), {
            workerData: { loans, rules, scenarios: share },
          });
          worker.once('message', (wals) => void worker.terminate().then(() => resolve(wals)));
          worker.once('error', reject);
        }),
    ),
  );
  return performance.now() - t0;
};
const gridRuns = Math.max(1, Math.min(runs, 3));
const gridTimes = [];
for (let r = 0; r < gridRuns; r++) gridTimes.push(await runGrid());
gridTimes.sort((a, b) => a - b);
const gridMedian = gridTimes[Math.floor(gridTimes.length / 2)];
console.log(
  `# grid: 25 scenarios on ${threads} threads, ${gridRuns} runs: ${gridTimes.map((t) => t.toFixed(0)).join(', ')} ms`,
);
console.log(`BENCH engine.grid_25x10k_360_ms ${gridMedian.toFixed(1)} ms`);

console.log(
  `BENCH engine.grid_loan_months_per_s ${Math.round((25 * loanMonths) / (gridMedian / 1000))} loan-months/s`,
);

// The same grid on a warm pool, as the distributions subgraph runs it: long-lived threads (one
// per core) that have prepared this deal and projected one grid before, so the figure is the
// projections' own wall time, without thread start-up, module loading and JIT warm-up.
const pool = Array.from(
  { length: threads },
  () => new Worker(new URL('./grid-pool-worker.mjs', import.meta.url), { workerData: { loans, rules } }),
);
const onPool = (share, worker) =>
  new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage(share);
  });
const runWarmGrid = async () => {
  const t0 = performance.now();
  await Promise.all(
    pool.map((worker, t) =>
      onPool(
        grid.filter((_, i) => i % threads === t),
        worker,
      ),
    ),
  );
  return performance.now() - t0;
};
await runWarmGrid(); // warm-up
const warmTimes = [];
for (let r = 0; r < Math.max(3, gridRuns); r++) warmTimes.push(await runWarmGrid());
await Promise.all(pool.map((worker) => worker.terminate()));
warmTimes.sort((a, b) => a - b);
const warmMedian = warmTimes[Math.floor(warmTimes.length / 2)];
console.log(
  `# warm pool grid: 25 scenarios on ${threads} threads, ${warmTimes.length} runs: ${warmTimes.map((t) => t.toFixed(0)).join(', ')} ms`,
);
console.log(`BENCH engine.grid_25x10k_360_warm_pool_ms ${warmMedian.toFixed(1)} ms`);
