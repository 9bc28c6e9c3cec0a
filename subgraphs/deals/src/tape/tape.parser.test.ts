import { describe, expect, it } from 'vitest';
import { parseTape, type TapeError } from './tape.parser.js';
import type { TapeLoan } from './tape.format.js';
import { SAMPLE_HEADER, sampleTapeCsv } from '@tranche/devstack';
import { COLUMNS } from './tape.format.js';

const CUTOFF = '2026-10-31';

async function run(text: string | Buffer, maxRows = 1000) {
  const written: TapeLoan[] = [];
  const chunks = typeof text === 'string' ? [Buffer.from(text)] : [text];
  const result = await parseTape(chunks, {
    cutoffDate: CUTOFF,
    maxRows,
    batchSize: 1000,
    onLoans: async (loans) => void written.push(...loans),
  });
  return { ...result, written };
}

/** The base tape: three valid loans. */
const base = sampleTapeCsv(3, 42);
const lines = base.trimEnd().split('\n');
const header = lines[0]!.split(',');
const col = (name: string) => header.indexOf(name);

/** The base tape with one value of data row `r` (0-based) replaced. */
function withValue(r: number, column: string, value: string): string {
  const rows = lines.map((l) => l.split(','));
  rows[r + 1]![col(column)] = value;
  return `${rows.map((x) => x.join(',')).join('\n')}\n`;
}

/** The base tape with a column removed from the header and every row. */
function without(column: string): string {
  const i = col(column);
  return `${lines
    .map((l) =>
      l
        .split(',')
        .filter((_, j) => j !== i)
        .join(','),
    )
    .join('\n')}\n`;
}

describe('a valid tape', () => {
  it('yields every loan in minor units and basis points', async () => {
    const { rows, errors, written } = await run(base);
    expect(errors).toEqual([]);
    expect(rows).toBe(3);
    expect(written).toHaveLength(3);
    const first = lines[1]!.split(',');
    expect(written[0]!.loanId).toBe(first[0]);
    expect(written[0]!.originalBalance).toBe(BigInt(Math.round(Number(first[1]) * 100)));
    expect(written[0]!.ltvBps).toBe(Math.round(Number(first[col('ltv')]) * 100));
  });

  it('accepts CRLF line ends, a trailing blank line, reordered columns and no optional columns', async () => {
    expect((await run(base.replace(/\n/g, '\r\n'))).errors).toEqual([]);
    expect((await run(`${base}\n\n`)).errors).toEqual([]);
    const reordered = lines.map((l) => l.split(',').reverse().join(',')).join('\n');
    expect((await run(reordered)).written).toHaveLength(3);
    const minimal = without('origination_date');
    const { written, errors } = await run(
      minimal
        .split('\n')
        .map((l) => l.split(',').slice(0, -1).join(','))
        .join('\n'),
    );
    expect(errors).toEqual([]);
    expect(written[0]!.servicingFeeRate).toBe(0.25);
    expect(written[0]!.originationDate).toBeNull();
  });

  it('reads a tape split into arbitrary chunks the same as whole', async () => {
    const text = sampleTapeCsv(50, 7);
    const chunks: Buffer[] = [];
    for (let i = 0; i < text.length; i += 37) chunks.push(Buffer.from(text.slice(i, i + 37)));
    const loans: TapeLoan[] = [];
    const r = await parseTape(chunks, {
      cutoffDate: CUTOFF,
      maxRows: 100,
      onLoans: async (l) => void loans.push(...l),
    });
    expect(r.errors).toEqual([]);
    expect(loans.map((l) => l.loanId)).toEqual((await run(text)).written.map((l) => l.loanId));
  });
});

/** The base tape with a Latin-1 "é" (0xE9, not UTF-8) in the first borrower's name. */
function invalidUtf8(): Buffer {
  const raw = Buffer.from(withValue(0, 'borrower_name', 'RenXe'));
  raw[raw.indexOf('RenXe') + 3] = 0xe9;
  return raw;
}

type Case = [name: string, tape: string | Buffer, row: number, column: string | null, message: RegExp];

