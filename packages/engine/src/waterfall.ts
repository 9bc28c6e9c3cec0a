import {
  compileSched,
  schedAt,
  type CClass,
  type CompiledDeal,
  type CRule,
  type CStep,
  type Rate,
} from './compile.js';
import { accrualDays, formatDate } from './dates.js';
import type { DealState } from './deal-state.js';
import { ConservationError, EngineInputError } from './errors.js';
import { divFloor, divRound, maxBig, minBig, PCT_SCALE, pctToScaled, toMinor, WHOLE } from './money.js';
import { principalCollections, type PoolPeriod } from './pool.js';
import type { Amount, Condition, OcSpec, PctScheduleValue, TriggerDef } from './rules.js';

export { compileDeal, type CompiledDeal } from './compile.js';
export { initialDealState, type DealState } from './deal-state.js';

/*
 * The waterfall: one period of a deal's priority of payments, in exact integer minor units
 * (bigint). Projection mode and actual-period mode both call `runPeriod`; they differ only in
 * where the period's collections come from.
 */

// ------------------------------------------------------------------ period result

/** One class in one period. Money in minor units. */
export interface ClassPeriod {
  classId: string;
  period: number;
  beginBalance: bigint;
  /** Current interest plus unpaid interest carried from earlier periods. */
  interestDue: bigint;
  /** Interest paid in cash (for an accrual class: only what was not accreted). */
  interestPaid: bigint;
  /** Unpaid interest carried forward. */
  interestShortfall: bigint;
  /** Net-WAC-cap carryover paid this period (included in interestPaid) and still unpaid after it. */
  capCarryoverPaid: bigint;
  capCarryover: bigint;
  /** Earlier write-downs repaid this period (cash, not principal) and still unrepaid after it. */
  writedownReimbursed: bigint;
  unpaidWritedown: bigint;
  /** Interest added to the balance of an accrual (Z) class. */
  accreted: bigint;
  principalPaid: bigint;
  writedown: bigint;
  endBalance: bigint;
  /** Annual coupon used this period, percent (for reporting). */
  couponPct: number;
}

/** Pool-level results of one period. */
export interface PeriodSummary {
  period: number;
  paymentDate: string | undefined;
  pool: PoolPeriod;
  feesPaid: Record<string, bigint>;
  feeShortfalls: Record<string, bigint>;
  triggers: Record<string, boolean>;
  accounts: Record<string, bigint>;
  residual: bigint;
  /** Net interest collections less fees and class interest paid in cash or accreted. */
  excessSpread: bigint;
  cashIn: bigint;
  cashOut: bigint;
}

export interface PeriodResult {
  summary: PeriodSummary;
  classes: ClassPeriod[];
  next: DealState;
}

interface ClassRun {
  c: CClass;
  begin: bigint;
  balance: bigint;
  due: bigint;
  current: bigint;
  paid: bigint;
  accreted: bigint;
  principal: bigint;
  writedown: bigint;
  rate: Rate;
  notional: boolean;
  /** Net-WAC-cap carryover owed (prior unpaid + this period's excess) and paid. */
  carry: bigint;
  carryPaid: bigint;
  /** Write-downs of earlier periods not yet reimbursed, and reimbursed now. */
  unpaidWd: bigint;
  wdPaid: bigint;
}

interface Ctx {
  deal: CompiledDeal;
  n: number;
  pool: PoolPeriod;
  state: DealState;
  funds: Map<string, bigint>;
  runs: Map<string, ClassRun>;
  triggers: Map<string, boolean>;
  feesPaid: Record<string, bigint>;
  feeDue: Map<string, bigint>;
}

// ------------------------------------------------------------------ coupons and triggers

function classRate(deal: CompiledDeal, c: CClass, pool: PoolPeriod): Rate {
  const cp = c.coupon;
  let r: Rate;
  let cap: bigint | undefined;
  let floor = 0n;
  if (cp.k === 'fixed') r = { num: cp.pct, den: WHOLE };
  else if (cp.k === 'float') {
    const idx = pool.indexRates.get(cp.index);
    if (idx === undefined) {
      throw new EngineInputError([
        { path: `indexRates.${cp.index}`, message: `missing index "${cp.index}" for class "${c.id}"` },
      ]);
    }
    // margin + multiplier x index (the multiplier is scaled like a percentage: 1 = 1e10 units)
    r = { num: cp.margin + divRound(idx * cp.mult, PCT_SCALE), den: WHOLE };
    cap = cp.cap;
    floor = cp.floor;
  } else {
    r = wacRate(pool, cp.spread);
    cap = cp.cap;
  }
  if (cap !== undefined && r.num * WHOLE > cap * r.den) r = { num: cap, den: WHOLE };
  if (r.num * WHOLE < floor * r.den) r = { num: floor, den: WHOLE };
  return r;
}

