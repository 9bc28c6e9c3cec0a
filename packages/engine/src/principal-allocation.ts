import { percentAt, type CompiledPrincipalRule } from './compile.js';
import { divRound, maxBig, minBig, WHOLE } from './money.js';
import { nonPoPool, type PeriodContext } from './period-context.js';
import { conditionHolds } from './triggers.js';

/*
 * Principal allocation: paying an amount of principal to the classes by a compiled principal
 * rule (sequential, pro rata, fixed-percentage split, PAC/TAC schedule, lock-out, NAS, if).
 */

/**
 * Split `amount` in proportion to `weights` (all >= 0) into integer units by the largest-remainder
 * method: floor shares, then one unit each to the largest remainders (ties in listed order).
 * `den` is the weights' total (their sum when omitted; `WHOLE` for percentage splits). Unbiased
 * over many periods, deterministic, and never above a weight when amount <= sum(weights).
 */
export function apportion(amount: bigint, weights: bigint[], den?: bigint): bigint[] {
  const total = den ?? weights.reduce((s, x) => s + x, 0n);
  if (total <= 0n) return weights.map(() => 0n);
  const shares = weights.map((w) => (amount * w) / total);
  const remainders = weights.map((w, i) => ({ i, r: (amount * w) % total }));
  let rest = amount - shares.reduce((s, x) => s + x, 0n);
  // Largest remainder first, ties in listed order. An insertion sort: a handful of entries, and
  // Array.prototype.sort allocates a work copy on every call (this runs several times a period).
  for (let j = 1; j < remainders.length; j++) {
    const x = remainders[j] as { i: number; r: bigint };
    let k = j - 1;
    for (; k >= 0; k--) {
      const y = remainders[k] as { i: number; r: bigint };
      if (y.r > x.r || (y.r === x.r && y.i < x.i)) break;
      remainders[k + 1] = y;
    }
    remainders[k + 1] = x;
  }
  for (const { i, r } of remainders) {
    if (rest <= 0n) break;
    if (r === 0n) continue;
    shares[i] = (shares[i] ?? 0n) + 1n;
    rest -= 1n;
  }
  return shares;
}

/** The most principal a rule could take this period (what pro-rata rules weight by). */
function principalCapacity(ctx: PeriodContext, rule: CompiledPrincipalRule): bigint {
  switch (rule.kind) {
    case 'class':
      return ctx.ledgers.get(rule.classId)?.balance ?? 0n;
    case 'sequential':
    case 'proRata':
      return rule.rules.reduce((s, x) => s + principalCapacity(ctx, x), 0n);
    case 'split':
      return rule.parts.reduce((s, x) => s + principalCapacity(ctx, x.to), 0n);
    case 'toSchedule': {
      let balance = 0n;
      for (const id of rule.classes) balance += ctx.ledgers.get(id)?.balance ?? 0n;
      return maxBig(0n, balance - scheduleTarget(ctx, rule.scheduleId));
    }
    case 'lockout':
      return ctx.period <= rule.throughPeriod ? 0n : principalCapacity(ctx, rule.rule);
    case 'nas':
      return ctx.ledgers.get(rule.classId)?.balance ?? 0n;
    case 'nasPriority':
      return minBig(ctx.ledgers.get(rule.classId)?.balance ?? 0n, nasPriorityDue(ctx, rule));
    case 'if': {
      const branch = conditionHolds(ctx, rule.condition) ? rule.then : rule.else;
      return branch ? principalCapacity(ctx, branch) : 0n;
    }
  }
}

/**
 * The NAS priority amount, as prospectuses define it: NAS percentage x shift percentage x the
 * group's non-PO scheduled principal + NAS percentage x prepayment shift percentage x the group's
 * non-PO principal prepayments (with net liquidation proceeds when `includeRecoveries`), each
 * term rounded half up, where the NAS percentage is the NAS class's beginning balance / the
 * group's beginning non-PO pool balance. Shift percentages may exceed 100% (e.g. 300% after year
 * seven); the amount is capped at the class balance by the payment.
 */
function nasPriorityAmount(
  ctx: PeriodContext,
  rule: Extract<CompiledPrincipalRule, { kind: 'nasPriority' }>,
): bigint {
  const nas = ctx.ledgers.get(rule.classId)?.beginBalance ?? 0n;
  const p = nonPoPool(ctx.pool, rule.group);
  if (p.balanceBegin === 0n || nas === 0n) return 0n;
  const unscheduled = p.prepayments + (rule.includeRecoveries ? p.recoveries : 0n);
  const scheduledPart = divRound(
    nas * percentAt(rule.scheduledShiftPct, ctx.period) * p.scheduledPrincipal,
    p.balanceBegin * WHOLE,
  );
  const prepaymentPart = divRound(
    nas * percentAt(rule.prepaymentShiftPct, ctx.period) * unscheduled,
    p.balanceBegin * WHOLE,
  );
  return scheduledPart + prepaymentPart;
}

