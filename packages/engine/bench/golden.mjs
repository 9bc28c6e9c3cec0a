// Golden outputs: SHA-256 of the full JSON-serialized projection results over every example rule
// document and the benchmark's pool under a spread of scenarios. A performance change must leave
// every hash unchanged (same numbers, bit for bit). Runs on the built package (dist/).
// Usage: node bench/golden.mjs            prints `GOLDEN <case> <sha256>` lines and a total
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { prepareDeal, projectDeal, projectPrepared, projectScenarios } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const examples = join(here, '..', 'examples');

// Bit-exact JSON: bigints, Maps, typed arrays and negative zero spelled out.
const replacer = (_key, v) => {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  if (v instanceof Map) return { map: [...v.entries()] };
  if (ArrayBuffer.isView(v)) return { typed: Array.from(v, (x) => (Object.is(x, -0) ? '-0' : x)) };
  return v;
};
const hash = (x) => createHash('sha256').update(JSON.stringify(x, replacer)).digest('hex');

let seed = 7;
const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;

/** A mixed pool: fixed, IO, balloons, seasoned loans and ARMs on two indices, optionally grouped. */
function mixedLoans(count, total, groups) {
  const loans = [];
  for (let i = 0; i < count; i++) {
    const kind = rnd();
    const age = Math.floor(rnd() * 40);
    const loan = {
      id: `M${i}`,
      balance: Math.round((total / count) * (0.5 + rnd()) * 100) / 100,
      couponPct: Math.round((3.5 + rnd() * 5) * 1000) / 1000,
      servicingFeePct: 0.25,
      otherFeePct: i % 3 === 0 ? 0.05 : 0,
      originalTerm: 360,
      remainingTerm: 360 - age,
      age,
    };
    if (groups) loan.group = groups[i % groups.length];
    if (kind < 0.1) loan.ioMonths = 120;
    else if (kind < 0.18) {
      loan.originalTerm = 180;
      loan.remainingTerm = 180 - age;
      loan.amortizationTerm = 360;
    } else if (kind < 0.45)
      loan.arm = {
        index: kind < 0.35 ? 'SOFR' : 'CMT1Y',
        marginPct: 2.25 + rnd(),
        initialFixedMonths: kind < 0.3 ? 60 : 36,
        resetFrequencyMonths: kind < 0.4 ? 12 : 6,
        initialCapPct: 5,
        periodicCapPct: 2,
        periodicFloorPct: kind < 0.25 ? 1 : undefined,
        lifetimeCapPct: 11,
        lifetimeFloorPct: 2.25,
        lookbackMonths: kind < 0.3 ? 0 : 2,
        roundingPct: kind < 0.4 ? 0.125 : 0,
      };
    if (loan.arm && loan.arm.periodicFloorPct === undefined) delete loan.arm.periodicFloorPct;
    loans.push(loan);
  }
  return loans;
}

const curves = {
  flat: { SOFR: 4.3, CMT1Y: 4.1 },
  rising: {
    SOFR: Array.from({ length: 360 }, (_, k) => 3 + k / 40),
    CMT1Y: Array.from({ length: 360 }, (_, k) => 3.2 + k / 50),
  },
  wavy: {
    SOFR: Array.from({ length: 360 }, (_, k) => 4 + Math.sin(k / 24)),
    CMT1Y: Array.from({ length: 120 }, (_, k) => 4 + Math.cos(k / 10)),
  },
};

const scenarios = [];
for (const psa of [50, 150, 400])
  for (const cdr of [0, 1, 5])
    scenarios.push({
      name: `PSA ${psa} CDR ${cdr}`,
      prepayment: { type: 'PSA', speed: psa },
      ...(cdr > 0 ? { default: { type: 'CDR', cdr } } : {}),
      severityPct: 35,
      recoveryLagMonths: 6,
      advancing: cdr === 5 ? 'interest' : 'principalAndInterest',
      indexCurves: curves[['flat', 'rising', 'wavy'][(psa + cdr) % 3]],
    });
