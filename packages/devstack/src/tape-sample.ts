/**
 * Column order of the generated sample tapes: every column of the deals subgraph's tape format
 * (`subgraphs/deals/src/tape/tape.format.ts`, whose tests check the two agree), optional ones included.
 */
export const SAMPLE_HEADER = [
  'loan_id',
  'original_balance',
  'current_balance',
  'note_rate',
  'original_term',
  'remaining_term',
  'ltv',
  'fico',
  'dti',
  'property_state',
  'property_zip',
  'occupancy',
  'delinquency_status',
  'days_delinquent',
  'borrower_name',
  'borrower_ssn',
  'origination_date',
  'servicing_fee_rate',
];

const STATES = ['CA', 'TX', 'FL', 'NY', 'WA', 'IL', 'CO', 'GA', 'NC', 'AZ'];
const FIRST = ['Ana', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas'];
const LAST = [
  'Alvarez',
  'Brown',
  'Chen',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Huang',
  'Ivanova',
  'Jones',
];

/** A small deterministic PRNG (mulberry32), so a sample tape is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One sample loan row, as CSV fields in {@link SAMPLE_HEADER} order. */
export function sampleLoanRow(i: number, random: () => number): string[] {
  const original = 100_000 + Math.floor(random() * 900_000);
  const age = 1 + Math.floor(random() * 60);
  const current = Math.round(original * (1 - age / 400) * 100) / 100;
  const dq = random();
  const [status, days] =
    dq < 0.93
      ? ['CURRENT', 0]
      : dq < 0.97
        ? ['DQ30', 30 + Math.floor(random() * 30)]
        : ['DQ60', 60 + Math.floor(random() * 30)];
  const ssnArea = String(100 + Math.floor(random() * 560)).padStart(3, '0');
  return [
    `LN${String(i + 1).padStart(7, '0')}`,
    original.toFixed(2),
    current.toFixed(2),
    (5.5 + Math.floor(random() * 16) * 0.125).toFixed(3),
    '360',
    String(360 - age),
    (55 + random() * 40).toFixed(2),
    String(660 + Math.floor(random() * 150)),
    (20 + random() * 23).toFixed(2),
    STATES[Math.floor(random() * STATES.length)]!,
    String(10000 + Math.floor(random() * 89999)),
    random() < 0.88 ? 'PRIMARY' : random() < 0.5 ? 'SECOND_HOME' : 'INVESTMENT',
    status as string,
    String(days),
    `${FIRST[Math.floor(random() * 10)]} ${LAST[Math.floor(random() * 10)]}`,
    `${ssnArea}-${String(10 + Math.floor(random() * 89))}-${String(1000 + Math.floor(random() * 8999))}`,
    `20${String(20 + Math.floor(age / 12)).padStart(2, '0')}-0${1 + Math.floor(random() * 9)}-15`,
    '0.25',
  ];
}

/** A valid loan tape of `loans` loans as CSV text (the demo, the tests and `bench:tape`): synthetic borrowers. */
export function sampleTapeCsv(loans: number, seed = 1): string {
  const random = prng(seed);
  const lines = [SAMPLE_HEADER.join(',')];
  for (let i = 0; i < loans; i++) lines.push(sampleLoanRow(i, random).join(','));
  return `${lines.join('\n')}\n`;
}

/** The same tape as a stream of chunks, without holding it whole (the benchmark's 100,000 rows). */
export async function* sampleTapeChunks(
  loans: number,
  seed = 1,
  rowsPerChunk = 2000,
): AsyncGenerator<Buffer> {
  const random = prng(seed);
  let lines = [SAMPLE_HEADER.join(',')];
  for (let i = 0; i < loans; i++) {
    lines.push(sampleLoanRow(i, random).join(','));
    if (lines.length >= rowsPerChunk) {
      yield Buffer.from(`${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length) yield Buffer.from(`${lines.join('\n')}\n`);
}
