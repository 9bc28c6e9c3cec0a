import type { FilterQuery } from '@mikro-orm/core';
import {
  actorOf,
  enqueueJob,
  TenantService,
  ValidationError,
  type Page,
  type PageRequest,
  type Role,
} from '@tranche/platform';
import { AuditEvent } from './audit-event.entity.js';
import { genesisHash, ledgerHash } from './ledger-hash.js';
import { VerificationRun } from './verification-run.entity.js';

/** The queue task that verifies a range of a tenant's chain (see ledger.jobs.ts). */
export const VERIFY_CHAIN_TASK = 'audit:verify-chain';

/** Who may read the audit trail. */
export const LEDGER_READERS: readonly Role[] = ['AUDITOR', 'ADMIN', 'COMPLIANCE'];
/** Who may recompute the ledger. */
export const LEDGER_VERIFIERS: readonly Role[] = ['AUDITOR', 'ADMIN'];

/** Events read per statement while verifying (keyset-paged by seq, read as plain rows). */
const VERIFY_CHUNK = 10_000;

/**
 * The most events `verifyAuditChain` recomputes inside a request; a longer range is a job
 * (`requestAuditChainVerification`), so nothing slow runs on the subgraph's event loop.
 */
export const MAX_VERIFY_IN_REQUEST = 50_000;

/** Told of progress while a long verification runs (the job records it). */
export interface VerifyProgress {
  onChunk?: (checked: number, total: number) => Promise<void>;
  signal?: AbortSignal;
}

interface LedgerRow {
  seq: number;
  tenant_id: string;
  source: string;
  source_event_id: string;
  actor: string;
  action: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: string;
  request_id: string | null;
  occurred_at: Date | string;
  prev_hash: string;
  hash: string;
}

/** Which audit events a list holds. */
export interface AuditEventQuery {
  aggregateType?: string | null;
  aggregateId?: string | null;
  action?: string | null;
}

/** The outcome of recomputing a range of one tenant's chain of the ledger. */
export interface LedgerVerification {
  valid: boolean;
  from: number;
  to: number;
  checked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
  headHash: string | null;
}

/** Reading the audit trail and verifying the ledger, both scoped to the caller's tenant. */
export class LedgerService extends TenantService {
  /** The tenant's events, newest first. */
  list(query?: AuditEventQuery | null, page?: PageRequest | null): Promise<Page<AuditEvent>> {
    const where: FilterQuery<AuditEvent> = {};
    if (query?.aggregateType) where.aggregateType = query.aggregateType;
    if (query?.aggregateId) where.aggregateId = query.aggregateId;
    if (query?.action) where.action = query.action;
    return this.findPage(AuditEvent, where, { seq: 'desc' }, page);
  }

  /** The tenant's verification runs, newest first. */
  verifications(page?: PageRequest | null): Promise<Page<VerificationRun>> {
    return this.findPage(VerificationRun, {}, { requestedAt: 'desc' }, page);
  }

  /** A verification run, or null when unknown or another tenant's. */
  verification(id: string): Promise<VerificationRun | null> {
    return this.findOwned(VerificationRun, id);
  }

  /**
   * Queues a verification of the range (default: the whole chain up to its head when it runs).
   *
   * @throws ValidationError for a bad range.
   */
  async requestVerification(from: number, to?: number | null): Promise<VerificationRun> {
    if (from < 1) throw new ValidationError({ from: 'must be at least 1' });
    if (to != null && to < from) throw new ValidationError({ to: 'must not be before from' });
    return this.em.transactional(async (tx) => {
      const run = tx.create(VerificationRun, {
        tenantId: this.tenantId,
        fromSeq: from,
        toSeq: to ?? null,
        requestedBy: actorOf(this.principal),
      });
      await tx.flush();
      await enqueueJob(
        tx,
        VERIFY_CHAIN_TASK,
        { runId: run.id },
        { jobKey: `${VERIFY_CHAIN_TASK}:${run.id}` },
      );
      return run;
    });
  }