/** Net WAC of the collateral for the period, 12 x net interest / beginning pool balance, plus a spread. */
function wacRate(pool: PoolPeriod, spread: bigint): Rate {
  if (pool.poolBalanceBegin === 0n) return { num: 0n, den: 1n };
  return {
    num: pool.interest * 12n * WHOLE + spread * pool.poolBalanceBegin,
    den: pool.poolBalanceBegin * WHOLE,
  };
}

function accrualFraction(deal: CompiledDeal, c: CClass, n: number): { num: bigint; den: bigint } {
  if (c.dayCount === '30/360' || !deal.paymentDates) return { num: 30n, den: 360n };
  const end = deal.paymentDates(n);
  const start = n === 1 ? (deal.closingDate ?? end) : deal.paymentDates(n - 1);
  return accrualDays(start, end, c.dayCount);
}

function interestOn(balance: bigint, rate: Rate, frac: { num: bigint; den: bigint }): bigint {
  if (balance <= 0n || rate.num <= 0n) return 0n;
  return divRound(balance * rate.num * frac.num, rate.den * frac.den);
}

/** Compare a ratio a/b (as percent) with a scaled percent: is a/b*100 > pct? */
function ratioAbove(a: bigint, b: bigint, pct: bigint): boolean {
  return a * WHOLE > pct * b;
}

function evalTriggers(ctx: Ctx): void {
  const { deal, n, pool, state } = ctx;
  const memo = ctx.triggers;
  const evalOne = (t: TriggerDef): boolean => {
    const known = memo.get(t.id);
    if (known !== undefined) return known;
    let breached: boolean;
    switch (t.type) {
      case 'cumulativeLoss':
        breached = ratioAbove(
          state.cumulativeLoss + pool.realizedLosses,
          state.originalPoolBalance,
          schedAt(compileSched(t.thresholdPct), n),
        );
        break;
      case 'delinquency': {
        const hist = [
          ...state.delinquencyHistory,
          { delinquent: pool.delinquent60Plus, pool: pool.poolBalanceEnd },
        ].slice(-t.rollingMonths);
        // Average of the monthly ratios, compared exactly: sum(d_i / p_i) / k > threshold.
        let num = 0n;
        let den = 1n;
        for (const h of hist) {
          if (h.pool === 0n) continue;
          num = num * h.pool + h.delinquent * den;
          den = den * h.pool;
        }
        const k = BigInt(hist.length);
        const thr = schedAt(compileSched(t.thresholdPct), n);
        if (t.seniorEnhancementOf) {
          // Relative trigger: average > threshold % x senior enhancement, (pool - seniors) / pool.
          let seniors = 0n;
          for (const id of t.seniorEnhancementOf) seniors += ctx.runs.get(id)?.begin ?? 0n;
          const p = pool.poolBalanceEnd;
          breached = p > 0n && num * WHOLE * p > thr * den * k * maxBig(0n, p - seniors);
        } else breached = num * WHOLE > thr * den * k;
        break;
      }
      case 'overcollateralization': {
        let notes = 0n;
        for (const id of t.classes) notes += ctx.runs.get(id)?.begin ?? 0n;
        breached =
          notes > 0n && pool.poolBalanceEnd * WHOLE < schedAt(compileSched(t.minRatioPct), n) * notes;
        break;
      }
      case 'interestCoverage': {
        let due = 0n;
        for (const id of t.classes) due += ctx.runs.get(id)?.current ?? 0n;
        breached = due > 0n && pool.interest * WHOLE < schedAt(compileSched(t.minRatioPct), n) * due;
        break;
      }
      case 'any':
        breached = t.of.some((id) => {
          const d = deal.triggerById.get(id);
          return d ? evalOne(d) : false;
        });
        break;
      case 'all':
        breached = t.of.every((id) => {
          const d = deal.triggerById.get(id);
          return d ? evalOne(d) : false;
        });
        break;
    }
    if (t.sticky && state.triggers[t.id] === true) breached = true;
    memo.set(t.id, breached);
    return breached;
  };
  for (const t of deal.triggers) evalOne(t);
}

