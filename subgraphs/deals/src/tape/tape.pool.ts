import type { EntityManager } from '@mikro-orm/postgresql';
import type { StratBucket, TapeStratification } from './loan-tape.entity.js';

/** Stratification as stored (jsonb): amounts as decimal strings. */
type StoredBucket = { key: string; loanCount: number; balance: string; share: number };
export type StoredStratification = Omit<
  TapeStratification,
  | 'currentBalance'
  | 'originalBalance'
  | 'averageBalance'
  | 'byState'
  | 'byDelinquency'
  | 'byOccupancy'
  | 'byLtv'
  | 'byFico'
> & {
  currentBalance: string;
  originalBalance: string;
  averageBalance: string;
  byState: StoredBucket[];
  byDelinquency: StoredBucket[];
  byOccupancy: StoredBucket[];
  byLtv: StoredBucket[];
  byFico: StoredBucket[];
};

const LTV_BAND = `case when ltv_bps <= 6000 then '≤60' when ltv_bps <= 7000 then '60–70' when ltv_bps <= 8000 then '70–80'
  when ltv_bps <= 9000 then '80–90' when ltv_bps <= 10000 then '90–100' else '>100' end`;
const FICO_BAND = `case when fico < 620 then '<620' when fico < 680 then '620–679' when fico < 720 then '680–719'
  when fico < 760 then '720–759' else '≥760' end`;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The stratification of a tape's loans, computed in PostgreSQL (in the ingest's transaction, before
 * it commits): totals, balance-weighted averages, and buckets by state, delinquency, occupancy, LTV
 * and FICO, each with its share of the current balance.
 */
export async function stratify(
  tx: EntityManager,
  schema: string,
  tapeId: string,
): Promise<StoredStratification> {
  const [totals] = await tx.execute<Record<string, string | number | null>[]>(
    `select count(*)::int as n, coalesce(sum(current_balance), 0)::text as cb, coalesce(sum(original_balance), 0)::text as ob,
       sum(current_balance * note_rate) / nullif(sum(current_balance), 0) as wac,
       sum(current_balance * remaining_term) / nullif(sum(current_balance), 0) as wam,
       sum(current_balance * ltv_bps) / nullif(sum(current_balance), 0) / 100 as waltv,
       sum(current_balance * fico) / nullif(sum(current_balance), 0) as wafico,
       sum(current_balance * dti_bps) / nullif(sum(current_balance), 0) / 100 as wadti
     from "${schema}".loan where tape_id = ?`,
    [tapeId],
  );
  const n = Number(totals!.n);
  const cb = BigInt(totals!.cb as string);
  const buckets = async (expr: string, order: string): Promise<StoredBucket[]> => {
    const rows = await tx.execute<{ key: string; n: number; b: string }[]>(
      `select ${expr} as key, count(*)::int as n, sum(current_balance)::text as b
       from "${schema}".loan where tape_id = ? group by 1 order by ${order}`,
      [tapeId],
    );
    return rows.map((r) => ({
      key: r.key,
      loanCount: Number(r.n),
      balance: r.b,
      share: cb > 0n ? round(Number((BigInt(r.b) * 1_000_000n) / cb) / 1_000_000, 6) : 0,
    }));
  };
  return {
    loanCount: n,
    currentBalance: cb.toString(),
    originalBalance: String(totals!.ob),
    averageBalance: n ? (cb / BigInt(n)).toString() : '0',
    wac: round(Number(totals!.wac ?? 0), 4),
    wam: round(Number(totals!.wam ?? 0), 2),
    waLtv: round(Number(totals!.waltv ?? 0), 2),
    waFico: round(Number(totals!.wafico ?? 0), 1),
    waDti: round(Number(totals!.wadti ?? 0), 2),
    byState: await buckets('property_state', 'sum(current_balance) desc, 1'),
    byDelinquency: await buckets('delinquency_status', 'min(days_delinquent), 1'),
    byOccupancy: await buckets('occupancy', 'sum(current_balance) desc, 1'),
    byLtv: await buckets(LTV_BAND, 'min(ltv_bps)'),
    byFico: await buckets(FICO_BAND, 'min(fico)'),
  };
}

const bucketOf = (b: StoredBucket): StratBucket => ({ ...b, balance: BigInt(b.balance) });

