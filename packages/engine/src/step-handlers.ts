import { evaluateAmount } from './amounts.js';
import type { CompiledStep, StepKind } from './compile.js';
import { maxBig, minBig } from './money.js';
import {
  drawFromFunds,
  fundsAvailable,
  notesBalance,
  type ClassLedger,
  type PeriodContext,
} from './period-context.js';
import { allocatePrincipal, apportion } from './principal-allocation.js';
import { conditionHolds } from './triggers.js';

/*
 * The priority of payments: one handler per kind of waterfall step, looked up by the step's
 * `kind`. Each handler moves cash out of the step's funds into class ledgers, fees or accounts.
 */

/** Something owed that a step pays: how much is due and where a payment goes. */
interface Claim {
  due: bigint;
  pay: (amount: bigint) => void;
}

/**
 * Pay claims from the funds: in listed order (each in full before the next), or pro rata by
 * amount due (largest remainder) when the funds cannot pay them all.
 */
function payClaims(ctx: PeriodContext, claims: Claim[], from: string[], proRata: boolean): void {
  if (!proRata) {
    for (const claim of claims) claim.pay(drawFromFunds(ctx, from, claim.due));
    return;
  }
  const total = claims.reduce((s, x) => s + x.due, 0n);
  const available = minBig(total, fundsAvailable(ctx, from));
  if (total === 0n) return;
  const shares = apportion(
    available,
    claims.map((claim) => claim.due),
  );
  claims.forEach((claim, i) => claim.pay(drawFromFunds(ctx, from, shares[i] ?? 0n)));
}

/** Claims on class ledgers: `owed` says what is still due, `credit` records a payment. */
function classClaims(
  ctx: PeriodContext,
  classIds: string[],
  owed: (ledger: ClassLedger) => bigint,
  credit: (ledger: ClassLedger, amount: bigint) => void,
): Claim[] {
  return classIds.map((id) => {
    const ledger = ctx.ledgers.get(id);
    return {
      due: ledger ? owed(ledger) : 0n,
      pay: (amount: bigint) => {
        if (ledger) credit(ledger, amount);
      },
    };
  });
}

/** A reserve account's target; zero once every note is retired, so a release step pays the account out. */
function accountTarget(ctx: PeriodContext, id: string): bigint | undefined {
  const account = ctx.deal.accounts.find((x) => x.id === id);
  if (account?.target === undefined) return undefined;
  if (notesBalance(ctx) === 0n) return 0n;
  return evaluateAmount(ctx, account.target, []);
}

/** Fees in priority order (or pro rata): current fee plus carried shortfall. */
function payFees(ctx: PeriodContext, step: CompiledStep<'payFees'>): void {
  const claims = step.feeIds.map((id) => ({
    due: ctx.feesDue.get(id) ?? 0n,
    pay: (amount: bigint) => {
      ctx.feesPaid[id] = (ctx.feesPaid[id] ?? 0n) + amount;
      ctx.feesDue.set(id, (ctx.feesDue.get(id) ?? 0n) - amount);
    },
  }));
  payClaims(ctx, claims, step.from, step.proRata);
}

/** Class interest: what is due (current + shortfall) less what earlier steps paid. */
function payInterest(ctx: PeriodContext, step: CompiledStep<'payInterest'>): void {
  const claims = classClaims(
    ctx,
    step.classIds,
    (ledger) => ledger.interestDue - ledger.interestPaid,
    (ledger, amount) => {
      ledger.interestPaid += amount;
    },
  );
  payClaims(ctx, claims, step.from, step.proRata);
}

/** Repay earlier write-downs in cash; the class balance stays written down. */
function reimburseWritedowns(ctx: PeriodContext, step: CompiledStep<'reimburseWritedowns'>): void {
  const claims = classClaims(
    ctx,
    step.classIds,
    (ledger) => ledger.unpaidWritedown - ledger.writedownReimbursed,
    (ledger, amount) => {
      ledger.writedownReimbursed += amount;
    },
  );
  payClaims(ctx, claims, step.from, step.proRata);
}

/** Net-WAC-cap carryover (prior unpaid plus this period's capped-off interest). */
function payCapCarryover(ctx: PeriodContext, step: CompiledStep<'payCapCarryover'>): void {
  const claims = classClaims(
    ctx,
    step.classIds,
    (ledger) => ledger.capCarryover - ledger.capCarryoverPaid,
    (ledger, amount) => {
      ledger.capCarryoverPaid += amount;
    },
  );
  payClaims(ctx, claims, step.from, step.proRata);
}