function evalCond(ctx: Ctx, c: Condition): boolean {
  if ('trigger' in c) return ctx.triggers.get(c.trigger) === true;
  if ('not' in c) return !evalCond(ctx, c.not);
  if ('all' in c) return c.all.every((x) => evalCond(ctx, x));
  if ('any' in c) return c.any.some((x) => evalCond(ctx, x));
  if ('periodAtLeast' in c) return ctx.n >= c.periodAtLeast;
  return c.retired.every((id) => (ctx.runs.get(id)?.balance ?? 0n) === 0n);
}

// ------------------------------------------------------------------ amounts

function fundsAvailable(ctx: Ctx, from: string[]): bigint {
  let s = 0n;
  for (const f of from) s += ctx.funds.get(f) ?? 0n;
  return s;
}

function draw(ctx: Ctx, from: string[], amount: bigint): bigint {
  let left = amount;
  for (const f of from) {
    if (left <= 0n) break;
    const have = ctx.funds.get(f) ?? 0n;
    const take = minBig(have, left);
    ctx.funds.set(f, have - take);
    left -= take;
  }
  return amount - left;
}

function notesBalance(ctx: Ctx): bigint {
  let s = 0n;
  for (const r of ctx.runs.values()) if (!r.notional) s += r.balance;
  return s;
}

function notionalOf(c: CClass, balanceOf: (id: string) => bigint): bigint {
  if (!c.notional) return 0n;
  let s = 0n;
  for (const id of c.notional.classes) s += balanceOf(id);
  return divRound(s * c.notional.pct, WHOLE);
}

function ocTarget(ctx: Ctx, spec: OcSpec): bigint {
  const orig = ctx.state.originalPoolBalance;
  const before = divFloor(orig * pctToScaled(spec.pctOfOriginal), WHOLE);
  if (!spec.stepdown || !evalCond(ctx, spec.stepdown)) return before;
  const current = divFloor(
    ctx.pool.poolBalanceEnd * pctToScaled(spec.pctOfCurrent ?? spec.pctOfOriginal),
    WHOLE,
  );
  const floor = divFloor(orig * pctToScaled(spec.floorPctOfOriginal ?? 0), WHOLE);
  return maxBig(current, floor);
}

function evalAmount(ctx: Ctx, a: Amount, from: string[]): bigint {
  const p = ctx.pool;
  if (typeof a === 'string') {
    switch (a) {
      case 'available':
        return fundsAvailable(ctx, from);
      case 'principalCollections':
        return principalCollections(p);
      case 'scheduledPrincipal':
        return p.scheduledPrincipal;
      case 'prepayments':
        return p.prepayments;
      case 'recoveries':
        return p.recoveries;
      case 'realizedLosses':
        return p.realizedLosses;
      case 'overcollateralization':
        return p.poolBalanceEnd - notesBalance(ctx);
      case 'poolBalance':
        return p.poolBalanceEnd;
    }
  }
  if ('fixed' in a) return toMinor(a.fixed, ctx.deal.minorDigits);
  if ('pct' in a) return divFloor(evalAmount(ctx, a.of, from) * pctToScaled(a.pct), WHOLE);
  if ('sum' in a) return a.sum.reduce((s, x) => s + evalAmount(ctx, x, from), 0n);
  if ('minus' in a) return maxBig(0n, evalAmount(ctx, a.minus[0], from) - evalAmount(ctx, a.minus[1], from));
  if ('min' in a) return a.min.map((x) => evalAmount(ctx, x, from)).reduce((m, v) => minBig(m, v));
  if ('max' in a) return a.max.map((x) => evalAmount(ctx, x, from)).reduce((m, v) => maxBig(m, v));
  if ('classBalance' in a) return a.classBalance.reduce((s, id) => s + (ctx.runs.get(id)?.balance ?? 0n), 0n);
  if ('ocTarget' in a) return ocTarget(ctx, a.ocTarget);
  if ('ocDeficiency' in a) {
    return maxBig(0n, ocTarget(ctx, a.ocDeficiency) - (p.poolBalanceEnd - notesBalance(ctx)));
  }
  if ('ocExcess' in a) return maxBig(0n, p.poolBalanceEnd - notesBalance(ctx) - ocTarget(ctx, a.ocExcess));
  if ('ocPrincipalDistribution' in a) {
    // Principal collections less the overcollateralization release: the excess of the OC that
    // would remain after paying all principal collections to the notes over the OC target.
    const pc = principalCollections(p);
    const ocAfter = p.poolBalanceEnd - (notesBalance(ctx) - pc);
    const release = minBig(pc, maxBig(0n, ocAfter - ocTarget(ctx, a.ocPrincipalDistribution)));
    return pc - release;
  }
  return seniorPrincipal(ctx, a.seniorPrincipal);
}

