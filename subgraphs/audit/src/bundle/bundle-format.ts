// The audit bundle's file format is defined in `@tranche/verify`, with the verifier that the
// command and the auditor's browser run; the writer adds only how lines are written.
import { canonicalJson } from '@tranche/platform';

export * from '@tranche/verify/format';
export { sha256Hex } from '@tranche/verify';

/** JSON-lines text of `rows`, each in canonical JSON (the same rows always give the same bytes). */
export function jsonLines(rows: readonly unknown[]): Buffer {
  return Buffer.from(rows.map((row) => `${canonicalJson(row)}\n`).join(''), 'utf8');
}
