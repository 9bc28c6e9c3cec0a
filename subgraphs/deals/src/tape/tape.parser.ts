import { parse, CsvError } from 'csv-parse';
import {
  COLUMNS,
  COLUMN_BY_NAME,
  crossFieldErrors,
  DEFAULT_SERVICING_FEE,
  REQUIRED_COLUMNS,
  type Occupancy,
  type TapeLoan,
} from './tape.format.js';

/** One reason a tape is refused: the row (the header is row 1) and the column it is about. */
export interface TapeError {
  row: number;
  /** The column's header name, or `#n` (1-based) when the header does not name it. */
  column: string | null;
  message: string;
}

export interface ParseTapeOptions {
  /** The tape's cut-off date, YYYY-MM-DD (loans cannot be originated after it). */
  cutoffDate: string;
  /** Most loans accepted (TAPE_MAX_ROWS). */
  maxRows: number;
  /** Errors kept for the report (the count goes on). */
  maxErrors?: number;
  /** Valid loans, in batches, while no error has been found (the caller writes them in its transaction). */
  onLoans?: (loans: TapeLoan[], firstRow: number) => Promise<void>;
  batchSize?: number;
  /** Called every `progressEvery` rows with the rows read so far. */
  onProgress?: (rows: number) => Promise<void> | void;
  progressEvery?: number;
  signal?: AbortSignal;
}

export interface ParseTapeResult {
  /** Data rows read (the header excluded). */
  rows: number;
  errors: TapeError[];
  errorCount: number;
}

/** Byte-order marks refused at the start of a tape, with the fix. */
const BOMS: readonly [number[], string][] = [
  [[0xef, 0xbb, 0xbf], 'a UTF-8 byte-order mark: save the tape as CSV UTF-8 without a BOM'],
  [[0xff, 0xfe], 'a UTF-16 byte-order mark: the tape must be UTF-8'],
  [[0xfe, 0xff], 'a UTF-16 byte-order mark: the tape must be UTF-8'],
];

/**
 * Reads a loan tape (CSV, UTF-8, comma-separated, header row) as a stream and validates every
 * row: header names, each value ({@link COLUMNS}), cross-field rules, unique loan ids and the row
 * limit. Valid loans go to `onLoans` in batches only while the tape is clean; the caller writes them
 * inside one transaction and rolls back when `errors` is not empty, so a bad tape writes nothing.
 * The first `maxErrors` errors are kept, each naming its row and column.
 */
export async function parseTape(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: ParseTapeOptions,
): Promise<ParseTapeResult> {
  const maxErrors = options.maxErrors ?? 100;
  const batchSize = options.batchSize ?? 1000;
  const progressEvery = options.progressEvery ?? 5000;
  const errors: TapeError[] = [];
  let errorCount = 0;
  const fail = (row: number, column: string | null, message: string) => {
    errorCount += 1;
    if (errors.length < maxErrors) errors.push({ row, column, message });
  };

  let header: string[] | null = null;
  let indexes: Map<string, number> | null = null;
  let row = 0;
  const seen = new Set<string>();
  let batch: TapeLoan[] = [];
  let batchFirstRow = 2;
  let firstChunk = true;
  const emptyRows: number[] = [];

  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: false,
    trim: true,
    // The header is kept as it is read, so an error thrown before the loop sees it still names columns.
    on_record: (record: string[], context: { records: number }) => {
      if (context.records === 1) header ??= record.map((h) => h.trim().toLowerCase());
      return record;
    },
  });
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        parser.off('drain', done);
        parser.off('close', done);
        resolve();
      };
      parser.once('drain', done);
      parser.once('close', done);
    });
  const feed = (async () => {
    try {
      for await (const chunk of source) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        if (firstChunk && bytes.length) {
          firstChunk = false;
          const bom = BOMS.find(([b]) => b.every((x, i) => bytes[i] === x));
          if (bom) {
            fail(1, '#1', `the file starts with ${bom[1]}`);
            parser.end();
            return;
          }
        }
        if (parser.destroyed) return;
        if (!parser.write(bytes)) await drained();
      }
      parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();

  const columnOf = (i: number) => header?.[i] ?? `#${i + 1}`;

  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      if (options.signal?.aborted) throw new Error('the worker is stopping: the tape is read again later');
      if (row === 1) {
        header = record.map((h) => h.trim().toLowerCase());
        checkHeader(header, fail);
        if (errorCount) break;
        indexes = new Map(header.map((h, i) => [h, i]));
        continue;
      }
      if (record.length === 1 && record[0] === '') {
        emptyRows.push(row); // an error only when a loan follows (trailing blank lines are ignored)
        continue;
      }
      for (const empty of emptyRows.splice(0)) fail(empty, null, 'the row is empty');
      if (row - 1 > options.maxRows) {
        fail(row, null, `the tape has more than ${options.maxRows} loans (TAPE_MAX_ROWS)`);
        break;
      }
      const loan = readRow(record, row, header!, indexes!, options.cutoffDate, fail, columnOf);
      if (loan) {
        if (seen.has(loan.loanId)) fail(row, 'loan_id', `${loan.loanId} appears twice`);
        seen.add(loan.loanId);
        if (errorCount === 0) {
          batch.push(loan);
          if (batch.length >= batchSize) {
            await options.onLoans?.(batch, batchFirstRow);
            batch = [];
            batchFirstRow = row + 1;
          }
        }
      }
      if ((row - 1) % progressEvery === 0) await options.onProgress?.(row - 1);
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = (err as unknown as { lines?: number }).lines;
    fail(
      typeof line === 'number' && line > 0 ? line : row + 1,
      csvErrorColumn(err, columnOf),
      csvErrorMessage(err),
    );
  } finally {
    parser.destroy();
    await feed;
  }

  const loans = row - 1 - emptyRows.length;
  if (row === 0 && errorCount === 0) fail(1, null, 'the file is empty: a header row and at least one loan');
  else if (row >= 1 && loans <= 0 && errorCount === 0) fail(2, null, 'the tape has a header but no loans');
  if (errorCount === 0 && batch.length) await options.onLoans?.(batch, batchFirstRow);
  await options.onProgress?.(Math.max(0, loans));
  return { rows: Math.max(0, loans), errors, errorCount };
}