/**
 * Shifting-interest senior principal distribution amount: senior percentage x scheduled
 * principal + senior prepayment percentage x (prepayments + recoveries) (each rounded half up), where the senior
 * percentage is the seniors' beginning balance / the beginning pool balance (at most 100%), and
 * the senior prepayment percentage is senior % + shift % x (100% - senior %), or 100% while
 * `blockedBy` holds or the senior percentage exceeds its original value. Capped at the seniors'
 * balances.
 */
function seniorPrincipal(
  ctx: Ctx,
  spec: { seniors: string[]; shiftPct: PctScheduleValue; blockedBy?: Condition },
): bigint {
  const p = ctx.pool;
  let seniors = 0n;
  let seniorsNow = 0n;
  let seniorsOrig = 0n;
  for (const id of spec.seniors) {
    const r = ctx.runs.get(id);
    seniors += r?.begin ?? 0n;
    seniorsNow += r?.balance ?? 0n;
    seniorsOrig += r?.c.original ?? 0n;
  }
  const pool = p.poolBalanceBegin;
  if (pool === 0n) return minBig(seniorsNow, principalCollections(p));
  const s = minBig(seniors, pool);
  const orig = ctx.state.originalPoolBalance;
  const aboveOriginal = orig > 0n && s * orig > seniorsOrig * pool;
  const blocked = aboveOriginal || (spec.blockedBy !== undefined && evalCond(ctx, spec.blockedBy));
  const shift = blocked ? WHOLE : schedAt(compileSched(spec.shiftPct), ctx.n);
  const sched = divRound(p.scheduledPrincipal * s, pool);
  // prepay% = s/P + shift x (1 - s/P) = (s x WHOLE + shift x (P - s)) / (P x WHOLE)
  const unscheduled = divRound(
    (p.prepayments + p.recoveries) * (s * WHOLE + shift * (pool - s)),
    pool * WHOLE,
  );
  return minBig(seniorsNow, sched + unscheduled);
}

// ------------------------------------------------------------------ principal allocation

/**
 * Split `amount` in proportion to `weights` (all >= 0, sum > 0) into integer units by the
 * largest-remainder method: floor shares, then one unit each to the largest remainders (ties in
 * listed order). Unbiased over many periods, deterministic, and never above a weight when
 * amount <= sum(weights).
 */
function apportion(amount: bigint, weights: bigint[], den?: bigint): bigint[] {
  const total = den ?? weights.reduce((s, x) => s + x, 0n);
  if (total <= 0n) return weights.map(() => 0n);
  const shares = weights.map((w) => (amount * w) / total);
  const rems = weights.map((w, i) => ({ i, r: (amount * w) % total }));
  let rest = amount - shares.reduce((s, x) => s + x, 0n);
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i, r } of rems) {
    if (rest <= 0n) break;
    if (r === 0n) continue;
    shares[i] = (shares[i] ?? 0n) + 1n;
    rest -= 1n;
  }
  return shares;
}

function capacity(ctx: Ctx, r: CRule): bigint {
  switch (r.k) {
    case 'class':
      return ctx.runs.get(r.id)?.balance ?? 0n;
    case 'seq':
    case 'pro':
      return r.items.reduce((s, x) => s + capacity(ctx, x), 0n);
    case 'split':
      return r.parts.reduce((s, x) => s + capacity(ctx, x.to), 0n);
    case 'sched': {
      let bal = 0n;
      for (const id of r.classes) bal += ctx.runs.get(id)?.balance ?? 0n;
      return maxBig(0n, bal - scheduleTarget(ctx, r.id));
    }
    case 'lockout':
      return ctx.n <= r.through ? 0n : capacity(ctx, r.rule);
    case 'nas':
      return ctx.runs.get(r.id)?.balance ?? 0n;
    case 'if': {
      const b = evalCond(ctx, r.cond) ? r.then : r.else;
      return b ? capacity(ctx, b) : 0n;
    }
  }
}