const extra = [
  {
    prepayment: { type: 'CPR', cpr: [2, 4, 6, 8, 10] },
    default: { type: 'SDA', speed: 200 },
    severityPct: 40,
    recoveryLagMonths: 12,
    advancing: 'principalAndInterest',
    indexCurves: curves.rising,
  },
  {
    prepayment: { type: 'SMM', smm: 0.7 },
    default: { type: 'CDR', cdr: [0, 0.5, 2] },
    severityPct: 25,
    recoveryLagMonths: 3,
    indexCurves: curves.wavy,
    cleanUpCallPct: 10,
  },
  {
    prepayment: { type: 'PSA', speed: 250 },
    indexCurves: curves.flat,
    horizonMonths: 100,
    conventions: { walFrom: 'cutoff', walDayCount: 'ACT/365', walWeights: 'principalPaid' },
  },
  JSON.parse(readFileSync(join(examples, 'scenarios', 'ppc-prime.json'), 'utf8')),
  {
    ...JSON.parse(readFileSync(join(examples, 'scenarios', 'ppc-prime.json'), 'utf8')),
    default: { type: 'CDR', cdr: 2 },
    severityPct: 30,
    recoveryLagMonths: 8,
    advancing: 'principalAndInterest',
    indexCurves: curves.rising,
  },
];
const all = [...scenarios, ...extra].map((s) => ({
  ...s,
  indexCurves: { ...curves.flat, ...s.indexCurves },
}));

const out = [];
const record = (name, value) => {
  const h = hash(value);
  out.push(h);
  console.log(`GOLDEN ${name} ${h}`);
};
const capture = (f) => {
  try {
    return f();
  } catch (e) {
    console.log(`# error: ${e?.message ?? e}`);
    return { error: String(e?.message ?? e) };
  }
};

// Every example rule document with a mixed pool sized to its classes.
for (const file of readdirSync(examples)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const rules = JSON.parse(readFileSync(join(examples, file), 'utf8'));
  const total = rules.classes.reduce((s, c) => s + Number(c.balance ?? 0), 0);
  const groups = rules.collateralGroups?.map((g) => g.id);
  seed = 7;
  const loans = mixedLoans(150, total * 1.03, groups && groups.length > 1 ? groups : undefined);
  const prepared = prepareDeal({ loans }, rules);
  // Reusing one prepared deal across scenarios, as the grid does.
  const results = all.map((s) => capture(() => projectPrepared(prepared, s)));
  record(`example:${file}`, results);
  // A PSA collar projects the collateral without index curves: ARM-free loans for those documents.
  if (rules.schedules?.some((x) => x.psaCollar)) {
    const fixed = loans.filter((l) => !l.arm);
    const p2 = prepareDeal({ loans: fixed }, rules);
    record(
      `example-fixed:${file}`,
      all.map((s) => capture(() => projectPrepared(p2, s))),
    );
  }
  // A projection continued from a mid-life state.
  const mid = capture(() =>
    projectDeal({ collateral: { loans }, rules, scenario: { ...all[4], horizonMonths: 24 } }),
  );
  if (mid.finalState && !rules.schedules?.some((x) => x.psaCollar)) {
    record(
      `example-state:${file}`,
      capture(() => projectDeal({ collateral: { loans }, rules, scenario: all[4], state: mid.finalState })),
    );
  }
  // One-loan pool, as the rule tests use.
  record(
    `example-one-loan:${file}`,
    capture(() =>
      projectScenarios({
        collateral: {
          loans: [
            {
              balance: total * 1.03,
              couponPct: 8,
              servicingFeePct: 0.5,
              originalTerm: 360,
              remainingTerm: 350,
            },
          ],
        },
        rules,
        scenarios: [all[1], all[7], all[10]],
      }),
    ),
  );
}