/** The stored stratification as the GraphQL type. */
export function stratificationOf(stored: StoredStratification): TapeStratification {
  return {
    ...stored,
    currentBalance: BigInt(stored.currentBalance),
    originalBalance: BigInt(stored.originalBalance),
    averageBalance: BigInt(stored.averageBalance),
    byState: stored.byState.map(bucketOf),
    byDelinquency: stored.byDelinquency.map(bucketOf),
    byOccupancy: stored.byOccupancy.map(bucketOf),
    byLtv: stored.byLtv.map(bucketOf),
    byFico: stored.byFico.map(bucketOf),
  } as TapeStratification;
}

/** A line of the engine's collateral document (balances in major units). */
interface CollateralLine {
  balance: number;
  couponPct: number;
  servicingFeePct: number;
  originalTerm: number;
  remainingTerm: number;
}

/**
 * The collateral the engine projects, from a tape: one line per loan for the staff who work with
 * loans, or representative lines for everyone else — loans grouped by coupon (to 1/8 %), servicing
 * fee, original term and remaining-term year, each line carrying its group's balance and its
 * balance-weighted remaining term — so no reader outside {@link LOAN_READERS} sees a loan.
 * Delinquent loans are projected like the others (the engine's scenario carries defaults).
 */
export async function collateralFromTape(
  em: EntityManager,
  schema: string,
  tapeId: string,
  level: 'loans' | 'representative',
): Promise<string> {
  const rows =
    level === 'loans'
      ? await em.execute<Record<string, string | number>[]>(
          `select current_balance::text as b, note_rate as c, servicing_fee_rate as s, original_term as o, remaining_term as r
           from "${schema}".loan where tape_id = ? and current_balance > 0 order by row`,
          [tapeId],
        )
      : await em.execute<Record<string, string | number>[]>(
          `select sum(current_balance)::text as b,
             round(sum(current_balance * note_rate) / sum(current_balance) * 8) / 8 as c,
             servicing_fee_rate as s, original_term as o,
             greatest(1, round(sum(current_balance * remaining_term) / sum(current_balance)))::int as r
           from "${schema}".loan where tape_id = ? and current_balance > 0
           group by round(note_rate * 8), servicing_fee_rate, original_term, remaining_term / 12
           order by 1 desc`,
          [tapeId],
        );
  const loans: CollateralLine[] = rows.map((r) => ({
    balance: Number(BigInt(r.b as string)) / 100,
    couponPct: Number(r.c),
    servicingFeePct: Number(r.s),
    originalTerm: Number(r.o),
    remainingTerm: Math.max(1, Number(r.r)),
  }));
  return JSON.stringify({ loans });
}

/**
 * Representative lines of a collateral document (the engine's `{ loans: [...] }`): lines that agree
 * on everything but balance, coupon (to 1/8 %) and remaining term (to the year) are merged, with
 * balance-weighted coupon and remaining term — what a reader who may not see loans is given.
 */
export function representativeLines(collateral: string): string {
  const doc = JSON.parse(collateral) as { loans?: Record<string, unknown>[] } & Record<string, unknown>;
  if (!Array.isArray(doc.loans)) return collateral;
  const groups = new Map<
    string,
    { line: Record<string, unknown>; balance: number; coupon: number; term: number }
  >();
  for (const loan of doc.loans) {
    const balance = Number(loan.balance ?? 0);
    const coupon = Number(loan.couponPct ?? 0);
    const term = Number(loan.remainingTerm ?? 0);
    const { balance: _b, couponPct: _c, remainingTerm: _r, id: _id, loanId: _l, ...rest } = loan;
    const key = JSON.stringify([Math.round(coupon * 8), Math.floor(term / 12), Object.entries(rest).sort()]);
    const g = groups.get(key);
    if (g) {
      g.balance += balance;
      g.coupon += coupon * balance;
      g.term += term * balance;
    } else groups.set(key, { line: rest, balance, coupon: coupon * balance, term: term * balance });
  }
  const loans = [...groups.values()].map((g) => ({
    ...g.line,
    balance: Math.round(g.balance * 100) / 100,
    couponPct: g.balance ? Math.round((g.coupon / g.balance) * 8) / 8 : 0,
    remainingTerm: g.balance ? Math.max(1, Math.round(g.term / g.balance)) : 1,
  }));
  return JSON.stringify({ ...doc, loans });
}