function scheduleTarget(ctx: Ctx, id: string): bigint {
  const s = ctx.deal.schedules.get(id) ?? [];
  if (s.length === 0) return 0n;
  return ctx.n <= s.length ? (s[ctx.n - 1] ?? 0n) : 0n;
}

function payClass(ctx: Ctx, id: string, amount: bigint): bigint {
  const r = ctx.runs.get(id);
  if (!r || amount <= 0n) return 0n;
  const pay = minBig(amount, r.balance);
  r.balance -= pay;
  r.principal += pay;
  return pay;
}

/** Allocate `amount` as principal by rule `r`; returns what was paid (never more than `amount`). */
function allocate(ctx: Ctx, r: CRule, amount: bigint): bigint {
  if (amount <= 0n) return 0n;
  switch (r.k) {
    case 'class':
      return payClass(ctx, r.id, amount);
    case 'seq': {
      let paid = 0n;
      for (const item of r.items) {
        if (paid >= amount) break;
        paid += allocate(ctx, item, amount - paid);
      }
      return paid;
    }
    case 'pro': {
      const caps = r.items.map((x) => capacity(ctx, x));
      const total = caps.reduce((s, x) => s + x, 0n);
      if (total === 0n) return 0n;
      const target = minBig(amount, total);
      const shares = apportion(target, caps);
      let paid = 0n;
      r.items.forEach((item, i) => {
        paid += allocate(ctx, item, shares[i] ?? 0n);
      });
      for (const item of r.items) {
        if (paid >= target) break;
        paid += allocate(ctx, item, target - paid);
      }
      return paid;
    }
    case 'split': {
      const shares = apportion(
        amount,
        r.parts.map((p) => p.pct),
        WHOLE,
      );
      let paid = 0n;
      r.parts.forEach((p, i) => {
        paid += allocate(ctx, p.to, shares[i] ?? 0n);
      });
      // A retired group's share goes to the other groups, in listed order.
      for (const p of r.parts) {
        if (paid >= amount) break;
        paid += allocate(ctx, p.to, amount - paid);
      }
      return paid;
    }
    case 'sched': {
      let need = minBig(amount, capacity(ctx, r));
      let paid = 0n;
      if (r.proRata) {
        const bals = r.classes.map((id) => ctx.runs.get(id)?.balance ?? 0n);
        const shares = apportion(need, bals);
        r.classes.forEach((id, i) => {
          paid += payClass(ctx, id, shares[i] ?? 0n);
        });
        return paid;
      }
      for (const id of r.classes) {
        if (need <= 0n) break;
        const x = payClass(ctx, id, need);
        need -= x;
        paid += x;
      }
      return paid;
    }
    case 'lockout':
      return ctx.n <= r.through ? 0n : allocate(ctx, r.rule, amount);
    case 'nas': {
      const run = ctx.runs.get(r.id);
      if (!run) return 0n;
      let basis = 0n;
      for (const id of r.basis) basis += ctx.runs.get(id)?.begin ?? 0n;
      if (basis === 0n) return 0n;
      const share = divRound(amount * schedAt(r.shift, ctx.n) * run.begin, WHOLE * basis);
      return payClass(ctx, r.id, minBig(share, amount));
    }
    case 'if': {
      const b = evalCond(ctx, r.cond) ? r.then : r.else;
      return b ? allocate(ctx, b, amount) : 0n;
    }
  }
}

// ------------------------------------------------------------------ steps

/** An account's target; zero once every note is retired, so a release step pays the account out. */
function accountTarget(ctx: Ctx, id: string): bigint | undefined {
  const a = ctx.deal.accounts.find((x) => x.id === id);
  if (a?.target === undefined) return undefined;
  if (notesBalance(ctx) === 0n) return 0n;
  return evalAmount(ctx, a.target, []);
}