// Edge cases of the collateral model: zero coupons and balances, one month left, IO to maturity,
// balloons, ARMs reset to zero or held by floors and caps, mixed terms, full prepayment.
{
  const rules = JSON.parse(readFileSync(join(examples, 'sequential-four-class.json'), 'utf8'));
  const total = rules.classes.reduce((t, c) => t + Number(c.balance ?? 0), 0);
  const base = { servicingFeePct: 0.25, originalTerm: 360 };
  const loans = [
    { ...base, balance: total * 0.2, couponPct: 0, remainingTerm: 300 },
    { ...base, balance: 0, couponPct: 5, remainingTerm: 200 },
    { ...base, balance: total * 0.01, couponPct: 6, remainingTerm: 1 },
    { ...base, balance: total * 0.1, couponPct: 6, remainingTerm: 120, ioMonths: 360 },
    {
      ...base,
      balance: total * 0.1,
      couponPct: 6.5,
      originalTerm: 84,
      remainingTerm: 60,
      amortizationTerm: 360,
    },
    { ...base, balance: total * 0.1, couponPct: 0.2, servicingFeePct: 0.5, remainingTerm: 240 },
    {
      ...base,
      balance: total * 0.15,
      couponPct: 3,
      remainingTerm: 330,
      arm: { index: 'LOW', marginPct: -5, initialFixedMonths: 30, resetFrequencyMonths: 1 },
    },
    {
      ...base,
      balance: total * 0.15,
      couponPct: 3,
      remainingTerm: 358,
      arm: {
        index: 'LOW',
        marginPct: 1,
        initialFixedMonths: 0,
        resetFrequencyMonths: 3,
        periodicCapPct: 0.25,
        lifetimeCapPct: 4,
        lookbackMonths: 45,
      },
    },
    {
      ...base,
      balance: total * 0.12,
      couponPct: 7,
      remainingTerm: 240,
      arm: {
        index: 'SOFR',
        marginPct: 2,
        initialFixedMonths: 120,
        resetFrequencyMonths: 7,
        initialCapPct: 0,
        lifetimeFloorPct: 6.9,
      },
    },
  ];
  const low = Array.from({ length: 400 }, (_, k) => Math.max(0, 3 - k / 50));
  const edgeScenarios = [
    { prepayment: { type: 'CPR', cpr: 0 }, indexCurves: { LOW: low, SOFR: 5 } },
    { prepayment: { type: 'SMM', smm: [0, 0, 100] }, indexCurves: { LOW: low, SOFR: 5 } },
    {
      prepayment: { type: 'PSA', speed: 1000 },
      default: { type: 'CDR', cdr: 30 },
      severityPct: 100,
      indexCurves: { LOW: low, SOFR: 5 },
    },
    {
      prepayment: { type: 'PSA', speed: 100 },
      default: { type: 'SDA', speed: 500 },
      severityPct: 50,
      recoveryLagMonths: 24,
      advancing: 'principalAndInterest',
      indexCurves: { LOW: low, SOFR: [9, 1, 9] },
      horizonMonths: 50,
    },
  ];
  const edgeResults = edgeScenarios.map((sc) =>
    capture(() => projectDeal({ collateral: { loans }, rules, scenario: sc })),
  );
  if (process.env.GOLDEN_VERBOSE)
    console.log(
      '# edge periods',
      edgeResults.map((r) => r.periods?.length ?? r.error),
    );
  record('edge', edgeResults);
}

// The benchmark's pool and rules (same generator as projection-bench.mjs).
{
  let s = 42;
  const r = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const loanCount = Number(process.argv[2] ?? 10_000);
  const loans = [];
  let totalCents = 0n;
  for (let i = 0; i < loanCount; i++) {
    const balance = Math.round((150_000 + r() * 850_000) * 100) / 100;
    totalCents += BigInt(Math.round(balance * 100));
    const kind = r();
    const loan = {
      id: `L${i}`,
      balance,
      couponPct: Math.round((4.5 + r() * 3) * 1000) / 1000,
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
  const rules = JSON.parse(readFileSync(join(examples, 'shifting-interest.json'), 'utf8'));
  const notes = rules.classes.filter((c) => !c.residual);
  const docTotal = notes.reduce((t, c) => t + BigInt(Math.round(c.balance * 100)), 0n);
  let assigned = 0n;
  notes.forEach((c, i) => {
    const cents =
      i === notes.length - 1
        ? totalCents - assigned
        : (BigInt(Math.round(c.balance * 100)) * totalCents) / docTotal;
    assigned += cents;
    c.balance = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
  });
  const bench = {
    prepayment: { type: 'PSA', speed: 150 },
    default: { type: 'CDR', cdr: 1 },
    severityPct: 35,
    recoveryLagMonths: 6,
    advancing: 'principalAndInterest',
    indexCurves: { SOFR: Array.from({ length: 360 }, (_, k) => 4 + Math.sin(k / 24)) },
  };
  record('bench:projectDeal', projectDeal({ collateral: { loans }, rules, scenario: bench }));
  const prepared = prepareDeal({ loans }, rules);
  for (const sc of [...scenarios, extra[0], extra[1], extra[4]])
    record(`bench:${sc.name ?? 'extra'}`, projectPrepared(prepared, sc));
}

console.log(`GOLDEN total ${createHash('sha256').update(out.join('\n')).digest('hex')}`);