  /** Events by id in one statement, in key order, null for other tenants' or unknown ids. */
  getMany(ids: readonly string[]): Promise<(AuditEvent | null)[]> {
    return this.findManyOwned(AuditEvent, ids);
  }

  /**
   * Recomputes the caller's tenant's chain from `from` to `to` (default: its head) and reports
   * the first broken position: a gap in sequence numbers (a deleted event), a `prevHash` that
   * does not match the previous event's hash or, for the first event, the tenant's genesis hash
   * (an inserted or reordered event), or a hash that does not match the event's content (an
   * edited event). Every statement is scoped to the tenant: no other tenant's row is read, so
   * other tenants' chains neither affect the result nor are disclosed by it.
   */
  async verify(
    from: number,
    to?: number | null,
    progress: VerifyProgress & { maxEvents?: number } = {},
  ): Promise<LedgerVerification> {
    if (from < 1) throw new ValidationError({ from: 'must be at least 1' });
    if (to != null && to < from) throw new ValidationError({ to: 'must not be before from' });
    const tenantId = this.tenantId;
    const head = await this.em.findOne(AuditEvent, { tenantId }, { orderBy: { seq: 'desc' } });
    const last = to ?? head?.seq ?? 0;
    if (progress.maxEvents !== undefined && last - from + 1 > progress.maxEvents) {
      throw new ValidationError({
        to: `at most ${progress.maxEvents} events in a request: verify a longer range with requestAuditChainVerification`,
      });
    }
    const result: LedgerVerification = {
      valid: true,
      from,
      to: last,
      checked: 0,
      firstBrokenSeq: null,
      reason: null,
      headHash: head?.hash ?? null,
    };
    const broken = (seq: number, reason: string) => ({
      ...result,
      valid: false,
      firstBrokenSeq: seq,
      reason,
    });

    let prevHash = genesisHash(tenantId);
    if (from > 1) {
      const before = await this.em.findOne(AuditEvent, { tenantId, seq: from - 1 });
      if (!before) return broken(from - 1, `event ${from - 1} is missing`);
      prevHash = before.hash;
    }
    let expected = from;
    // Plain rows rather than entities: a million events must not go through the identity map.
    const connection = this.em.getConnection();
    while (expected <= last) {
      const rows = await connection.execute<LedgerRow[]>(
        `select seq, tenant_id, source, source_event_id, actor, action, aggregate_type, aggregate_id, payload,
                request_id, occurred_at, prev_hash, hash
           from "${this.schema}"."audit_event"
          where tenant_id = ? and seq >= ? and seq <= ? order by seq limit ${VERIFY_CHUNK}`,
        [tenantId, expected, last],
      );
      if (!rows.length) return broken(expected, `event ${expected} is missing`);
      for (const row of rows) {
        if (row.seq !== expected) return broken(expected, `event ${expected} is missing`);
        if (row.prev_hash !== prevHash) {
          const previous = row.seq === 1 ? "the tenant's genesis hash" : "the previous event's hash";
          return broken(row.seq, `event ${row.seq} does not link to ${previous}`);
        }
        const fields = {
          seq: row.seq,
          tenantId: row.tenant_id,
          source: row.source,
          sourceEventId: row.source_event_id,
          actor: row.actor,
          action: row.action,
          aggregateType: row.aggregate_type,
          aggregateId: row.aggregate_id,
          payload: row.payload,
          requestId: row.request_id,
          occurredAt: new Date(row.occurred_at),
        };
        if (ledgerHash(row.prev_hash, fields) !== row.hash) {
          return broken(row.seq, `event ${row.seq} does not match its hash (its content was changed)`);
        }
        prevHash = row.hash;
        expected += 1;
        result.checked += 1;
      }
      if (progress.signal?.aborted) throw new Error('verification stopped: it runs again');
      await progress.onChunk?.(result.checked, last - from + 1);
    }
    return result;
  }
}