function payInOrder(
  ctx: Ctx,
  items: { due: bigint; pay: (x: bigint) => void }[],
  from: string[],
  proRata: boolean,
): void {
  if (!proRata) {
    for (const it of items) it.pay(draw(ctx, from, it.due));
    return;
  }
  const total = items.reduce((s, x) => s + x.due, 0n);
  const avail = minBig(total, fundsAvailable(ctx, from));
  if (total === 0n) return;
  const shares = apportion(
    avail,
    items.map((it) => it.due),
  );
  items.forEach((it, i) => it.pay(draw(ctx, from, shares[i] ?? 0n)));
}

function runSteps(ctx: Ctx, steps: CStep[]): void {
  for (const s of steps) {
    switch (s.k) {
      case 'fees':
        payInOrder(
          ctx,
          s.ids.map((id) => ({
            due: ctx.feeDue.get(id) ?? 0n,
            pay: (x: bigint) => {
              ctx.feesPaid[id] = (ctx.feesPaid[id] ?? 0n) + x;
              ctx.feeDue.set(id, (ctx.feeDue.get(id) ?? 0n) - x);
            },
          })),
          s.from,
          s.proRata,
        );
        break;
      case 'interest':
        payInOrder(
          ctx,
          s.ids.map((id) => {
            const r = ctx.runs.get(id);
            return {
              due: r ? r.due - r.paid : 0n,
              pay: (x: bigint) => {
                if (r) r.paid += x;
              },
            };
          }),
          s.from,
          s.proRata,
        );
        break;
      case 'reimburse':
        payInOrder(
          ctx,
          s.ids.map((id) => {
            const r = ctx.runs.get(id);
            return {
              due: r ? r.unpaidWd - r.wdPaid : 0n,
              pay: (x: bigint) => {
                if (r) r.wdPaid += x;
              },
            };
          }),
          s.from,
          s.proRata,
        );
        break;
      case 'carryover':
        payInOrder(
          ctx,
          s.ids.map((id) => {
            const r = ctx.runs.get(id);
            return {
              due: r ? r.carry - r.carryPaid : 0n,
              pay: (x: bigint) => {
                if (r) r.carryPaid += x;
              },
            };
          }),
          s.from,
          s.proRata,
        );
        break;
      case 'principal': {
        const want = maxBig(0n, evalAmount(ctx, s.amount, s.from));
        const target = minBig(want, fundsAvailable(ctx, s.from));
        const paid = allocate(ctx, s.rule, target);
        draw(ctx, s.from, paid);
        break;
      }
      case 'accrete': {
        // Accretion is limited to the interest cash that backs it, so the notes never exceed the
        // pool by accretion; interest an accrual class could not accrete is carried as its shortfall.
        let total = 0n;
        let room = ctx.funds.get('interest') ?? 0n;
        const before = new Map<string, bigint>();
        for (const id of s.ids) {
          const r = ctx.runs.get(id);
          if (!r) continue;
          const amt = minBig(r.due - r.paid, room);
          room -= amt;
          r.accreted += amt;
          r.paid += amt; // "paid by accretion"; what flows back to the class itself becomes cash interest
          r.balance += amt;
          total += amt;
          before.set(id, r.principal);
        }
        const cash = total;
        const paid = allocate(ctx, s.rule, cash);
        draw(ctx, ['interest'], paid);
        // Accretion paid back to the accrual class itself is its interest paid in cash.
        for (const id of s.ids) {
          const r = ctx.runs.get(id);
          if (!r) continue;
          const self = minBig(r.principal - (before.get(id) ?? 0n), r.accreted);
          r.principal -= self;
          r.accreted -= self;
        }
        break;
      }
      case 'deposit': {
        const bal = ctx.funds.get(s.account) ?? 0n;
        const want =
          s.amount !== undefined
            ? evalAmount(ctx, s.amount, s.from)
            : maxBig(0n, (accountTarget(ctx, s.account) ?? 0n) - bal);
        const got = draw(ctx, s.from, maxBig(0n, want));
        ctx.funds.set(s.account, bal + got);
        break;
      }
      case 'release': {
        const bal = ctx.funds.get(s.account) ?? 0n;
        const want =
          s.amount !== undefined
            ? evalAmount(ctx, s.amount, [s.account])
            : maxBig(0n, bal - (accountTarget(ctx, s.account) ?? bal));
        const out = minBig(bal, maxBig(0n, want));
        ctx.funds.set(s.account, bal - out);
        ctx.funds.set(s.to, (ctx.funds.get(s.to) ?? 0n) + out);
        break;
      }
      case 'if':
        runSteps(ctx, evalCond(ctx, s.cond) ? s.then : s.else);
        break;
    }
  }
}