const malformed: Case[] = [
  // file level
  ['empty file', '', 1, null, /empty/],
  ['header only', `${lines[0]}\n`, 2, null, /no loans/],
  [
    'UTF-8 BOM',
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(base)]),
    1,
    '#1',
    /byte-order mark/,
  ],
  ['UTF-16 BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(base)]), 1, '#1', /UTF-16/],
  ['semicolon delimiter', base.replace(/,/g, ';'), 1, '#1', /separated by ";"/],
  ['tab delimiter', base.replace(/,/g, '\t'), 1, '#1', /separated by "\\t"/],
  ['pipe delimiter', base.replace(/,/g, '|'), 1, '#1', /separated by "\|"/],
  ['over the row limit', sampleTapeCsv(6, 3), 5, null, /more than 3 loans/],
  ['blank line between loans', base.replace('\n', '\n\n'), 2, null, /row is empty/],
  // header
  ['missing loan_id column', without('loan_id'), 1, 'loan_id', /missing/],
  ['missing current_balance column', without('current_balance'), 1, 'current_balance', /missing/],
  ['missing borrower_ssn column', without('borrower_ssn'), 1, 'borrower_ssn', /missing/],
  ['missing fico column', without('fico'), 1, 'fico', /missing/],
  [
    'unknown column',
    base.replace('loan_id,', 'loan_id,colour,').replace(/\n(LN\d+),/g, '\n$1,red,'),
    1,
    'colour',
    /unknown column/,
  ],
  [
    'duplicate column',
    base.replace('fico,', 'fico,fico,').replace(/(\n(?:[^,]*,){7})([^,]*),/g, '$1$2,$2,'),
    1,
    'fico',
    /twice/,
  ],
  [
    'empty header name',
    base.replace('loan_id,', 'loan_id,,').replace(/\n(LN\d+),/g, '\n$1,x,'),
    1,
    '#2',
    /empty column name/,
  ],
  // structure
  ['short row', base.replace(/\n(LN[^\n]*),0\.25\n/, '\n$1\n'), 2, 'servicing_fee_rate', /fields/],
  ['long row', base.replace(/\n(LN[^\n]*)\n/, '\n$1,extra\n'), 2, '#19', /fields/],
  ['quoted newline', withValue(0, 'borrower_name', '"Jane\nDoe"'), 2, 'borrower_name', /line break/],
  ['unclosed quote', withValue(2, 'borrower_name', '"Jane Doe'), 4, 'borrower_name', /not closed/],
  ['stray quote in a field', withValue(1, 'borrower_name', 'Jane "JD" Doe'), 3, 'borrower_name', /quote/],
  ['text after closing quote', withValue(1, 'borrower_name', '"Jane"x'), 3, 'borrower_name', /quote/],
  ['invalid UTF-8', invalidUtf8(), 2, 'borrower_name', /not valid UTF-8/],
  // loan_id
  ['empty loan id', withValue(0, 'loan_id', ''), 2, 'loan_id', /empty/],
  ['loan id with spaces', withValue(0, 'loan_id', 'LN 1'), 2, 'loan_id', /letters, digits/],
  ['loan id too long', withValue(0, 'loan_id', 'L'.repeat(65)), 2, 'loan_id', /1–64/],
  ['duplicate loan id', withValue(2, 'loan_id', lines[1]!.split(',')[0]!), 4, 'loan_id', /twice/],
  // balances
  ['negative current balance', withValue(0, 'current_balance', '-100.00'), 2, 'current_balance', /negative/],
  ['negative original balance', withValue(1, 'original_balance', '-5'), 3, 'original_balance', /negative/],
  ['zero original balance', withValue(0, 'original_balance', '0'), 2, 'original_balance', /greater than 0/],
  ['balance with letters', withValue(0, 'current_balance', '12a.00'), 2, 'current_balance', /not an amount/],
  [
    'balance with thousands separator',
    withValue(0, 'original_balance', '"250,000.00"'),
    2,
    'original_balance',
    /not an amount/,
  ],
  ['balance with 3 decimals', withValue(0, 'current_balance', '100.125'), 2, 'current_balance', /2 decimals/],
  [
    'balance with currency sign',
    withValue(0, 'current_balance', '$100'),
    2,
    'current_balance',
    /not an amount/,
  ],
  [
    'balance too large',
    withValue(0, 'original_balance', '99999999999999'),
    2,
    'original_balance',
    /too large/,
  ],
  [
    'current above original',
    withValue(0, 'current_balance', '99999999.00'),
    2,
    'current_balance',
    /greater than original/,
  ],
  ['empty current balance', withValue(0, 'current_balance', ''), 2, 'current_balance', /empty/],
  // rate and terms
  ['note rate not a number', withValue(0, 'note_rate', 'six'), 2, 'note_rate', /not a number/],
  ['note rate negative', withValue(0, 'note_rate', '-1'), 2, 'note_rate', /outside/],
  ['note rate as a fraction above range', withValue(0, 'note_rate', '65'), 2, 'note_rate', /outside/],
  ['note rate with percent sign', withValue(0, 'note_rate', '6.5%'), 2, 'note_rate', /not a number/],
  ['original term decimal', withValue(0, 'original_term', '360.5'), 2, 'original_term', /whole number/],
  ['original term zero', withValue(0, 'original_term', '0'), 2, 'original_term', /outside/],
  ['original term too long', withValue(0, 'original_term', '481'), 2, 'original_term', /outside/],
  [
    'remaining term above original',
    withValue(0, 'remaining_term', '400'),
    2,
    'remaining_term',
    /greater than original_term/,
  ],
  ['remaining term negative', withValue(0, 'remaining_term', '-1'), 2, 'remaining_term', /outside/],
  // credit
  ['LTV above 200', withValue(0, 'ltv', '250'), 2, 'ltv', /outside/],
  ['LTV negative', withValue(0, 'ltv', '-3'), 2, 'ltv', /outside/],
  ['LTV with 3 decimals', withValue(0, 'ltv', '80.125'), 2, 'ltv', /decimals/],
  ['FICO below 300', withValue(0, 'fico', '250'), 2, 'fico', /outside/],
  ['FICO above 850', withValue(0, 'fico', '900'), 2, 'fico', /outside/],
  ['FICO not a number', withValue(0, 'fico', 'N/A'), 2, 'fico', /whole number/],
  ['DTI above 100', withValue(0, 'dti', '101'), 2, 'dti', /outside/],
  // property
  ['unknown state', withValue(0, 'property_state', 'ZZ'), 2, 'property_state', /USPS/],
  ['state name instead of code', withValue(0, 'property_state', 'California'), 2, 'property_state', /USPS/],
  ['lower-case state', withValue(0, 'property_state', 'ca'), 2, 'property_state', /USPS/],
  ['ZIP with 4 digits', withValue(0, 'property_zip', '9410'), 2, 'property_zip', /ZIP/],
  ['ZIP with letters', withValue(0, 'property_zip', 'SW1A1'), 2, 'property_zip', /ZIP/],
  ['unknown occupancy', withValue(0, 'occupancy', 'RENTED'), 2, 'occupancy', /not one of/],
  // delinquency
  [
    'unknown delinquency status',
    withValue(0, 'delinquency_status', 'LATE'),
    2,
    'delinquency_status',
    /not one of/,
  ],
  [
    'days disagree with CURRENT',
    withValue(0, 'delinquency_status', 'CURRENT').replace(/,CURRENT,0,/, ',CURRENT,45,'),
    2,
    'days_delinquent',
    /does not agree/,
  ],
  ['negative days delinquent', withValue(0, 'days_delinquent', '-1'), 2, 'days_delinquent', /outside/],
  // dates
  ['bad date format', withValue(0, 'origination_date', '03/15/2021'), 2, 'origination_date', /YYYY-MM-DD/],
  ['impossible date', withValue(0, 'origination_date', '2021-02-30'), 2, 'origination_date', /calendar date/],
  ['month 13', withValue(0, 'origination_date', '2021-13-01'), 2, 'origination_date', /calendar date/],
  [
    'originated after the cut-off',
    withValue(0, 'origination_date', '2027-01-15'),
    2,
    'origination_date',
    /after the cut-off/,
  ],
  // PII
  ['SSN with letters', withValue(0, 'borrower_ssn', '12A-45-6789'), 2, 'borrower_ssn', /not an SSN/],
  ['SSN too short', withValue(0, 'borrower_ssn', '123-45-678'), 2, 'borrower_ssn', /not an SSN/],
  ['SSN area 000', withValue(0, 'borrower_ssn', '000-45-6789'), 2, 'borrower_ssn', /issuable/],
  ['SSN area 9xx', withValue(0, 'borrower_ssn', '912-45-6789'), 2, 'borrower_ssn', /issuable/],
  ['empty borrower name', withValue(0, 'borrower_name', ''), 2, 'borrower_name', /empty/],
  ['borrower name too long', withValue(0, 'borrower_name', 'x'.repeat(201)), 2, 'borrower_name', /200/],
  // optional columns
  ['servicing fee above 5%', withValue(0, 'servicing_fee_rate', '6'), 2, 'servicing_fee_rate', /outside/],
];

