import type { CompiledClass, CompiledDeal } from './compile.js';
import { accrualFraction, couponRate, interestOn, netWacRate, THIRTY_360 } from './coupons.js';
import type { DealState } from './deal-state.js';
import { ConservationError } from './errors.js';
import { divRound, minBig, pctToScaled, WHOLE } from './money.js';
import {
  cashInterest,
  groupPeriod,
  notesBalance,
  notionalBalance,
  type ClassLedger,
  type PeriodContext,
} from './period-context.js';
import {
  classRows,
  nextDealState,
  periodSummary,
  type CashTotals,
  type PeriodResult,
} from './period-result.js';
import { principalCollections, type GroupPeriod, type PoolPeriod } from './pool.js';
import { runSteps } from './step-handlers.js';
import { evaluateTriggers } from './triggers.js';

export { compileDeal, type CompiledDeal } from './compile.js';
export { initialDealState, type DealState } from './deal-state.js';
export type { ClassPeriod, PeriodResult, PeriodSummary } from './period-result.js';

/*
 * The waterfall: one period of a deal's priority of payments, in exact integer minor units
 * (bigint). Projection mode and actual-period mode both call `runPeriod`; they differ only in
 * where the period's collections come from.
 */

// ------------------------------------------------------------------ opening the period

/**
 * A class's ledger at the start of the period: its beginning balance (a notional class's from
 * the classes it references), its coupon, and interest due = current interest (capped at the
 * net WAC for a 30-day month when the class has a net-WAC cap, the excess carried over) + the
 * carried shortfall + interest on that shortfall when the class bears it.
 */
function openClassLedger(
  deal: CompiledDeal,
  state: DealState,
  pool: PoolPeriod,
  period: number,
  c: CompiledClass,
): ClassLedger {
  const prior = state.classes[c.id] ?? { balance: 0n, interestShortfall: 0n };
  const strip = c.def.ratioStrip;
  if (strip?.part === 'IO') return openRatioStripIo(c, prior, groupPeriod(pool, strip.group));
  const begin = c.notional ? notionalBalance(c, (id) => state.classes[id]?.balance ?? 0n) : prior.balance;
  const rate = couponRate(c, pool);
  const fraction = accrualFraction(deal, c, period);
  let current = interestOn(begin, rate, fraction);
  let capCarryover = prior.capCarryover ?? 0n;
  if (c.def.netWacCap) {
    // Cap at the collateral net WAC (+ spread) for a 30-day month; the excess is carried over.
    const capRate = netWacRate(pool, pctToScaled(c.def.netWacCap.spreadPct ?? 0));
    const capped = interestOn(begin, capRate, THIRTY_360);
    if (current > capped) {
      capCarryover += current - capped;
      current = capped;
    }
  }
  const onShortfall = c.def.interestOnShortfall ? interestOn(prior.interestShortfall, rate, fraction) : 0n;
  return {
    compiled: c,
    isNotional: c.notional !== undefined,
    beginBalance: begin,
    balance: begin,
    currentInterest: current,
    interestDue: current + prior.interestShortfall + onShortfall,
    interestPaid: 0n,
    accreted: 0n,
    principalPaid: 0n,
    writedown: 0n,
    rate,
    capCarryover,
    capCarryoverPaid: 0n,
    unpaidWritedown: prior.unpaidWritedown ?? 0n,
    writedownReimbursed: 0n,
  };
}

/**
 * A ratio-stripped IO class: its notional amount is the group's premium loans' balance and its
 * current interest the group's excess interest, (net rate - strip rate) x balance / 12 summed over
 * the premium loans; the coupon shown is that interest x 12 / notional.
 */
function openRatioStripIo(
  c: CompiledClass,
  prior: DealState['classes'][string],
  group: GroupPeriod,
): ClassLedger {
  const begin = group.ioNotionalBegin;
  const current = group.excessInterest;
  return {
    compiled: c,
    isNotional: true,
    beginBalance: begin,
    balance: begin,
    currentInterest: current,
    interestDue: current + prior.interestShortfall,
    interestPaid: 0n,
    accreted: 0n,
    principalPaid: 0n,
    writedown: 0n,
    rate: begin > 0n ? { num: current * 12n, den: begin } : { num: 0n, den: 1n },
    capCarryover: 0n,
    capCarryoverPaid: 0n,
    unpaidWritedown: 0n,
    writedownReimbursed: 0n,
  };
}