function rateToPct(r: Rate): number {
  if (r.den === 0n) return 0;
  return Number((r.num * 100_000_000n) / r.den) / 1_000_000;
}

/**
 * Run one period of the waterfall on exact minor units. Order: evaluate triggers on the period's
 * collections; compute interest due (current on beginning balances + carried shortfall); run the
 * steps; pay what is left in the interest and principal funds to the residual class; write down
 * classes in `losses.writedownOrder` until the notes no longer exceed the pool balance. Checks
 * that cash in = cash out to the unit and that no balance is negative, throwing
 * `ConservationError` otherwise.
 */
export function runPeriod(deal: CompiledDeal, state: DealState, pool: PoolPeriod): PeriodResult {
  const n = state.period + 1;
  const runs = new Map<string, ClassRun>();
  for (const c of deal.classes) {
    if (c.def.residual) continue;
    const st = state.classes[c.id] ?? { balance: 0n, interestShortfall: 0n };
    const begin = c.notional ? notionalOf(c, (id) => state.classes[id]?.balance ?? 0n) : st.balance;
    const rate = classRate(deal, c, pool);
    const frac = accrualFraction(deal, c, n);
    let current = interestOn(begin, rate, frac);
    let carry = st.capCarryover ?? 0n;
    if (c.def.netWacCap) {
      // Cap at the collateral net WAC (+ spread) for a 30-day month; the excess is carried over.
      const capRate = wacRate(pool, pctToScaled(c.def.netWacCap.spreadPct ?? 0));
      const capped = interestOn(begin, capRate, { num: 30n, den: 360n });
      if (current > capped) {
        carry += current - capped;
        current = capped;
      }
    }
    const onShortfall = c.def.interestOnShortfall ? interestOn(st.interestShortfall, rate, frac) : 0n;
    runs.set(c.id, {
      c,
      notional: c.notional !== undefined,
      begin,
      balance: begin,
      current,
      due: current + st.interestShortfall + onShortfall,
      paid: 0n,
      accreted: 0n,
      principal: 0n,
      writedown: 0n,
      rate,
      carry,
      carryPaid: 0n,
      unpaidWd: st.unpaidWritedown ?? 0n,
      wdPaid: 0n,
    });
  }
  const funds = new Map<string, bigint>([
    ['interest', pool.interest],
    ['principal', principalCollections(pool)],
  ]);
  const accountsBegin: Record<string, bigint> = {};
  for (const a of deal.accounts) {
    const v = state.accounts[a.id] ?? a.initial;
    funds.set(a.id, v);
    accountsBegin[a.id] = v;
  }
  const feeDue = new Map<string, bigint>();
  const feesPaid: Record<string, bigint> = {};
  for (const f of deal.fees) {
    const basis = f.basis === 'poolBalance' ? pool.poolBalanceBegin : state.originalPoolBalance;
    const pct = f.annual === undefined ? 0n : divRound(basis * f.annual, WHOLE * 12n);
    feeDue.set(f.id, f.fixed + pct + (state.feeShortfalls[f.id] ?? 0n));
    feesPaid[f.id] = 0n;
  }
  const ctx: Ctx = { deal, n, pool, state, funds, runs, triggers: new Map(), feesPaid, feeDue };
  evalTriggers(ctx);
  runSteps(ctx, deal.steps);

  const residual = (funds.get('interest') ?? 0n) + (funds.get('principal') ?? 0n);
  funds.set('interest', 0n);
  funds.set('principal', 0n);

  // Loss allocation: reverse-sequential write-downs of notes in excess of the pool.
  let excess = notesBalance(ctx) - pool.poolBalanceEnd;
  for (const id of deal.writedownOrder) {
    if (excess <= 0n) break;
    const r = runs.get(id);
    if (!r || r.notional) continue;
    const w = minBig(r.balance, excess);
    r.balance -= w;
    r.writedown += w;
    excess -= w;
  }

  // Notional (IO) classes follow the classes they reference.
  for (const r of runs.values()) {
    if (r.notional) r.balance = notionalOf(r.c, (id) => runs.get(id)?.balance ?? 0n);
  }

  // Conservation: cash in = fees + class interest and principal + residual + reserve change.
  const cashIn = pool.interest + principalCollections(pool);
  let cashOut = residual;
  for (const v of Object.values(feesPaid)) cashOut += v;
  let interestCash = 0n;
  for (const r of runs.values()) {
    const cashInterest = r.paid - r.accreted + r.carryPaid;
    interestCash += cashInterest;
    cashOut += cashInterest + r.principal + r.wdPaid;
    if (r.balance < 0n || cashInterest < 0n || r.principal < 0n) {
      throw new ConservationError(`period ${n}: class ${r.c.id} has a negative amount`);
    }
    if (!r.notional && r.begin + r.accreted - r.principal - r.writedown !== r.balance) {
      throw new ConservationError(`period ${n}: class ${r.c.id} balance does not roll forward`);
    }
  }
  const accounts: Record<string, bigint> = {};
  for (const a of deal.accounts) {
    const v = funds.get(a.id) ?? 0n;
    if (v < 0n) throw new ConservationError(`period ${n}: account ${a.id} is negative`);
    accounts[a.id] = v;
    cashOut += v - (accountsBegin[a.id] ?? 0n);
  }
  if (cashIn !== cashOut) {
    throw new ConservationError(`period ${n}: cash in ${cashIn} != cash out ${cashOut}`);
  }

  let feeTotal = 0n;
  for (const v of Object.values(feesPaid)) feeTotal += v;
  let accretedTotal = 0n;
  for (const r of runs.values()) accretedTotal += r.accreted;
  const classes: ClassPeriod[] = [];
  const nextClasses: DealState['classes'] = {};
  for (const c of deal.classes) {
    const r = runs.get(c.id);
    if (!r) {
      classes.push({
        classId: c.id,
        period: n,
        beginBalance: 0n,
        interestDue: 0n,
        interestPaid: residual,
        interestShortfall: 0n,
        capCarryoverPaid: 0n,
        capCarryover: 0n,
        writedownReimbursed: 0n,
        unpaidWritedown: 0n,
        accreted: 0n,
        principalPaid: 0n,
        writedown: 0n,
        endBalance: 0n,
        couponPct: 0,
      });
      nextClasses[c.id] = { balance: 0n, interestShortfall: 0n };
      continue;
    }
    const shortfall = r.due - r.paid;
    classes.push({
      classId: c.id,
      period: n,
      beginBalance: r.begin,
      interestDue: r.due,
      interestPaid: r.paid - r.accreted + r.carryPaid,
      interestShortfall: shortfall,
      capCarryoverPaid: r.carryPaid,
      capCarryover: r.carry - r.carryPaid,
      writedownReimbursed: r.wdPaid,
      unpaidWritedown: r.unpaidWd - r.wdPaid + r.writedown,
      accreted: r.accreted,
      principalPaid: r.principal,
      writedown: r.writedown,
      endBalance: r.balance,
      couponPct: rateToPct(r.rate),
    });
    nextClasses[c.id] = {
      balance: r.balance,
      interestShortfall: shortfall,
      capCarryover: r.carry - r.carryPaid,
      unpaidWritedown: r.unpaidWd - r.wdPaid + r.writedown,
    };
  }
  const feeShortfalls: Record<string, bigint> = {};
  for (const f of deal.fees) feeShortfalls[f.id] = feeDue.get(f.id) ?? 0n;
  const triggers: Record<string, boolean> = {};
  for (const t of deal.triggers) triggers[t.id] = ctx.triggers.get(t.id) === true;
  const history = [
    ...state.delinquencyHistory,
    { delinquent: pool.delinquent60Plus, pool: pool.poolBalanceEnd },
  ].slice(-12);
  const next: DealState = {
    period: n,
    originalPoolBalance: state.originalPoolBalance,
    classes: nextClasses,
    feeShortfalls,
    accounts,
    triggers,
    cumulativeLoss: state.cumulativeLoss + pool.realizedLosses,
    delinquencyHistory: history,
  };
  const payDate = deal.paymentDates?.(n);
  return {
    summary: {
      period: n,
      paymentDate: payDate ? formatDate(payDate) : undefined,
      pool,
      feesPaid,
      feeShortfalls,
      triggers,
      accounts,
      residual,
      excessSpread: pool.interest - feeTotal - interestCash - accretedTotal,
      cashIn,
      cashOut,
    },
    classes,
    next,
  };
}
