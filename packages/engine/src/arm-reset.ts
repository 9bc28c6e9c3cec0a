import type { LoanBook } from './collateral.js';

/**
 * An ARM's note rate for the month: unchanged unless the loan resets at this age; at a reset,
 * index (looked back) + margin, rounded, held within the first-reset or periodic cap and floor
 * and the lifetime cap and floor (never below 0).
 */
export function resetArm(
  book: LoanBook,
  indexTables: Float64Array[],
  i: number,
  age: number,
  p: number,
  current: number,
): number {
  const fixed = book.initialFixedMonths[i] as number;
  const frequency = book.resetFrequencyMonths[i] as number;
  if (age <= fixed || (age - fixed - 1) % frequency !== 0) return current;
  const table = indexTables[book.armIndexId[i] as number];
  if (!table) return current;
  const at = Math.max(1, p - (book.lookbackMonths[i] as number));
  let target = (table[Math.min(at, table.length - 1)] as number) + (book.margin[i] as number);
  const step = book.rounding[i] as number;
  if (step > 0) target = Math.round(target / step) * step;
  const first = age === fixed + 1;
  const up = first ? (book.initialCap[i] as number) : (book.periodicCap[i] as number);
  const down = first ? (book.initialCap[i] as number) : (book.periodicFloor[i] as number);
  target = Math.min(target, current + up);
  target = Math.max(target, current - down);
  target = Math.min(target, book.lifetimeCap[i] as number);
  target = Math.max(target, book.lifetimeFloor[i] as number, 0);
  return target;
}
