import { LockMode } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  anchorDealDataset,
  chainDirectoryOf,
  Deployment,
  readManifest,
  type IdempotencyStore,
} from '@tranche/chain';
import { PoolCommitmentBuilder, randomSalts } from '@tranche/circuits';
import {
  chainTransactionStore,
  enqueueJob,
  keyProviderFromConfig,
  open,
  recordAudit,
  seal,
  type Config,
  type Gate,
  type JobHandler,
  type JobSet,
  type KeyProvider,
  type Logger,
} from '@tranche/platform';
import { Deal } from '../deal/deal.entity.js';
import { LoanTapeChunk } from './loan-tape-chunk.entity.js';
import { AnchorStatus, LoanTape, TapeStatus } from './loan-tape.entity.js';
import type { TapeLoan } from './tape.format.js';
import { parseTape, type TapeError } from './tape.parser.js';
import { stratify } from './tape.pool.js';
import { ANCHOR_TASK, chunkAad, INGEST_TASK, piiAad, tapeKeyContext } from './tape.service.js';

/** The system actor of tape ingest, in audit records. */
const INGEST = { subject: 'loan-tape', clientId: 'loan-tape', roles: new Set<never>() };

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Thrown inside the ingest transaction to roll back every loan written before the first error. */
class TapeRejected extends Error {
  constructor(
    readonly rows: number,
    readonly errors: TapeError[],
    readonly errorCount: number,
  ) {
    super('the tape has errors');
  }
}

const LOAN_COLUMNS = [
  'id',
  'tenant_id',
  'tape_id',
  'row',
  'loan_id',
  'original_balance',
  'current_balance',
  'note_rate',
  'original_term',
  'remaining_term',
  'ltv_bps',
  'fico',
  'dti_bps',
  'property_state',
  'property_zip',
  'occupancy',
  'delinquency_status',
  'days_delinquent',
  'origination_date',
  'servicing_fee_rate',
  'salt',
  'pii',
];

/** The ingest's outcome, for the benchmark and the tests. */
export interface IngestOutcome {
  status: TapeStatus;
  rows: number;
  errorCount: number;
  root?: bigint;
}

/**
 * Validates a RECEIVED tape and stores it, all or nothing: the sealed pieces are opened in order
 * and streamed through the parser; valid loans are written (borrower name and SSN sealed under the
 * tape's data key, a fresh hiding salt each) inside one transaction, which rolls back at the first
 * bad row, so a rejected tape leaves no loan behind. A clean tape gets its Poseidon root
 * (`@tranche/circuits`, in worker processes), its stratification, VALIDATED, and its anchor job.
 * Progress (`rowsProcessed`) is written outside the transaction so the API shows it meanwhile.
 */
