// bench:tape — a 100,000-loan tape validated, encrypted and rooted, the way the ingest job does it:
// the CSV streamed in chunks through the tape parser (csv-parse, every row and column checked), each
// loan's borrower name and SSN sealed with AES-256-GCM under a data key from the local key provider,
// a hiding salt per loan, and the Poseidon root from @tranche/circuits (in worker processes). The
// tape is generated as a stream too, never held whole. Prints BENCH lines; medians over ROUNDS runs.
//
//   npm run bench:tape            (TAPE_ROWS=100000 ROUNDS=3 by default)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const { sampleTapeChunks } = await import('../packages/devstack/dist/index.js');
const { parseTape } = await import('../subgraphs/deals/dist/tape/tape.parser.js');
const { piiAad } = await import('../subgraphs/deals/dist/tape/tape.service.js');
const { LocalKeyProvider, seal } = await import('../packages/platform/dist/index.js');
const { PoolCommitmentBuilder, randomSalts } = await import('../circuits/dist/index.js');

const ROWS = Number(process.env.TAPE_ROWS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const keys = new LocalKeyProvider(join(mkdtempSync(join(tmpdir(), 'bench-tape-')), 'kek.hex'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once() {
  const tapeId = '00000000-0000-4000-8000-000000000001';
  const dataKey = await keys.generateDataKey({ purpose: 'loan-tape', tapeId });
  const commitment = new PoolCommitmentBuilder();
  let sealedBytes = 0;
  const t0 = performance.now();
  const result = await parseTape(sampleTapeChunks(ROWS, 7), {
    cutoffDate: '2026-10-31',
    maxRows: ROWS,
    batchSize: 1000,
    onLoans: async (loans) => {
      const salts = randomSalts(loans.length);
      commitment.add(
        loans.map((l) => ({ balance: l.currentBalance, ltvBps: l.ltvBps, daysDelinquent: l.daysDelinquent })),
        salts,
      );
      for (const loan of loans) {
        const sealed = seal(
          dataKey.plaintext,
          Buffer.from(JSON.stringify({ name: loan.borrowerName, ssn: loan.borrowerSsn })),
          piiAad(tapeId, loan.loanId),
        );
        sealedBytes += sealed.length;
      }
    },
  });
  if (result.errorCount)
    throw new Error(`the sample tape has errors: ${JSON.stringify(result.errors.slice(0, 3))}`);
  const t1 = performance.now();
  const { root, capacity, workerMaxRssKb } = await commitment.finish();
  const t2 = performance.now();
  return {
    rows: result.rows,
    validate: (t1 - t0) / 1000,
    root: (t2 - t1) / 1000,
    total: (t2 - t0) / 1000,
    capacity,
    rootValue: root,
    workerMaxRssKb,
    sealedBytes,
  };
}

const runs = [];
for (let i = 0; i < ROUNDS; i++) {
  runs.push(await once());
  process.stderr.write(`round ${i + 1}/${ROUNDS}: ${runs.at(-1).total.toFixed(2)} s\n`);
}
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(`BENCH tape_rows ${runs[0].rows} loans`);
console.log(`BENCH tape_validate_encrypt_root ${median(runs.map((r) => r.total)).toFixed(2)} s`);
console.log(`BENCH tape_read_validate_seal ${median(runs.map((r) => r.validate)).toFixed(2)} s`);
console.log(`BENCH tape_root_after_read ${median(runs.map((r) => r.root)).toFixed(2)} s`);
console.log(
  `BENCH tape_rows_per_second ${Math.round(runs[0].rows / median(runs.map((r) => r.total)))} rows/s`,
);
console.log(`BENCH tape_peak_rss ${rssMb.toFixed(0)} MB`);
console.log(
  `BENCH tape_worker_peak_rss ${(Math.max(...runs.map((r) => r.workerMaxRssKb)) / 1024).toFixed(0)} MB`,
);
console.log(`BENCH tape_root_capacity ${runs[0].capacity} loans`);
