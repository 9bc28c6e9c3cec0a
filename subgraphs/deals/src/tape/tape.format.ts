/**
 * The loan tape's columns and what each accepts: one place, read by the parser, the docs
 * (`README.md`) and the back office's template. Values are checked one by one; a bad value is an
 * error naming its row and column, never a silent coercion.
 */

/** Occupancy of the mortgaged property. */
export const OCCUPANCIES = ['PRIMARY', 'SECOND_HOME', 'INVESTMENT'] as const;
export type Occupancy = (typeof OCCUPANCIES)[number];

/**
 * Delinquency status (MBA method) and the days-delinquent range each allows: a loan 45 days late is
 * DQ30, not CURRENT. FORECLOSURE, REO and BANKRUPTCY take any number of days.
 */
export const DELINQUENCY_DAYS: Readonly<Record<string, readonly [number, number]>> = {
  CURRENT: [0, 29],
  DQ30: [30, 59],
  DQ60: [60, 89],
  DQ90: [90, 119],
  DQ120_PLUS: [120, 9999],
  FORECLOSURE: [0, 9999],
  REO: [0, 9999],
  BANKRUPTCY: [0, 9999],
};
export const DELINQUENCY_STATUSES = Object.keys(DELINQUENCY_DAYS);

/** USPS codes of the states, DC and the territories a US mortgage may be secured in. */
export const US_STATES = new Set(
  (
    'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND ' +
    'OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP'
  ).split(' '),
);

/** One validated loan, in the units the platform stores (minor units, basis points). */
export interface TapeLoan {
  loanId: string;
  originalBalance: bigint;
  currentBalance: bigint;
  /** Gross note rate, percent a year (6.5 = 6.5 %). */
  noteRate: number;
  originalTerm: number;
  remainingTerm: number;
  ltvBps: number;
  fico: number;
  dtiBps: number;
  propertyState: string;
  propertyZip: string;
  occupancy: Occupancy;
  delinquencyStatus: string;
  daysDelinquent: number;
  /** YYYY-MM-DD, optional column. */
  originationDate: string | null;
  /** Servicing fee, percent a year; optional column (default 0.25). */
  servicingFeeRate: number;
  borrowerName: string;
  borrowerSsn: string;
}

/** A column's parse: the value, or the reason it is refused. */
type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (reason: string): Parsed<never> => ({ ok: false, reason });

const DECIMAL = /^-?\d+(\.\d+)?$/;
const INTEGER = /^-?\d+$/;

function decimal(raw: string, min: number, max: number, maxDecimals: number, unit = ''): Parsed<number> {
  if (!DECIMAL.test(raw)) return bad(`"${clip(raw)}" is not a number`);
  const decimals = raw.split('.')[1]?.length ?? 0;
  if (decimals > maxDecimals) return bad(`${raw} has more than ${maxDecimals} decimals`);
  const value = Number(raw);
  if (value < min || value > max) return bad(`${raw}${unit} is outside ${min}–${max}${unit}`);
  return ok(value);
}

function integer(raw: string, min: number, max: number): Parsed<number> {
  if (!INTEGER.test(raw)) return bad(`"${clip(raw)}" is not a whole number`);
  const value = Number(raw);
  if (value < min || value > max) return bad(`${raw} is outside ${min}–${max}`);
  return ok(value);
}

/** Money in major units with at most 2 decimals, as minor units; below 2^48 cents (the circuits' range). */
function money(raw: string, allowZero: boolean): Parsed<bigint> {
  if (!DECIMAL.test(raw)) return bad(`"${clip(raw)}" is not an amount`);
  if (raw.startsWith('-')) return bad(`${raw} is negative`);
  const [whole, frac = ''] = raw.split('.');
  if (frac.length > 2) return bad(`${raw} has more than 2 decimals`);
  const minor = BigInt(whole!) * 100n + BigInt(frac.padEnd(2, '0'));
  if (!allowZero && minor === 0n) return bad('must be greater than 0');
  if (minor >= 1n << 48n) return bad(`${raw} is too large`);
  return ok(minor);
}