export async function ingestTape(
  orm: MikroORM,
  keys: KeyProvider,
  config: Pick<Config, 'TAPE_MAX_ROWS'>,
  tapeId: string,
  signal?: AbortSignal,
): Promise<IngestOutcome> {
  const em = orm.em.fork();
  const schema = orm.config.get('schema')!;
  const tape = await em.findOne(LoanTape, { id: tapeId }, { populate: ['wrappedKey'] });
  if (!tape) return { status: TapeStatus.REJECTED, rows: 0, errorCount: 0 };
  if (tape.status === TapeStatus.VALIDATED || tape.status === TapeStatus.REJECTED)
    return { status: tape.status, rows: tape.rowCount ?? 0, errorCount: tape.errorCount };
  await em.nativeUpdate(LoanTape, { id: tapeId }, { status: TapeStatus.VALIDATING, rowsProcessed: 0 });
  const key = await keys.unwrap(tape.wrappedKey, tape.keyId, tapeKeyContext(tape));
  const principal = { ...INGEST, tenantId: tape.tenantId };
  // the root is built while the tape is read: each block of loans is hashed by a worker process
  const commitment = new PoolCommitmentBuilder();
  try {
    const outcome = await orm.em.fork().transactional(async (tx) => {
      const pieces = async function* () {
        for (let seq = 0; ; seq++) {
          const piece = await em.fork().findOne(LoanTapeChunk, { tapeId, seq });
          if (!piece) return;
          yield open(key, piece.data, chunkAad(tapeId, seq));
        }
      };
      const write = async (loans: TapeLoan[], firstRow: number) => {
        const values: unknown[] = [];
        const salts = randomSalts(loans.length);
        commitment.add(
          loans.map((l) => ({
            balance: l.currentBalance,
            ltvBps: l.ltvBps,
            daysDelinquent: l.daysDelinquent,
          })),
          salts,
        );
        loans.forEach((loan, i) => {
          const salt = salts[i]!;
          const pii = seal(
            key,
            Buffer.from(JSON.stringify({ name: loan.borrowerName, ssn: loan.borrowerSsn })),
            piiAad(tapeId, loan.loanId),
          );
          values.push(
            tape.tenantId,
            tapeId,
            firstRow + i,
            loan.loanId,
            loan.originalBalance.toString(),
            loan.currentBalance.toString(),
            loan.noteRate,
            loan.originalTerm,
            loan.remainingTerm,
            loan.ltvBps,
            loan.fico,
            loan.dtiBps,
            loan.propertyState,
            loan.propertyZip,
            loan.occupancy,
            loan.delinquencyStatus,
            loan.daysDelinquent,
            loan.originationDate,
            loan.servicingFeeRate,
            salt.toString(),
            pii,
          );
        });
        const placeholders = loans
          .map(() => `(gen_random_uuid(), ${new Array(LOAN_COLUMNS.length - 1).fill('?').join(', ')})`)
          .join(', ');
        await tx.execute(
          `insert into "${schema}".loan (${LOAN_COLUMNS.map((c) => `"${c}"`).join(', ')}) values ${placeholders}`,
          values,
          'run',
        );
      };
      const result = await parseTape(pieces(), {
        cutoffDate: tape.cutoffDate,
        maxRows: config.TAPE_MAX_ROWS,
        onLoans: write,
        batchSize: 1000,
        progressEvery: 1000,
        signal,
        onProgress: async (rows) => {
          await em.fork().nativeUpdate(LoanTape, { id: tapeId }, { rowsProcessed: rows });
        },
      });
      if (result.errorCount) throw new TapeRejected(result.rows, result.errors, result.errorCount);

      const { root, capacity } = await commitment.finish();
      const stratification = await stratify(tx, schema, tapeId);
      const row = await tx.findOneOrFail(LoanTape, { id: tapeId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      row.status = TapeStatus.VALIDATED;
      row.rowCount = result.rows;
      row.rowsProcessed = result.rows;
      row.poseidonRoot = root.toString();
      row.rootCapacity = capacity;
      row.stratification = stratification as unknown as Record<string, unknown>;
      row.validatedAt = new Date();
      row.anchorStatus = AnchorStatus.PENDING;
      await tx.nativeDelete(LoanTapeChunk, { tapeId });
      await recordAudit(tx, schema, principal, {
        action: 'tape.validated',
        aggregateType: 'Deal',
        aggregateId: tape.dealId,
        payload: {
          tapeId,
          version: tape.version,
          rows: result.rows,
          sha256: tape.sha256,
          poseidonRoot: row.poseidonRoot,
        },
      });
      await tx.flush();
      await enqueueJob(tx, ANCHOR_TASK, { tapeId }, { jobKey: `${ANCHOR_TASK}:${tapeId}`, maxAttempts: 5 });
      return { status: TapeStatus.VALIDATED, rows: result.rows, errorCount: 0, root };
    });
    return outcome;
  } catch (err) {
    if (!(err instanceof TapeRejected)) throw err;
    await orm.em.fork().transactional(async (tx) => {
      await tx.nativeUpdate(
        LoanTape,
        { id: tapeId },
        {
          status: TapeStatus.REJECTED,
          rowCount: err.rows,
          rowsProcessed: err.rows,
          errorCount: err.errorCount,
          rowErrors: err.errors,
        },
      );
      await tx.nativeDelete(LoanTapeChunk, { tapeId });
      await recordAudit(tx, schema, principal, {
        action: 'tape.rejected',
        aggregateType: 'Deal',
        aggregateId: tape.dealId,
        payload: {
          tapeId,
          version: tape.version,
          errorCount: err.errorCount,
          firstErrors: err.errors.slice(0, 5),
        },
      });
    });
    return { status: TapeStatus.REJECTED, rows: err.rows, errorCount: err.errorCount };
  } finally {
    commitment.close();
    key.fill(0);
  }
}

/**
 * The tape domain's queue tasks: `deals:ingest-tape` (above) and `deals:anchor-tape`, which anchors
 * a VALIDATED tape's file hash and root in DealRegistry on the deal's chain for its cut-off month,
 * as one keyed step (`tape:<id>`), so a retried job never sends it twice. Both ask the gate
 * (`deal.tape`) first. A deal that names no chain yet leaves the anchor NONE with the reason;
 * `anchorLoanTape` queues it again.
 */
export function tapeJobs(orm: MikroORM, config: Config, logger: Logger, gate: Gate): JobSet {
  const keys = keyProviderFromConfig(config);
  const directory = chainDirectoryOf(config, chainTransactionStore(orm) as IdempotencyStore);

  const ingest: JobHandler = async (payload, ctx) => {
    const { tapeId } = payload as { tapeId: string };
    const tape = await orm.em.fork().findOne(LoanTape, { id: tapeId });
    if (!tape) return;
    gate.checkJob(tape.tenantId, { capability: 'deal.tape', dealId: tape.dealId });
    const outcome = await ingestTape(orm, keys, config, tapeId, ctx.signal);
    logger.info({ tapeId, ...outcome, root: outcome.root?.toString() }, 'loan tape ingested');
  };

  const anchor: JobHandler = async (payload, ctx) => {
    const { tapeId } = payload as { tapeId: string };
    const em = orm.em.fork();
    const tape = await em.findOne(LoanTape, { id: tapeId });
    if (!tape || tape.status !== TapeStatus.VALIDATED || tape.anchorStatus === AnchorStatus.ANCHORED) return;
    try {
      gate.checkJob(tape.tenantId, { capability: 'deal.tape', dealId: tape.dealId });
      const deal = await em.findOneOrFail(Deal, { id: tape.dealId });
      if (deal.chainId == null) {
        await em.nativeUpdate(
          LoanTape,
          { id: tapeId },
          {
            anchorStatus: AnchorStatus.NONE,
            anchorError: 'the deal names no chain yet: set its chain, then anchor the tape',
          },
        );
        return;
      }
      const manifest = await readManifest(config.CHAIN_MANIFEST_DIR, deal.chainId);
      if (!manifest) throw new Error(`chain ${deal.chainId} has no platform deployment`);
      const chain = await directory.connect(deal.chainId);
      const d = new Deployment(chain.signer, chain.sender, `tape:${tapeId}`);
      const { txHash, blockNumber } = await anchorDealDataset(d, manifest.contracts.dealRegistry.address, {
        tapeId,
        dealUuid: deal.id,
        period: tape.period,
        fileSha256: tape.sha256!,
        poseidonRoot: BigInt(tape.poseidonRoot!),
      });
      await em.transactional(async (tx) => {
        await tx.nativeUpdate(
          LoanTape,
          { id: tapeId },
          {
            anchorStatus: AnchorStatus.ANCHORED,
            anchorTxHash: txHash,
            anchorBlock: blockNumber,
            anchorChainId: deal.chainId,
            anchorError: null,
          },
        );
        await recordAudit(
          tx,
          orm.config.get('schema')!,
          { ...INGEST, tenantId: tape.tenantId },
          {
            action: 'tape.anchored',
            aggregateType: 'Deal',
            aggregateId: tape.dealId,
            payload: {
              tapeId,
              version: tape.version,
              period: tape.period,
              chainId: deal.chainId,
              txHash,
              poseidonRoot: tape.poseidonRoot,
            },
          },
        );
      });
      logger.info({ tapeId, txHash }, 'loan tape anchored');
    } catch (err) {
      const last = ctx.attempt >= ctx.maxAttempts || /DatasetAlreadyAnchored/.test(messageOf(err));
      await em.nativeUpdate(
        LoanTape,
        { id: tapeId },
        { anchorError: messageOf(err), ...(last ? { anchorStatus: AnchorStatus.FAILED } : {}) },
      );
      if (!last) throw err;
    }
  };

  return { handlers: { [INGEST_TASK]: ingest, [ANCHOR_TASK]: anchor } };
}
