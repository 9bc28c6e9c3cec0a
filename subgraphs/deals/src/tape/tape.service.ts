import { LockMode } from '@mikro-orm/core';
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  actorOf,
  ConflictError,
  DomainError,
  enqueueJob,
  isUuid,
  NotFoundError,
  seal,
  STAFF_ROLES,
  TenantService,
  ValidationError,
  type KeyProvider,
  type Page,
  type PageRequest,
  type Role,
} from '@tranche/platform';
import { DealStatus } from '../deal/deal.entity.js';
import { lockDeal } from '../lifecycle/lifecycle.service.js';
import { LoanTapeChunk } from './loan-tape-chunk.entity.js';
import { AnchorStatus, LoanTape, TapeStatus } from './loan-tape.entity.js';
import { Loan } from './loan.entity.js';

/** Who uploads tapes (the gate's `deal.tape` roles). */
export const TAPE_UPLOADERS: readonly Role[] = ['SERVICER', 'ARRANGER', 'ADMIN'];
/** Who sees a tape's version, status, report and stratification: staff. */
export const TAPE_READERS: readonly Role[] = STAFF_ROLES;
/** Who sees loan rows (never borrower data): the staff who work with them. */
export const LOAN_READERS: readonly Role[] = ['ARRANGER', 'SERVICER', 'ADMIN'];

/** Validates a received tape and stores its loans (tape.jobs.ts). */
export const INGEST_TASK = 'deals:ingest-tape';
/** Anchors a validated tape's root in DealRegistry (tape.jobs.ts). */
export const ANCHOR_TASK = 'deals:anchor-tape';

/** Pieces a tape is sealed in as it arrives. */
export const CHUNK_BYTES = 1024 * 1024;

/** The encryption context of a tape's data key: it opens for this tenant, deal and tape only. */
export const tapeKeyContext = (tape: { tenantId: string; dealId: string; id: string }) => ({
  purpose: 'loan-tape',
  tenantId: tape.tenantId,
  dealId: tape.dealId,
  tapeId: tape.id,
});

/** The AAD of a sealed piece of the file. */
export const chunkAad = (tapeId: string, seq: number) => Buffer.from(`loan-tape:${tapeId}:chunk:${seq}`);
/** The AAD of a loan's sealed borrower data. */
export const piiAad = (tapeId: string, loanId: string) => Buffer.from(`loan-tape:${tapeId}:loan:${loanId}`);

/** The tape is larger than TAPE_MAX_BYTES (HTTP 413). */
export class TapeTooLargeError extends DomainError {
  constructor(limit: number) {
    super('BAD_USER_INPUT', `the tape is larger than ${limit} bytes (TAPE_MAX_BYTES)`, { limit });
  }
}

export interface NewLoanTape {
  dealId: string;
  cutoffDate: string;
  fileName: string;
}

/** The receipt of an upload. */
export interface TapeReceipt {
  tape: LoanTape;
  sha256: string;
  byteSize: number;
}

const CLOSED = [DealStatus.TERMINATED, DealStatus.MATURED];

/** YYYY-MM-DD that is a calendar date, not in the future. */
function checkCutoff(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'must be a date, YYYY-MM-DD';
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value)
    return `${value} is not a calendar date`;
  if (d.getUTCFullYear() < 1900) return `${value} is before 1900`;
  if (d.getTime() > Date.now()) return `${value} is in the future`;
  return null;
}

/**
 * Loan tapes: a version is created (gated `deal.tape`), its file received through the upload route
 * and sealed as it arrives, then validated and rooted by the ingest job. Versions and stratifications
 * are for staff; loan rows for {@link LOAN_READERS}; borrower data for nobody.
 */