describe('a malformed tape is refused with its row and column, and nothing is written', () => {
  it(`has at least 50 cases (${malformed.length})`, () => {
    expect(malformed.length).toBeGreaterThanOrEqual(50);
  });

  it.each(malformed)('%s', async (_name, tape, row, column, message) => {
    const maxRows = _name === 'over the row limit' ? 3 : 1000;
    const { errors, errorCount, written } = await run(tape, maxRows);
    expect(errorCount).toBeGreaterThan(0);
    expect(written).toEqual([]);
    const match = errors.find(
      (e: TapeError) => e.row === row && e.column === column && message.test(e.message),
    );
    expect(match, JSON.stringify(errors.slice(0, 3))).toBeDefined();
  });
});

describe('error report', () => {
  it('reports every bad row, up to the cap, and counts the rest', async () => {
    const rows = sampleTapeCsv(300, 9)
      .split('\n')
      .map((l, i) => (i > 0 && l ? l.replace(/,(PRIMARY|SECOND_HOME|INVESTMENT),/, ',RENTED,') : l))
      .join('\n');
    const written: TapeLoan[] = [];
    const r = await parseTape([Buffer.from(rows)], {
      cutoffDate: CUTOFF,
      maxRows: 1000,
      maxErrors: 100,
      onLoans: async (l) => void written.push(...l),
    });
    expect(r.errors).toHaveLength(100);
    expect(r.errorCount).toBe(300);
    expect(r.errors[99]).toMatchObject({ row: 101, column: 'occupancy' });
    expect(written).toEqual([]);
  });

  it('stops handing out loans at the first error, even after earlier batches', async () => {
    const text = withValue(2, 'fico', '1');
    const { written, errors } = await run(text);
    expect(errors).toHaveLength(1);
    // batch size 2: the first two loans were handed over before row 4 failed; the caller rolls them back
    expect(written.length).toBeLessThan(3);
  });

  it('the sample tapes (demo, bench) carry exactly the documented columns, in order', () => {
    expect(SAMPLE_HEADER).toEqual(COLUMNS.map((c) => c.name));
  });
});