function date(raw: string): Parsed<string> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (!m) return bad(`"${clip(raw)}" is not a date (YYYY-MM-DD)`);
  const d = new Date(`${raw}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== raw)
    return bad(`${raw} is not a calendar date`);
  if (Number(m[1]) < 1900) return bad(`${raw} is before 1900`);
  return ok(raw);
}

/** A valid SSN: 9 digits (dashes optional); no 000, 666 or 9xx area, no 00 group, no 0000 serial. */
function ssn(raw: string): Parsed<string> {
  const m = /^(\d{3})-?(\d{2})-?(\d{4})$/.exec(raw);
  if (!m) return bad('is not an SSN (9 digits, NNN-NN-NNNN)');
  const [, area, group, serial] = m;
  if (area === '000' || area === '666' || area!.startsWith('9') || group === '00' || serial === '0000')
    return bad('is not an issuable SSN');
  return ok(`${area}-${group}-${serial}`);
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** A column of the tape: its header name, whether it must be present, and its parse. */
export interface ColumnSpec {
  name: string;
  required: boolean;
  description: string;
  parse(raw: string): Parsed<unknown>;
}

const spec = (
  name: string,
  description: string,
  parse: (raw: string) => Parsed<unknown>,
  required = true,
): ColumnSpec => ({ name, description, parse, required });

/** Every column the tape may have, in the template's order. */
export const COLUMNS: readonly ColumnSpec[] = [
  spec('loan_id', 'Servicer loan number: letters, digits, . _ -; unique in the tape', (r) =>
    /^[A-Za-z0-9._-]{1,64}$/.test(r) ? ok(r) : bad('must be 1–64 letters, digits, ".", "_" or "-"'),
  ),
  spec('original_balance', 'Original principal balance, in the deal currency, ≤ 2 decimals', (r) =>
    money(r, false),
  ),
  spec('current_balance', 'Current principal balance at the cut-off date; ≤ original', (r) => money(r, true)),
  spec('note_rate', 'Gross note rate, percent a year (6.5)', (r) => decimal(r, 0, 25, 5, '%')),
  spec('original_term', 'Original term, months (1–480)', (r) => integer(r, 1, 480)),
  spec('remaining_term', 'Remaining term, months; ≤ original term', (r) => integer(r, 0, 480)),
  spec('ltv', 'Current loan-to-value, percent (0–200, ≤ 2 decimals)', (r) => decimal(r, 0, 200, 2, '%')),
  spec('fico', 'Borrower credit score (300–850)', (r) => integer(r, 300, 850)),
  spec('dti', 'Debt-to-income, percent (0–100, ≤ 2 decimals)', (r) => decimal(r, 0, 100, 2, '%')),
  spec('property_state', 'USPS state code (CA)', (r) =>
    US_STATES.has(r) ? ok(r) : bad(`"${clip(r)}" is not a USPS state code`),
  ),
  spec('property_zip', 'ZIP code (5 digits, or ZIP+4)', (r) =>
    /^\d{5}(-\d{4})?$/.test(r) ? ok(r.slice(0, 5)) : bad(`"${clip(r)}" is not a ZIP code`),
  ),
  spec('occupancy', `One of ${OCCUPANCIES.join(', ')}`, (r) =>
    (OCCUPANCIES as readonly string[]).includes(r.toUpperCase())
      ? ok(r.toUpperCase())
      : bad(`"${clip(r)}" is not one of ${OCCUPANCIES.join(', ')}`),
  ),
  spec('delinquency_status', `One of ${DELINQUENCY_STATUSES.join(', ')} (MBA method)`, (r) =>
    DELINQUENCY_STATUSES.includes(r.toUpperCase())
      ? ok(r.toUpperCase())
      : bad(`"${clip(r)}" is not one of ${DELINQUENCY_STATUSES.join(', ')}`),
  ),
  spec('days_delinquent', 'Days past due (0–9999); must agree with the status', (r) => integer(r, 0, 9999)),
  spec('borrower_name', 'Borrower name (encrypted at rest, never served)', (r) =>
    r.length <= 200 ? ok(r) : bad('is longer than 200 characters'),
  ),
  spec('borrower_ssn', 'Borrower SSN (encrypted at rest, never served)', ssn),
  spec('origination_date', 'Origination date, YYYY-MM-DD (optional)', date, false),
  spec(
    'servicing_fee_rate',
    'Servicing fee, percent a year (optional; default 0.25)',
    (r) => decimal(r, 0, 5, 5, '%'),
    false,
  ),
];

export const COLUMN_BY_NAME = new Map(COLUMNS.map((c) => [c.name, c]));
export const REQUIRED_COLUMNS = COLUMNS.filter((c) => c.required).map((c) => c.name);
export const DEFAULT_SERVICING_FEE = 0.25;

/** Cross-field rules of one loan, each naming the column it blames. */
export function crossFieldErrors(
  loan: Omit<TapeLoan, 'originationDate'> & { originationDate: string | null },
  cutoffDate: string,
): { column: string; message: string }[] {
  const out: { column: string; message: string }[] = [];
  if (loan.currentBalance > loan.originalBalance)
    out.push({ column: 'current_balance', message: 'is greater than original_balance' });
  if (loan.remainingTerm > loan.originalTerm)
    out.push({ column: 'remaining_term', message: 'is greater than original_term' });
  const range = DELINQUENCY_DAYS[loan.delinquencyStatus];
  if (range && (loan.daysDelinquent < range[0] || loan.daysDelinquent > range[1]))
    out.push({
      column: 'days_delinquent',
      message: `${loan.daysDelinquent} days does not agree with status ${loan.delinquencyStatus} (${range[0]}–${range[1]})`,
    });
  if (loan.originationDate && loan.originationDate > cutoffDate)
    out.push({
      column: 'origination_date',
      message: `${loan.originationDate} is after the cut-off date ${cutoffDate}`,
    });
  if (loan.borrowerName.trim() === '') out.push({ column: 'borrower_name', message: 'is empty' });
  return out;
}