export class TapeService extends TenantService {
  /**
   * A new version of the deal's tape, awaiting its file at `uploadPath`, with a fresh data key
   * wrapped by `keys` for this tape only.
   *
   * @throws ValidationError on a bad date or file name, or a closed deal; ConflictError when the
   *   cut-off month is already anchored (DealRegistry keeps one dataset per deal and month)
   */
  async create(input: NewLoanTape, keys: KeyProvider): Promise<LoanTape> {
    const fields: Record<string, string> = {};
    const cutoff = checkCutoff(input.cutoffDate);
    if (cutoff) fields.cutoffDate = cutoff;
    const fileName = input.fileName.trim();
    if (
      !fileName ||
      fileName.length > 200 ||
      /[/\\]/.test(fileName) ||
      [...fileName].some((c) => c.charCodeAt(0) < 32)
    )
      fields.fileName = 'must be 1–200 characters, without path separators or control characters';
    if (Object.keys(fields).length) throw new ValidationError(fields);
    const period = Number(input.cutoffDate.slice(0, 4)) * 100 + Number(input.cutoffDate.slice(5, 7));
    return this.em.transactional(async (tx) => {
      const deal = await lockDeal(tx, this.tenantId, input.dealId);
      if (CLOSED.includes(deal.status))
        throw new ValidationError({ dealId: `the deal is ${deal.status}: it takes no more tapes` });
      const anchored = await tx.findOne(LoanTape, {
        dealId: deal.id,
        period,
        anchorStatus: AnchorStatus.ANCHORED,
      });
      if (anchored)
        throw new ConflictError(
          `version ${anchored.version} is already anchored for ${period}: DealRegistry keeps one dataset per deal and cut-off month`,
        );
      const [latest] = await tx.execute<{ max: number | null }[]>(
        `select max(version) as max from "${this.schema}".loan_tape where deal_id = ?`,
        [deal.id],
      );
      const max = latest?.max ?? null;
      const id = randomUUID();
      const dataKey = await keys.generateDataKey(
        tapeKeyContext({ tenantId: this.tenantId, dealId: deal.id, id }),
      );
      dataKey.plaintext.fill(0);
      const tape = tx.create(LoanTape, {
        id,
        tenantId: this.tenantId,
        dealId: deal.id,
        version: (max ?? 0) + 1,
        cutoffDate: input.cutoffDate,
        period,
        fileName,
        keyId: dataKey.keyId,
        wrappedKey: dataKey.wrapped,
        uploadedBy: actorOf(this.principal),
      });
      await this.audit(tx, {
        action: 'tape.created',
        aggregateType: 'Deal',
        aggregateId: deal.id,
        payload: { tapeId: id, version: tape.version, cutoffDate: input.cutoffDate, fileName },
      });
      return tape;
    });
  }

