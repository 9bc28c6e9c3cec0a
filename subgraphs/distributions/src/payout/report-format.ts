import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ValidationError } from '@tranche/platform';

/**
 * The servicer report's fields (the engine's `ServicerReportSchema`) and their CSV column names: a
 * remittance report as CSV is one header row and one data row, columns in any order, snake_case
 * (`pool_balance_begin`) or camelCase; index fixings as `index_<NAME>` columns (`index_SOFR`).
 */
export const REPORT_COLUMNS: Record<string, string> = {
  period: 'period',
  pool_balance_begin: 'poolBalanceBegin',
  interest_collected: 'interestCollected',
  servicing_fee: 'servicingFee',
  scheduled_principal: 'scheduledPrincipal',
  prepayments: 'prepayments',
  recoveries: 'recoveries',
  realized_losses: 'realizedLosses',
  new_defaults: 'newDefaults',
  delinquent_60_plus: 'delinquent60Plus',
  pool_balance_end: 'poolBalanceEnd',
};
const CAMEL = new Set(Object.values(REPORT_COLUMNS));

export type ReportFormat = 'JSON' | 'CSV';

/**
 * A report's text (JSON, or CSV as above) as the engine's JSON input. Unknown columns, a second data
 * row, an empty cell or a non-integer period are named; nothing is guessed.
 *
 * @throws ValidationError naming the column (`report.<column>`).
 */
export function reportJson(text: string, format: ReportFormat): string {
  if (format === 'JSON') {
    try {
      return JSON.stringify(JSON.parse(text));
    } catch {
      throw new ValidationError({ report: 'not JSON' });
    }
  }
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), {
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    }) as string[][];
  } catch (err) {
    throw new ValidationError({ report: `not CSV: ${(err as Error).message}` });
  }
  if (rows.length !== 2)
    throw new ValidationError({
      report: `a report is one header row and one data row; found ${Math.max(0, rows.length - 1)} data rows`,
    });
  const [header, values] = rows as [string[], string[]];
  const fields: Record<string, string> = {};
  const out: Record<string, unknown> = {};
  const indexRates: Record<string, string> = {};
  header.forEach((column, i) => {
    const value = values[i] ?? '';
    const key = REPORT_COLUMNS[column.toLowerCase()] ?? (CAMEL.has(column) ? column : undefined);
    if (column.toLowerCase().startsWith('index_')) {
      if (value !== '') indexRates[column.slice('index_'.length).toUpperCase()] = value;
      return;
    }
    if (!key) {
      fields[`report.${column}`] = 'unknown column';
      return;
    }
    if (value === '') {
      fields[`report.${column}`] = 'empty';
      return;
    }
    if (key === 'period') {
      if (!/^\d+$/.test(value)) fields[`report.${column}`] = 'a whole number';
      else out.period = Number(value);
    } else out[key] = value;
  });
  if (Object.keys(fields).length) throw new ValidationError(fields);
  if (Object.keys(indexRates).length) out.indexRates = indexRates;
  return JSON.stringify(out);
}

/**
 * Where servicer systems' reports come from without an upload (the plan's oracle data sources): one
 * interface, and a local implementation that reads what a servicer's SFTP drop delivers.
 */
export interface ServicerConnector {
  readonly name: string;
  /** The report for the deal's period, as text with its format; null when none was delivered. */
  fetch(dealId: string, period: number): Promise<{ text: string; format: ReportFormat } | null>;
}

/** Reads `<dir>/<dealId>/<period>.json` or `.csv` (a servicer's file drop). */
export class FileDropConnector implements ServicerConnector {
  readonly name = 'file-drop';
  constructor(private readonly dir: string) {}

  async fetch(dealId: string, period: number): Promise<{ text: string; format: ReportFormat } | null> {
    if (!/^[0-9a-f-]{36}$/i.test(dealId) || !Number.isInteger(period) || period < 1) return null;
    for (const format of ['JSON', 'CSV'] as const) {
      try {
        const text = await readFile(join(this.dir, dealId, `${period}.${format.toLowerCase()}`), 'utf8');
        return { text, format };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return null;
  }
}
