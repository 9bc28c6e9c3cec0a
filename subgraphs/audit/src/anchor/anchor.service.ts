import type { EntityManager } from '@mikro-orm/postgresql';
import { buildLedgerTree } from '@tranche/chain';
import { enqueueJob, isUuid, TenantService, type Page, type PageRequest, type Role } from '@tranche/platform';
import { AuditEvent } from '../ledger/audit-event.entity.js';
import { LedgerAnchor } from './ledger-anchor.entity.js';

/** Who may read anchors and proofs: the audit readers. */
export const ANCHOR_READERS: readonly Role[] = ['AUDITOR', 'ADMIN', 'COMPLIANCE'];
/** Who may ask for an anchoring pass now rather than at the next scheduled one. */
export const ANCHOR_OPERATORS: readonly Role[] = ['ADMIN'];

/** Most events one anchor covers (a proof is rebuilt from the range's hashes). */
export const MAX_ANCHOR_RANGE = 10_000;

/** The queue task that sends one anchor, and the one that plans anchors. */
export const ANCHOR_TASK = 'audit:anchor';
export const PLAN_ANCHORS_TASK = 'audit:anchor-plan';

/** An event's inclusion proof against the anchor that covers it. */
export interface EventProof {
  event: AuditEvent;
  anchor: LedgerAnchor;
  /** Sibling hashes from the leaf to the root (the contract's `verifyEvent` takes them). */
  proof: string[];
}

/** Reading a tenant's anchors and proving its events against them. */
export class AnchorService extends TenantService {
  /** The tenant's anchors, newest first. */
  list(page?: PageRequest | null): Promise<Page<LedgerAnchor>> {
    return this.findPage(LedgerAnchor, {}, { firstSeq: 'desc' }, page);
  }

  /** An anchor of the tenant, or null when unknown or another tenant's. */
  get(id: string): Promise<LedgerAnchor | null> {
    return this.findOwned(LedgerAnchor, id);
  }

  /**
   * The inclusion proof of the tenant's event `eventId` against the anchor covering it, rebuilt
   * from the stored hashes of the anchor's range; null when the event is unknown, another
   * tenant's, or not anchored yet. An edited event yields a proof that does not verify on-chain.
   */
  async proofOf(eventId: string): Promise<EventProof | null> {
    const event = await this.findOwned(AuditEvent, eventId);
    if (!event) return null;
    const anchor = await this.em.findOne(
      LedgerAnchor,
      { tenantId: this.tenantId, firstSeq: { $lte: event.seq }, lastSeq: { $gte: event.seq } },
      { orderBy: { createdAt: 'desc' } }, // the newest deployment's anchor
    );
    if (!anchor) return null;
    const leaves = await rangeLeaves(this.em, this.tenantId, anchor.firstSeq, anchor.lastSeq);
    return { event, anchor, proof: buildLedgerTree(leaves).proofFor(event.seq) };
  }

  /** The anchors covering events about each deal (aggregate id), in one statement. */
  async ofDeals(dealIds: readonly string[]): Promise<LedgerAnchor[][]> {
    const valid = dealIds.filter(isUuid);
    if (!valid.length) return dealIds.map(() => []);
    const pairs = await this.em.execute<{ anchor_id: string; deal_id: string }[]>(
      `select distinct a.id as anchor_id, e.aggregate_id as deal_id
         from "${this.schema}"."ledger_anchor" a
         join "${this.schema}"."audit_event" e
           on e.tenant_id = a.tenant_id and e.seq between a.first_seq and a.last_seq
        where a.tenant_id = ? and e.aggregate_id in (${valid.map(() => '?').join(', ')})`,
      [this.tenantId, ...valid],
    );
    const anchors = pairs.length
      ? await this.em.find(
          LedgerAnchor,
          { id: { $in: [...new Set(pairs.map((p) => p.anchor_id))] } },
          { orderBy: { firstSeq: 'asc' } },
        )
      : [];
    return dealIds.map((dealId) => {
      const ids = new Set(pairs.filter((p) => p.deal_id === dealId).map((p) => p.anchor_id));
      return anchors.filter((a) => ids.has(a.id));
    });
  }
}

/** The (seq, hash) leaves of a tenant's ledger range, in order. */
export async function rangeLeaves(
  em: EntityManager,
  tenantId: string,
  firstSeq: number,
  lastSeq: number,
): Promise<{ seq: number; hash: string }[]> {
  const rows = await em.execute<{ seq: number; hash: string }[]>(
    `select seq, hash from "audit"."audit_event" where tenant_id = ? and seq between ? and ? order by seq`,
    [tenantId, firstSeq, lastSeq],
  );
  return rows.map((r) => ({ seq: r.seq, hash: `0x${r.hash}` }));
}

/**
 * Plans the next anchor of every tenant whose unanchored events are at least `everyEvents`, or
 * whose oldest unanchored event is older than `everyMinutes` (or any, with `force`): creates the
 * PENDING anchor with its Merkle root and enqueues the job that sends it, in one transaction,
 * one queue per tenant so a tenant's ranges reach the chain in order. Returns the new anchors.
 */
export async function planAnchors(
  em: EntityManager,
  options: {
    everyEvents: number;
    everyMinutes: number;
    /** The AuditAnchor deployment the ranges go to (contiguity is per contract). */
    target: { chainId: number; contractAddress: string };
    force?: boolean;
    tenantId?: string;
  },
): Promise<LedgerAnchor[]> {
  return em.transactional(async (tx) => {
    const [lock] = await tx.execute<{ locked: boolean }[]>(
      `select pg_try_advisory_xact_lock(hashtext('audit.anchor.plan')) as locked`,
    );
    if (!lock?.locked) return [];
    const due = await tx.execute<{ tenant_id: string; last: number; head: number; oldest: Date | string }[]>(
      `with anchored as (select tenant_id, max(last_seq) as last from "audit"."ledger_anchor"
                          where contract_address = ? group by tenant_id)
       select e.tenant_id, coalesce(a.last, 0)::int as last, max(e.seq)::int as head, min(e.recorded_at) as oldest
         from "audit"."audit_event" e left join anchored a on a.tenant_id = e.tenant_id
        where e.seq > coalesce(a.last, 0) ${options.tenantId ? 'and e.tenant_id = ?' : ''}
        group by e.tenant_id, a.last`,
      [options.target.contractAddress, ...(options.tenantId ? [options.tenantId] : [])],
    );
    const planned: LedgerAnchor[] = [];
    const cutoff = Date.now() - options.everyMinutes * 60_000;
    for (const row of due) {
      const pending = row.head - row.last;
      if (!options.force && pending < options.everyEvents && new Date(row.oldest).getTime() > cutoff)
        continue;
      const firstSeq = row.last + 1;
      const lastSeq = Math.min(row.head, row.last + MAX_ANCHOR_RANGE);
      const leaves = await rangeLeaves(tx, row.tenant_id, firstSeq, lastSeq);
      const anchor = tx.create(LedgerAnchor, {
        tenantId: row.tenant_id,
        firstSeq,
        lastSeq,
        merkleRoot: buildLedgerTree(leaves).root,
        chainId: options.target.chainId,
        contractAddress: options.target.contractAddress,
      });
      await tx.flush();
      await enqueueJob(
        tx,
        ANCHOR_TASK,
        { anchorId: anchor.id },
        {
          jobKey: `${ANCHOR_TASK}:${anchor.id}`,
          queueName: `${ANCHOR_TASK}:${row.tenant_id}`,
          maxAttempts: 25,
        },
      );
      planned.push(anchor);
    }
    return planned;
  });
}
