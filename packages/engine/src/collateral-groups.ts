import { projectCollateral } from './collateral-projection.js';
import { buildLoanBook, type Collateral } from './collateral.js';
import { EngineInputError } from './errors.js';
import { poolPeriodsFromFlows, type GroupPeriod, type PoolPeriod, type PoPortion } from './pool.js';
import type { CollateralGroupDef } from './rules.js';
import type { Scenario } from './scenario.js';

/*
 * Collateral groups and ratio strips: each group of a multi-group deal (and a single group with a
 * strip rate) is projected on its own, so the waterfall sees each group's collections, and the
 * PO and IO portions of a ratio-stripped group are projected as scaled copies of its loans.
 */

/** Loans of each declared group; loans without a `group` are in the first group. */
function loansByGroup(
  collateral: Collateral,
  groups: CollateralGroupDef[],
): Map<string, Collateral['loans']> {
  const byGroup = new Map<string, Collateral['loans']>(groups.map((g) => [g.id, []]));
  const first = groups[0]?.id ?? '';
  collateral.loans.forEach((loan, i) => {
    const list = byGroup.get(loan.group ?? first);
    if (!list) {
      throw new EngineInputError([
        {
          path: `collateral.loans[${i}].group`,
          message: `unknown collateral group "${loan.group ?? ''}" (the rule document declares ${groups.map((g) => `"${g.id}"`).join(', ')})`,
        },
      ]);
    }
    list.push(loan);
  });
  return byGroup;
}

/** The loans with balances scaled by `weight(loan)`, dropping those weighted 0. */
function scaled(loans: Collateral['loans'], weight: (netPct: number) => number): Collateral['loans'] {
  const out: Collateral['loans'] = [];
  for (const loan of loans) {
    const w = weight(loan.couponPct - loan.servicingFeePct - loan.otherFeePct);
    if (w > 0) out.push({ ...loan, balance: loan.balance * w });
  }
  return out;
}

/** Cents of one projected sub-pool, or zero periods when it has no loans. */
function subPool(loans: Collateral['loans'], s: Scenario, digits: number): PoolPeriod[] {
  if (loans.length === 0) return [];
  return poolPeriodsFromFlows(projectCollateral(buildLoanBook({ loans }), s), digits);
}

function poPortion(p: PoolPeriod | undefined): PoPortion {
  return {
    balanceBegin: p?.poolBalanceBegin ?? 0n,
    balanceEnd: p?.poolBalanceEnd ?? 0n,
    scheduledPrincipal: p?.scheduledPrincipal ?? 0n,
    prepayments: p?.prepayments ?? 0n,
    recoveries: p?.recoveries ?? 0n,
    realizedLosses: p?.realizedLosses ?? 0n,
  };
}

/**
 * Project grouped collateral into pool periods with per-group collections. Each group's loans are
 * projected on their own. A group with a strip rate T is also projected as two scaled copies: its
 * discount loans (net rate below T) at balance x (T - net) / T, whose principal items are the PO
 * portion (the PO fraction of scheduled principal, prepayments, net liquidation proceeds and
 * realized losses), and its premium loans (net rate above T) at balance x (net - T) / net, whose
 * net interest is the excess interest (net - T) x balance / 12 that the IO class receives; the
 * premium loans' own balance is the IO's notional amount. The pool fields are the groups' sums;
 * periods run to the longest group. Throws `EngineInputError` for a loan in an undeclared group.
 */
export function projectGroupedPool(
  collateral: Collateral,
  groups: CollateralGroupDef[],
  s: Scenario,
  digits: number,
): PoolPeriod[] {
  const byGroup = loansByGroup(collateral, groups);
  const perGroup = groups.map((g) => {
    const loans = byGroup.get(g.id) ?? [];
    const whole = subPool(loans, s, digits);
    const t = g.stripRatePct;
    if (t === undefined) return { id: g.id, whole, po: [], excess: [], premium: [] };
    const po = subPool(
      scaled(loans, (net) => (net < t ? (t - net) / t : 0)),
      s,
      digits,
    );
    const excess = subPool(
      scaled(loans, (net) => (net > t ? (net - t) / net : 0)),
      s,
      digits,
    );
    const premium = subPool(
      scaled(loans, (net) => (net > t ? 1 : 0)),
      s,
      digits,
    );
    return { id: g.id, whole, po, excess, premium };
  });
  const periods = Math.max(0, ...perGroup.map((g) => g.whole.length));
  const out: PoolPeriod[] = [];
  for (let i = 0; i < periods; i++) {
    const parts: GroupPeriod[] = perGroup.map((g) => {
      const w = g.whole[i];
      const premium = g.premium[i];
      return {
        id: g.id,
        poolBalanceBegin: w?.poolBalanceBegin ?? 0n,
        interest: w?.interest ?? 0n,
        scheduledPrincipal: w?.scheduledPrincipal ?? 0n,
        prepayments: w?.prepayments ?? 0n,
        recoveries: w?.recoveries ?? 0n,
        realizedLosses: w?.realizedLosses ?? 0n,
        delinquent60Plus: w?.delinquent60Plus ?? 0n,
        poolBalanceEnd: w?.poolBalanceEnd ?? 0n,
        po: poPortion(g.po[i]),
        excessInterest: g.excess[i]?.interest ?? 0n,
        ioNotionalBegin: premium?.poolBalanceBegin ?? 0n,
        ioNotionalEnd: premium?.poolBalanceEnd ?? 0n,
      };
    });
    const sum = (f: (x: GroupPeriod) => bigint): bigint => parts.reduce((t, x) => t + f(x), 0n);
    let servicingFee = 0n;
    let newDefaults = 0n;
    let indexRates = new Map<string, bigint>();
    for (const g of perGroup) {
      servicingFee += g.whole[i]?.servicingFee ?? 0n;
      newDefaults += g.whole[i]?.newDefaults ?? 0n;
      const rates = g.whole[i]?.indexRates;
      if (rates && rates.size > indexRates.size) indexRates = rates;
    }
    out.push({
      period: i + 1,
      poolBalanceBegin: sum((x) => x.poolBalanceBegin),
      interest: sum((x) => x.interest),
      servicingFee,
      scheduledPrincipal: sum((x) => x.scheduledPrincipal),
      prepayments: sum((x) => x.prepayments),
      recoveries: sum((x) => x.recoveries),
      realizedLosses: sum((x) => x.realizedLosses),
      newDefaults,
      delinquent60Plus: sum((x) => x.delinquent60Plus),
      poolBalanceEnd: sum((x) => x.poolBalanceEnd),
      indexRates,
      groups: parts,
    });
  }
  return out;
}