/**
 * What is left of the NAS priority amount this period: the amount less the principal the NAS
 * class has already received this period, so that naming the rule in two steps (e.g. again in
 * a last "pay the seniors whatever is left" step) does not pay the priority twice.
 */
function nasPriorityDue(
  ctx: PeriodContext,
  rule: Extract<CompiledPrincipalRule, { kind: 'nasPriority' }>,
): bigint {
  const paid = ctx.ledgers.get(rule.classId)?.principalPaid ?? 0n;
  return maxBig(0n, nasPriorityAmount(ctx, rule) - paid);
}

/** A PAC/TAC schedule's target balance after this period (0 past its end). */
function scheduleTarget(ctx: PeriodContext, scheduleId: string): bigint {
  const balances = ctx.deal.schedules.get(scheduleId) ?? [];
  if (balances.length === 0) return 0n;
  return ctx.period <= balances.length ? (balances[ctx.period - 1] ?? 0n) : 0n;
}

/** Pay up to `amount` of principal to one class (never more than its balance); returns what was paid. */
function payPrincipalToClass(ctx: PeriodContext, classId: string, amount: bigint): bigint {
  const ledger = ctx.ledgers.get(classId);
  if (!ledger || amount <= 0n) return 0n;
  const pay = minBig(amount, ledger.balance);
  ledger.balance -= pay;
  ledger.principalPaid += pay;
  return pay;
}

/** Pay `amount` to rules in order, each up to what it takes; returns what was paid. */
function payInTurn(ctx: PeriodContext, rules: CompiledPrincipalRule[], amount: bigint, paid: bigint): bigint {
  for (const rule of rules) {
    if (paid >= amount) break;
    paid += allocatePrincipal(ctx, rule, amount - paid);
  }
  return paid;
}

/** Allocate `amount` as principal by `rule`; returns what was paid (never more than `amount`). */
export function allocatePrincipal(ctx: PeriodContext, rule: CompiledPrincipalRule, amount: bigint): bigint {
  if (amount <= 0n) return 0n;
  switch (rule.kind) {
    case 'class':
      return payPrincipalToClass(ctx, rule.classId, amount);
    case 'sequential':
      return payInTurn(ctx, rule.rules, amount, 0n);
    case 'proRata': {
      const capacities = rule.rules.map((x) => principalCapacity(ctx, x));
      const total = capacities.reduce((s, x) => s + x, 0n);
      if (total === 0n) return 0n;
      const target = minBig(amount, total);
      const shares = apportion(target, capacities);
      let paid = 0n;
      rule.rules.forEach((x, i) => {
        paid += allocatePrincipal(ctx, x, shares[i] ?? 0n);
      });
      // What a share could not take (a nested rule paying less than its capacity) goes in order.
      return payInTurn(ctx, rule.rules, target, paid);
    }
    case 'split': {
      const shares = apportion(
        amount,
        rule.parts.map((p) => p.pct),
        WHOLE,
      );
      let paid = 0n;
      rule.parts.forEach((p, i) => {
        paid += allocatePrincipal(ctx, p.to, shares[i] ?? 0n);
      });
      // A retired group's share goes to the other groups, in listed order.
      return payInTurn(
        ctx,
        rule.parts.map((p) => p.to),
        amount,
        paid,
      );
    }
    case 'toSchedule': {
      let need = minBig(amount, principalCapacity(ctx, rule));
      let paid = 0n;
      if (rule.proRata) {
        const balances = rule.classes.map((id) => ctx.ledgers.get(id)?.balance ?? 0n);
        const shares = apportion(need, balances);
        rule.classes.forEach((id, i) => {
          paid += payPrincipalToClass(ctx, id, shares[i] ?? 0n);
        });
        return paid;
      }
      for (const id of rule.classes) {
        if (need <= 0n) break;
        const x = payPrincipalToClass(ctx, id, need);
        need -= x;
        paid += x;
      }
      return paid;
    }
    case 'lockout':
      return ctx.period <= rule.throughPeriod ? 0n : allocatePrincipal(ctx, rule.rule, amount);
    case 'nas': {
      // NAS share = shift % x NAS beginning balance / basis beginning balance x amount.
      const ledger = ctx.ledgers.get(rule.classId);
      if (!ledger) return 0n;
      let basis = 0n;
      for (const id of rule.basis) basis += ctx.ledgers.get(id)?.beginBalance ?? 0n;
      if (basis === 0n) return 0n;
      const share = divRound(
        amount * percentAt(rule.shiftPct, ctx.period) * ledger.beginBalance,
        WHOLE * basis,
      );
      return payPrincipalToClass(ctx, rule.classId, minBig(share, amount));
    }
    case 'nasPriority':
      // The NAS class takes its priority amount first; what the step offers beyond it goes on.
      return payPrincipalToClass(ctx, rule.classId, minBig(amount, nasPriorityDue(ctx, rule)));
    case 'if': {
      const branch = conditionHolds(ctx, rule.condition) ? rule.then : rule.else;
      return branch ? allocatePrincipal(ctx, branch, amount) : 0n;
    }
  }
}