/** Ledgers of every class but the residual (which takes what is left, see `payResidual`). */
function openClassLedgers(
  deal: CompiledDeal,
  state: DealState,
  pool: PoolPeriod,
  period: number,
): Map<string, ClassLedger> {
  const ledgers = new Map<string, ClassLedger>();
  for (const c of deal.classes) {
    if (!c.def.residual) ledgers.set(c.id, openClassLedger(deal, state, pool, period, c));
  }
  return ledgers;
}

/**
 * The funds: interest and principal collections, and each reserve account's balance. With
 * collateral groups each group's collections are its own funds, `interest.<group>` and
 * `principal.<group>`; `interest` and `principal` then start empty (steps naming them draw on
 * every group's fund, see `compileDeal`). Throws `EngineInputError` when the period lacks a
 * group's collections.
 */
function openFunds(deal: CompiledDeal, state: DealState, pool: PoolPeriod): Map<string, bigint> {
  const funds = new Map<string, bigint>();
  if (deal.groupIds.length > 0) {
    funds.set('interest', 0n);
    funds.set('principal', 0n);
    for (const id of deal.groupIds) {
      const g = groupPeriod(pool, id);
      funds.set(`interest.${id}`, g.interest);
      funds.set(`principal.${id}`, g.scheduledPrincipal + g.prepayments + g.recoveries);
    }
  } else {
    funds.set('interest', pool.interest);
    funds.set('principal', principalCollections(pool));
  }
  for (const a of deal.accounts) funds.set(a.id, state.accounts[a.id] ?? a.initial);
  return funds;
}

/**
 * What each fee is owed: fixed amount + annual percent / 12 of its basis (the beginning or the
 * original pool balance; rounded half up) + the shortfall carried from earlier periods.
 */
function feesDue(deal: CompiledDeal, state: DealState, pool: PoolPeriod): Map<string, bigint> {
  const due = new Map<string, bigint>();
  for (const f of deal.fees) {
    const basis = f.basis === 'poolBalance' ? pool.poolBalanceBegin : state.originalPoolBalance;
    const pct = f.annualPct === undefined ? 0n : divRound(basis * f.annualPct, WHOLE * 12n);
    due.set(f.id, f.fixed + pct + (state.feeShortfalls[f.id] ?? 0n));
  }
  return due;
}

function openPeriod(deal: CompiledDeal, state: DealState, pool: PoolPeriod): PeriodContext {
  const period = state.period + 1;
  const ledgers = openClassLedgers(deal, state, pool, period);
  const funds = openFunds(deal, state, pool);
  const due = feesDue(deal, state, pool);
  const feesPaid: Record<string, bigint> = {};
  for (const f of deal.fees) feesPaid[f.id] = 0n;
  return {
    deal,
    period,
    pool,
    state,
    funds,
    ledgers,
    ledgerList: [...ledgers.values()],
    triggers: new Map(),
    feesPaid,
    feesDue: due,
    seniorShifts: new Map(),
  };
}

// ------------------------------------------------------------------ closing the period

/** Pay what is left in the interest and principal funds to the residual class; returns it. */
/** Reserve account balances as the funds hold them now. */
function accountBalances(ctx: PeriodContext): Record<string, bigint> {
  const balances: Record<string, bigint> = {};
  for (const a of ctx.deal.accounts) balances[a.id] = ctx.funds.get(a.id) ?? 0n;
  return balances;
}

function payResidual(ctx: PeriodContext): bigint {
  let residual = 0n;
  for (const fund of ctx.deal.collectionFunds) {
    residual += ctx.funds.get(fund) ?? 0n;
    ctx.funds.set(fund, 0n);
  }
  return residual;
}

/**
 * Ratio-stripped PO classes are written down by their group's PO fraction of realized losses on
 * the discount loans (the "PO loss"), before the other classes absorb the rest of the losses.
 */
function writeDownPoLosses(ctx: PeriodContext): void {
  for (const ledger of ctx.ledgerList) {
    const strip = ledger.compiled.def.ratioStrip;
    if (strip?.part !== 'PO') continue;
    const amount = minBig(ledger.balance, groupPeriod(ctx.pool, strip.group).po.realizedLosses);
    ledger.balance -= amount;
    ledger.writedown += amount;
  }
}