  /**
   * Receives the tape's file as a stream: each 1 MiB piece is sealed with the tape's data key and
   * stored while the SHA-256 of the whole is computed; at the end the tape is RECEIVED and the
   * ingest job queued. One upload per version (a replay is a conflict). An interrupted upload
   * leaves nothing and the version awaits its file again; an oversized one is REJECTED.
   *
   * @throws NotFoundError; ConflictError when the file was already sent; TapeTooLargeError
   */
  async receive(
    id: string,
    body: AsyncIterable<Buffer> | Iterable<Buffer>,
    limits: { maxBytes: number; declaredBytes?: number },
    keys: KeyProvider,
  ): Promise<TapeReceipt> {
    const tape = await this.findOwned(LoanTape, id);
    if (!tape) throw new NotFoundError('LoanTape', id);
    const conn = this.em.getConnection();
    const claimed = await conn.execute<{ id: string }[]>(
      `update "${this.schema}".loan_tape set status = 'RECEIVING' where id = ? and tenant_id = ? and status = 'AWAITING_UPLOAD' returning id`,
      [tape.id, this.tenantId],
    );
    if (!claimed.length)
      throw new ConflictError(`the file of tape version ${tape.version} was already sent (${tape.status})`);
    const reject = async (err: TapeTooLargeError) => {
      await this.em.transactional(async (tx) => {
        await tx.nativeDelete(LoanTapeChunk, { tapeId: tape.id });
        await tx.nativeUpdate(
          LoanTape,
          { id: tape.id },
          {
            status: TapeStatus.REJECTED,
            errorCount: 1,
            rowErrors: [{ row: 1, column: null, message: err.message }],
          },
        );
        await this.audit(tx, {
          action: 'tape.rejected',
          aggregateType: 'Deal',
          aggregateId: tape.dealId,
          payload: { tapeId: tape.id, version: tape.version, errorCount: 1, reason: err.message },
        });
      });
      throw err;
    };
    if (limits.declaredBytes !== undefined && limits.declaredBytes > limits.maxBytes)
      return reject(new TapeTooLargeError(limits.maxBytes));

    const full = await this.em.findOneOrFail(
      LoanTape,
      { id: tape.id },
      { populate: ['wrappedKey'], refresh: true },
    );
    const key = await keys.unwrap(full.wrappedKey, full.keyId, tapeKeyContext(full));
    const hash = createHash('sha256');
    let size = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (!pendingBytes) return;
      const piece = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await conn.execute(
        `insert into "${this.schema}".loan_tape_chunk (tape_id, seq, data) values (?, ?, ?)`,
        [tape.id, seq, seal(key, piece, chunkAad(tape.id, seq))],
      );
      seq += 1;
    };
    try {
      let tooLarge = false;
      for await (const chunk of body) {
        size += chunk.length;
        // past the limit the rest is read and dropped (leaving the loop would reset the connection
        // before the client, or the gateway streaming it, gets the answer)
        if (tooLarge || size > limits.maxBytes) {
          tooLarge = true;
          continue;
        }
        hash.update(chunk);
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= CHUNK_BYTES) await flush();
      }
      if (tooLarge) return await reject(new TapeTooLargeError(limits.maxBytes));
      await flush();
    } catch (err) {
      if (!(err instanceof TapeTooLargeError)) {
        // interrupted: forget the pieces, the version awaits its file again
        await this.em.nativeDelete(LoanTapeChunk, { tapeId: tape.id });
        await this.em.nativeUpdate(LoanTape, { id: tape.id }, { status: TapeStatus.AWAITING_UPLOAD });
      }
      throw err;
    } finally {
      key.fill(0);
    }
    const sha256 = hash.digest('hex');
    const received = await this.em.transactional(async (tx) => {
      const row = await tx.findOneOrFail(LoanTape, { id: tape.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      row.status = TapeStatus.RECEIVED;
      row.sha256 = sha256;
      row.byteSize = BigInt(size);
      await this.audit(tx, {
        action: 'tape.uploaded',
        aggregateType: 'Deal',
        aggregateId: tape.dealId,
        payload: { tapeId: tape.id, version: tape.version, sha256, byteSize: size },
      });
      await tx.flush();
      await enqueueJob(
        tx,
        INGEST_TASK,
        { tapeId: tape.id },
        { jobKey: `${INGEST_TASK}:${tape.id}`, maxAttempts: 5 },
      );
      return row;
    });
    return { tape: received, sha256, byteSize: size };
  }

  /**
   * Queues the anchoring of a VALIDATED tape again (after a FAILED anchor, or once the deal names a
   * chain). @throws ValidationError when the tape is not validated or already anchored
   */
  async anchor(id: string): Promise<LoanTape> {
    return this.em.transactional(async (tx) => {
      const tape = await tx.findOne(
        LoanTape,
        { id: isUuid(id) ? id : randomUUID(), tenantId: this.tenantId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!tape) throw new NotFoundError('LoanTape', id);
      if (tape.status !== TapeStatus.VALIDATED)
        throw new ValidationError({ id: `only a VALIDATED tape is anchored; this one is ${tape.status}` });
      if (tape.anchorStatus === AnchorStatus.ANCHORED)
        throw new ConflictError('the tape is already anchored');
      tape.anchorStatus = AnchorStatus.PENDING;
      tape.anchorError = null;
      await this.audit(tx, {
        action: 'tape.anchor_requested',
        aggregateType: 'Deal',
        aggregateId: tape.dealId,
        payload: { tapeId: tape.id, version: tape.version },
      });
      await tx.flush();
      await enqueueJob(
        tx,
        ANCHOR_TASK,
        { tapeId: tape.id },
        { jobKey: `${ANCHOR_TASK}:${tape.id}`, maxAttempts: 5 },
      );
      return tape;
    });
  }

  get(id: string): Promise<LoanTape | null> {
    return this.findOwned(LoanTape, id);
  }

  /** The tapes of many deals, newest version first (the Deal.loanTapes loader). */
  ofDeals(dealIds: readonly string[]): Promise<LoanTape[][]> {
    return this.findGrouped(LoanTape, 'dealId', dealIds, (t) => t.dealId, { version: 'desc' });
  }

  /** A page of a tape's loans, in file order (no borrower data: it is not even selected). */
  async loans(tape: LoanTape, page?: PageRequest | null): Promise<Page<Loan>> {
    const [items, total] = await this.em.findAndCount(
      Loan,
      { tapeId: tape.id, tenantId: this.tenantId },
      { orderBy: { row: 'asc' }, limit: Math.min(page?.limit ?? 100, 1000), offset: page?.offset ?? 0 },
    );
    return { items, total };
  }
}

/** The latest VALIDATED tape of a deal, or null. */
export function latestValidatedTape(
  em: EntityManager,
  tenantId: string,
  dealId: string,
): Promise<LoanTape | null> {
  return em.findOne(
    LoanTape,
    { tenantId, dealId, status: TapeStatus.VALIDATED },
    { orderBy: { version: 'desc' } },
  );
}