function checkHeader(header: string[], fail: (row: number, column: string | null, message: string) => void) {
  if (header.length === 1) {
    const delimiter = [';', '\t', '|'].find((d) => header[0]!.includes(d));
    if (delimiter) {
      fail(1, '#1', `columns are separated by ${JSON.stringify(delimiter)}, not commas`);
      return;
    }
  }
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') fail(1, `#${i + 1}`, 'the header has an empty column name');
    else if (!COLUMN_BY_NAME.has(name))
      fail(1, name, `unknown column (expected: ${COLUMNS.map((c) => c.name).join(', ')})`);
    else if (seen.has(name)) fail(1, name, 'the column appears twice');
    seen.add(name);
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!seen.has(required)) fail(1, required, 'required column is missing');
  }
}

function readRow(
  record: string[],
  row: number,
  header: string[],
  indexes: Map<string, number>,
  cutoffDate: string,
  fail: (row: number, column: string | null, message: string) => void,
  columnOf: (i: number) => string,
): TapeLoan | null {
  if (record.length !== header.length) {
    const column = record.length < header.length ? columnOf(record.length) : `#${header.length + 1}`;
    fail(row, column, `the row has ${record.length} fields, the header has ${header.length}`);
    return null;
  }
  const values: Record<string, unknown> = {};
  let rowErrors = 0;
  for (const spec of COLUMNS) {
    const i = indexes.get(spec.name);
    if (i === undefined) continue;
    const raw = record[i]!;
    if (/[\r\n]/.test(raw)) {
      fail(row, spec.name, 'contains a line break');
      rowErrors++;
      continue;
    }
    if (raw.includes('\uFFFD')) {
      fail(row, spec.name, 'is not valid UTF-8');
      rowErrors++;
      continue;
    }
    if (raw === '') {
      if (spec.required) {
        fail(row, spec.name, 'is empty');
        rowErrors++;
      }
      continue;
    }
    const parsed = spec.parse(raw);
    if (parsed.ok) values[spec.name] = parsed.value;
    else {
      fail(row, spec.name, parsed.reason);
      rowErrors++;
    }
  }
  if (rowErrors) return null;
  const loan: TapeLoan = {
    loanId: values.loan_id as string,
    originalBalance: values.original_balance as bigint,
    currentBalance: values.current_balance as bigint,
    noteRate: values.note_rate as number,
    originalTerm: values.original_term as number,
    remainingTerm: values.remaining_term as number,
    ltvBps: Math.round((values.ltv as number) * 100),
    fico: values.fico as number,
    dtiBps: Math.round((values.dti as number) * 100),
    propertyState: values.property_state as string,
    propertyZip: values.property_zip as string,
    occupancy: values.occupancy as Occupancy,
    delinquencyStatus: values.delinquency_status as string,
    daysDelinquent: values.days_delinquent as number,
    originationDate: (values.origination_date as string | undefined) ?? null,
    servicingFeeRate: (values.servicing_fee_rate as number | undefined) ?? DEFAULT_SERVICING_FEE,
    borrowerName: values.borrower_name as string,
    borrowerSsn: values.borrower_ssn as string,
  };
  const cross = crossFieldErrors(loan, cutoffDate);
  for (const e of cross) fail(row, e.column, e.message);
  return cross.length ? null : loan;
}

function csvErrorMessage(err: CsvError): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is not closed before the end of the file';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote inside a field is not escaped (write "" for a quote in a quoted field)';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote appears inside an unquoted field (quote the whole field)';
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text follows a closing quote';
    default:
      return `the CSV cannot be read: ${err.message}`;
  }
}

function csvErrorColumn(err: CsvError, columnOf: (i: number) => string): string | null {
  const fields = (err as unknown as { record?: unknown[] }).record;
  const index = (err as unknown as { index?: number }).index;
  if (typeof index === 'number') return columnOf(index);
  if (Array.isArray(fields)) return columnOf(fields.length);
  return null;
}
