import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError, type Principal } from '@tranche/platform';
import { AuditEvent } from './audit-event.entity.js';
import { chainHash, GENESIS_HASH } from './chain.js';

export const DB_SCHEMA = 'audit';
const VERIFY_CHUNK = 1000;

export interface AuditFilterInput {
  aggregateType?: string | null;
  aggregateId?: string | null;
  action?: string | null;
}

export interface ChainVerification {
  valid: boolean;
  from: number;
  to: number;
  checked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
  headHash: string | null;
}

/** Reading the audit trail (tenant-scoped) and verifying the chain (global). */
export class AuditService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
  ) {}

  /** The tenant's events, newest first. */
  async list(filter: AuditFilterInput | null | undefined, offset: number, limit: number) {
    const where: FilterQuery<AuditEvent> = { tenantId: this.principal.tenantId };
    if (filter?.aggregateType) where.aggregateType = filter.aggregateType;
    if (filter?.aggregateId) where.aggregateId = filter.aggregateId;
    if (filter?.action) where.action = filter.action;
    const [items, total] = await this.em.findAndCount(AuditEvent, where, {
      orderBy: { seq: 'desc' },
      offset,
      limit,
    });
    return { items, total };
  }

  /**
   * Recomputes the chain from `from` to `to` (default: the head) and reports the first broken
   * position: a gap in sequence numbers (a deleted event), a `prevHash` that does not match the
   * previous event's hash (an inserted or reordered event), or a hash that does not match the
   * event's content (an edited event).
   */
  async verify(from: number, to?: number | null): Promise<ChainVerification> {
    if (from < 1) throw new ValidationError({ from: 'must be at least 1' });
    if (to != null && to < from) throw new ValidationError({ to: 'must not be before from' });
    const head = await this.em.findOne(AuditEvent, { seq: { $gt: 0 } }, { orderBy: { seq: 'desc' } });
    const last = to ?? head?.seq ?? 0;
    const result: ChainVerification = {
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

    let prevHash = GENESIS_HASH;
    if (from > 1) {
      const before = await this.em.findOne(AuditEvent, { seq: from - 1 });
      if (!before) return broken(from - 1, `event ${from - 1} is missing`);
      prevHash = before.hash;
    }
    let expected = from;
    while (expected <= last) {
      const rows = await this.em.find(
        AuditEvent,
        { seq: { $gte: expected, $lte: last } },
        { orderBy: { seq: 'asc' }, limit: VERIFY_CHUNK },
      );
      if (!rows.length) return broken(expected, `event ${expected} is missing`);
      for (const row of rows) {
        if (row.seq !== expected) return broken(expected, `event ${expected} is missing`);
        if (row.prevHash !== prevHash) {
          return broken(row.seq, `event ${row.seq} does not link to the previous event's hash`);
        }
        if (chainHash(row.prevHash, row) !== row.hash) {
          return broken(row.seq, `event ${row.seq} does not match its hash (its content was changed)`);
        }
        prevHash = row.hash;
        expected += 1;
        result.checked += 1;
      }
      this.em.clear();
    }
    return result;
  }
}