/** Loss allocation: write down notes in `losses.writedownOrder` until they no longer exceed the pool. */
function writeDownLosses(ctx: PeriodContext): void {
  let excess = notesBalance(ctx) - ctx.pool.poolBalanceEnd;
  for (const id of ctx.deal.writedownOrder) {
    if (excess <= 0n) break;
    const ledger = ctx.ledgers.get(id);
    if (!ledger || ledger.isNotional) continue;
    const amount = minBig(ledger.balance, excess);
    ledger.balance -= amount;
    ledger.writedown += amount;
    excess -= amount;
  }
}

/** Notional (IO) classes follow the ending balances of the classes they reference. */
function updateNotionalBalances(ctx: PeriodContext): void {
  for (const ledger of ctx.ledgerList) {
    const strip = ledger.compiled.def.ratioStrip;
    if (strip?.part === 'IO') ledger.balance = groupPeriod(ctx.pool, strip.group).ioNotionalEnd;
    else if (ledger.isNotional) {
      ledger.balance = notionalBalance(ledger.compiled, (id) => ctx.ledgers.get(id)?.balance ?? 0n);
    }
  }
}

/**
 * Conservation: cash in (interest + principal collections) = fees + class interest (with cap
 * carryover) + principal + write-down reimbursements + residual + increase of the reserve
 * accounts, to the unit; no class amount or account may be negative and every note balance must
 * roll forward (begin + accreted - principal - write-down = end). Throws `ConservationError`.
 */
function reconcileCash(
  ctx: PeriodContext,
  residual: bigint,
  accountsBegin: Record<string, bigint>,
): CashTotals {
  const { pool, period } = ctx;
  const cashIn = pool.interest + principalCollections(pool);
  let cashOut = residual;
  for (const v of Object.values(ctx.feesPaid)) cashOut += v;
  let classInterestCash = 0n;
  for (const ledger of ctx.ledgerList) {
    const interestCash = cashInterest(ledger);
    classInterestCash += interestCash;
    cashOut += interestCash + ledger.principalPaid + ledger.writedownReimbursed;
    const id = ledger.compiled.id;
    if (ledger.balance < 0n || interestCash < 0n || ledger.principalPaid < 0n) {
      throw new ConservationError(`period ${period}: class ${id} has a negative amount`);
    }
    const rolled = ledger.beginBalance + ledger.accreted - ledger.principalPaid - ledger.writedown;
    if (!ledger.isNotional && rolled !== ledger.balance) {
      throw new ConservationError(`period ${period}: class ${id} balance does not roll forward`);
    }
  }
  const accounts: Record<string, bigint> = {};
  for (const a of ctx.deal.accounts) {
    const v = ctx.funds.get(a.id) ?? 0n;
    if (v < 0n) throw new ConservationError(`period ${period}: account ${a.id} is negative`);
    accounts[a.id] = v;
    cashOut += v - (accountsBegin[a.id] ?? 0n);
  }
  if (cashIn !== cashOut) {
    throw new ConservationError(`period ${period}: cash in ${cashIn} != cash out ${cashOut}`);
  }
  return { cashIn, cashOut, classInterestCash, accounts };
}

/**
 * Run one period of the waterfall on exact minor units, in this order: open each class's ledger
 * (beginning balance, coupon, interest due = current interest, net-WAC capped, + carried
 * shortfall), the funds and the fees due; evaluate the triggers on the period's collections and
 * the beginning balances; run the steps; pay what is left in the interest and principal funds to
 * the residual class; write down classes in `losses.writedownOrder` until the notes no longer
 * exceed the pool balance; reset notional balances. Checks that cash in = cash out to the unit
 * and that no balance is negative, throwing `ConservationError` otherwise.
 */
export function runPeriod(deal: CompiledDeal, state: DealState, pool: PoolPeriod): PeriodResult {
  const ctx = openPeriod(deal, state, pool);
  const accountsBegin = accountBalances(ctx);
  evaluateTriggers(ctx);
  runSteps(ctx, deal.steps);
  const residual = payResidual(ctx);
  writeDownPoLosses(ctx);
  writeDownLosses(ctx);
  updateNotionalBalances(ctx);
  const cash = reconcileCash(ctx, residual, accountsBegin);
  const next = nextDealState(ctx, cash.accounts);
  return {
    summary: periodSummary(ctx, residual, cash, next),
    classes: classRows(ctx, residual, next),
    next,
  };
}