/** Principal: the step's amount (at most what its funds hold) allocated by its rule. */
function payPrincipal(ctx: PeriodContext, step: CompiledStep<'payPrincipal'>): void {
  const wanted = maxBig(0n, evaluateAmount(ctx, step.amount, step.from));
  const target = minBig(wanted, fundsAvailable(ctx, step.from));
  const paid = allocatePrincipal(ctx, step.rule, target);
  drawFromFunds(ctx, step.from, paid);
}

/**
 * Accrual (Z) classes: their interest is added to their balance and the same cash, from the
 * interest fund, pays principal by the step's rule.
 */
function accrete(ctx: PeriodContext, step: CompiledStep<'accrete'>): void {
  // Accretion is limited to the interest cash that backs it, so the notes never exceed the
  // pool by accretion; interest an accrual class could not accrete is carried as its shortfall.
  let total = 0n;
  let room = fundsAvailable(ctx, ctx.deal.interestFunds);
  const principalBefore = new Map<string, bigint>();
  for (const id of step.classIds) {
    const ledger = ctx.ledgers.get(id);
    if (!ledger) continue;
    const amount = minBig(ledger.interestDue - ledger.interestPaid, room);
    room -= amount;
    ledger.accreted += amount;
    ledger.interestPaid += amount; // "paid by accretion"; what flows back to the class itself becomes cash interest
    ledger.balance += amount;
    total += amount;
    principalBefore.set(id, ledger.principalPaid);
  }
  const paid = allocatePrincipal(ctx, step.rule, total);
  drawFromFunds(ctx, ctx.deal.interestFunds, paid);
  // Accretion paid back to the accrual class itself is its interest paid in cash.
  for (const id of step.classIds) {
    const ledger = ctx.ledgers.get(id);
    if (!ledger) continue;
    const self = minBig(ledger.principalPaid - (principalBefore.get(id) ?? 0n), ledger.accreted);
    ledger.principalPaid -= self;
    ledger.accreted -= self;
  }
}

/** Into a reserve account: the step's amount, or by default up to the account's target. */
function deposit(ctx: PeriodContext, step: CompiledStep<'deposit'>): void {
  const balance = ctx.funds.get(step.account) ?? 0n;
  const wanted =
    step.amount !== undefined
      ? evaluateAmount(ctx, step.amount, step.from)
      : maxBig(0n, (accountTarget(ctx, step.account) ?? 0n) - balance);
  const got = drawFromFunds(ctx, step.from, maxBig(0n, wanted));
  ctx.funds.set(step.account, balance + got);
}

/** Out of a reserve account into a fund: the step's amount, or by default the excess over target. */
function release(ctx: PeriodContext, step: CompiledStep<'release'>): void {
  const balance = ctx.funds.get(step.account) ?? 0n;
  const wanted =
    step.amount !== undefined
      ? evaluateAmount(ctx, step.amount, [step.account])
      : maxBig(0n, balance - (accountTarget(ctx, step.account) ?? balance));
  const out = minBig(balance, maxBig(0n, wanted));
  ctx.funds.set(step.account, balance - out);
  ctx.funds.set(step.to, (ctx.funds.get(step.to) ?? 0n) + out);
}

/** `then` steps while the condition holds this period, else the `else` steps. */
function ifStep(ctx: PeriodContext, step: CompiledStep<'if'>): void {
  runSteps(ctx, conditionHolds(ctx, step.condition) ? step.then : step.else);
}

type StepHandlers = { [K in StepKind]: (ctx: PeriodContext, step: CompiledStep<K>) => void };

/** What each kind of waterfall step does, by the step's name in the rule document. */
const STEP_HANDLERS: StepHandlers = {
  payFees,
  payInterest,
  payCapCarryover,
  reimburseWritedowns,
  payPrincipal,
  accrete,
  deposit,
  release,
  if: ifStep,
};

function runStep<K extends StepKind>(ctx: PeriodContext, step: CompiledStep<K>): void {
  STEP_HANDLERS[step.kind](ctx, step);
}

/** Run waterfall steps in priority order. */
export function runSteps(ctx: PeriodContext, steps: CompiledStep[]): void {
  for (const step of steps) runStep(ctx, step);
}
