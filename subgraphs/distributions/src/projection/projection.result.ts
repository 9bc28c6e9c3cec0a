import type { ProjectionResult } from '@tranche/engine';
import type { DealProjection } from './projection.types.js';

/**
 * Which of a projection's per-period lists a caller selected. A grid that asks for WALs needs
 * neither, and building and copying 360 periods × every class across threads for 25 scenarios
 * is most of the main thread's share of a grid.
 */
export interface ProjectionShape {
  /** `classes { cashFlows }` */
  cashFlows: boolean;
  /** `pool` */
  pool: boolean;
}

export const FULL: ProjectionShape = { cashFlows: true, pool: true };

/**
 * An engine projection as the API's `DealProjection` (payment dates joined onto each row); the
 * per-period lists `shape` leaves out are empty (the caller did not select them).
 */
export function toDealProjection(result: ProjectionResult, shape: ProjectionShape = FULL): DealProjection {
  const dates = new Map(result.periods.map((p) => [p.period, p.paymentDate ?? null]));
  return {
    scenarioName: result.scenario.name ?? null,
    poolWal: result.poolWal,
    periods: result.periods.length,
    classes: result.classes.map((c) => ({
      classId: c.classId,
      originalBalance: c.originalBalance,
      wal: c.wal,
      principalWindowFirst: c.principalWindow?.first ?? null,
      principalWindowLast: c.principalWindow?.last ?? null,
      totalInterest: c.totalInterest,
      totalPrincipal: c.totalPrincipal,
      totalWritedown: c.totalWritedown,
      finalBalance: c.finalBalance,
      cashFlows: shape.cashFlows
        ? c.rows.map((r) => ({ ...r, paymentDate: dates.get(r.period) ?? null }))
        : [],
    })),
    pool: !shape.pool
      ? []
      : result.periods.map((p) => ({
          period: p.period,
          paymentDate: p.paymentDate ?? null,
          poolBalanceBegin: p.pool.poolBalanceBegin,
          interest: p.pool.interest,
          scheduledPrincipal: p.pool.scheduledPrincipal,
          prepayments: p.pool.prepayments,
          recoveries: p.pool.recoveries,
          realizedLosses: p.pool.realizedLosses,
          poolBalanceEnd: p.pool.poolBalanceEnd,
          residual: p.residual,
          triggers: Object.entries(p.triggers).map(([trigger, breached]) => ({ trigger, breached })),
        })),
  };
}
