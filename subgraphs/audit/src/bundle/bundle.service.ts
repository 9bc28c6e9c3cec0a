import type { EntityManager } from '@mikro-orm/postgresql';
import { buildLedgerTree, ledgerIdOf } from '@tranche/chain';
import {
  actorOf,
  ConflictError,
  enqueueJob,
  isUuid,
  NotFoundError,
  recordAudit,
  TenantService,
  ValidationError,
  type Page,
  type PageRequest,
  type Principal,
  type Role,
} from '@tranche/platform';
import { rangeLeaves } from '../anchor/anchor.service.js';
import { AnchorStatus, LedgerAnchor } from '../anchor/ledger-anchor.entity.js';
import { AuditBundleArchive } from './audit-bundle-archive.entity.js';
import { AuditBundle, BundleStatus } from './audit-bundle.entity.js';
import { writeBundleArchive, type BundleSigner } from './bundle-archive.js';
import type { BundleAnchor, BundleEvent, BundleLink } from './bundle-format.js';

/** Who may export and download audit bundles: the audit readers. */
export const BUNDLE_READERS: readonly Role[] = ['AUDITOR', 'COMPLIANCE', 'ADMIN'];

/** The queue task that builds one bundle's archive. */
export const BUILD_BUNDLE_TASK = 'audit:bundle';

/** Longest period one bundle covers. */
export const MAX_BUNDLE_DAYS = 366;
/** Most events one bundle carries (a longer history is exported in several periods). */
export const MAX_BUNDLE_EVENTS = 20_000;
/** Most links of the tenant's chain between a bundle's first and last event. */
export const MAX_BUNDLE_SPAN = 100_000;
/** Bundles one tenant may have queued or running at once. */
export const MAX_BUNDLES_IN_FLIGHT = 3;

const DAY_MS = 86_400_000;
/** Links read per statement while building. */
const LINK_CHUNK = 10_000;

/** What an export asks for: one deal's events that occurred in [from, to]. */
export interface ExportRequest {
  dealId: string;
  from: Date;
  to: Date;
}

/** Which bundles a list holds. */
export interface BundleQuery {
  dealId?: string | null;
}

/** Exporting a deal's audit evidence and serving the archives, scoped to the caller's tenant. */
export class BundleService extends TenantService {
  /** The tenant's bundles (of one deal, when asked), newest first. */
  list(query?: BundleQuery | null, page?: PageRequest | null): Promise<Page<AuditBundle>> {
    const where = query?.dealId
      ? { dealId: isUuid(query.dealId) ? query.dealId : '00000000-0000-0000-0000-000000000000' }
      : {};
    return this.findPage(AuditBundle, where, { createdAt: 'desc' }, page);
  }

  /** A bundle, or null when unknown or another tenant's. */
  get(id: string): Promise<AuditBundle | null> {
    return this.findOwned(AuditBundle, id);
  }

  /** The bundles of each deal, newest first, in one statement. */
  ofDeals(dealIds: readonly string[]): Promise<AuditBundle[][]> {
    return this.findGrouped(AuditBundle, 'dealId', dealIds, (b) => b.dealId, { createdAt: 'desc' });
  }

  /**
   * Records an export of deal `dealId`'s audit evidence over [from, to] (`to` capped at now) and
   * queues the job that builds, signs and stores its archive, with the export's own audit event,
   * in one transaction. The deal must be the caller's tenant's: its events are in the tenant's
   * ledger (a deal of another tenant looks exactly like an unknown one).
   *
   * @throws ValidationError for a malformed deal id, `to` before `from`, a period longer than
   *   {@link MAX_BUNDLE_DAYS} days, `from` in the future, or a deal the tenant's ledger does not
   *   know; ConflictError when {@link MAX_BUNDLES_IN_FLIGHT} of the tenant's bundles are still
   *   being built.
   */
  async export(request: ExportRequest): Promise<AuditBundle> {
    const now = new Date();
    const fields: Record<string, string> = {};
    if (!isUuid(request.dealId)) fields.dealId = 'not a deal id';
    if (request.from.getTime() > now.getTime()) fields.from = 'must not be in the future';
    if (request.to.getTime() < request.from.getTime()) fields.to = 'must not be before from';
    else if (request.to.getTime() - request.from.getTime() > MAX_BUNDLE_DAYS * DAY_MS)
      fields.to = `must be at most ${MAX_BUNDLE_DAYS} days after from: export a longer history in several bundles`;
    if (Object.keys(fields).length) throw new ValidationError(fields);
    const [known] = await this.em.execute<{ found: number }[]>(
      `select 1 as found from "${this.schema}"."audit_event"
        where aggregate_type = 'Deal' and aggregate_id = ? and tenant_id = ? limit 1`,
      [request.dealId, this.tenantId],
    );
    if (!known) throw new ValidationError({ dealId: 'no deal with this id in your tenant’s audit trail' });
    const periodTo = request.to.getTime() > now.getTime() ? now : request.to;

    return this.em.transactional(async (tx) => {
      // One tenant's exports take turns here, so the in-flight limit holds under concurrency.
      await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`audit.bundle:${this.tenantId}`]);
      const inFlight = await tx.count(AuditBundle, {
        tenantId: this.tenantId,
        status: { $in: [BundleStatus.QUEUED, BundleStatus.RUNNING] },
      });
      if (inFlight >= MAX_BUNDLES_IN_FLIGHT) {
        throw new ConflictError(
          `${inFlight} audit bundles are still being built; at most ${MAX_BUNDLES_IN_FLIGHT} at once`,
        );
      }
      const bundle = tx.create(AuditBundle, {
        tenantId: this.tenantId,
        dealId: request.dealId,
        periodFrom: request.from,
        periodTo,
        createdBy: actorOf(this.principal),
        createdAt: now,
      });
      await tx.flush();
      await enqueueJob(
        tx,
        BUILD_BUNDLE_TASK,
        { bundleId: bundle.id },
        { jobKey: `${BUILD_BUNDLE_TASK}:${bundle.id}`, maxAttempts: 5 },
      );
      await this.audit(tx, {
        action: 'audit.bundle.requested',
        aggregateType: 'AuditBundle',
        aggregateId: bundle.id,
        payload: { dealId: request.dealId, from: request.from, to: periodTo },
      });
      return bundle;
    });
  }

  /**
   * The archive of the tenant's READY bundle `id`, with its bundle.
   *
   * @throws NotFoundError when the bundle is unknown or another tenant's; ConflictError while it
   *   is not READY.
   */
  async archive(id: string): Promise<{ bundle: AuditBundle; content: Buffer }> {
    const bundle = await this.findOwned(AuditBundle, id);
    if (!bundle) throw new NotFoundError('AuditBundle', id);
    if (bundle.status !== BundleStatus.READY) {
      throw new ConflictError(`audit bundle ${id} is ${bundle.status}: it can be downloaded once READY`);
    }
    const archive = await this.findOwned(AuditBundleArchive, id);
    if (!archive) throw new NotFoundError('AuditBundle archive', id);
    return { bundle, content: archive.content };
  }
}

/** The file name a bundle's archive is downloaded as. */
export function bundleFileName(bundle: Pick<AuditBundle, 'id' | 'dealId'>): string {
  return `audit-bundle-${bundle.dealId}-${bundle.id}.tar.gz`;
}

/** A bundle that cannot be built as asked (e.g. too many events): failed for good, not retried. */
export class BundleRefusedError extends Error {}

export interface BuildBundleOptions {
  /** The AuditAnchor deployment whose anchors the bundle carries; null: no chain (all unanchored). */
  target: { chainId: number; contractAddress: string } | null;
  signer: BundleSigner;
  /** Aborted when the worker stops: the build stops at the next safe point and runs again later. */
  signal?: AbortSignal;
}

interface LedgerRow {
  id: string;
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

/** The system actor that records a built bundle in the audit trail. */
const bundlerOf = (tenantId: string): Principal => ({
  subject: 'audit-bundles',
  clientId: 'audit-bundles',
  tenantId,
  roles: new Set(),
});

function stopIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new Error('bundle build stopped: it runs again');
}

/**
 * The events of the bundle's tenant that concern its deal (`DEAL_SELECTION`, the same rule as
 * `concernsDeal`) and occurred in its period, in chain order.
 *
 * @throws BundleRefusedError above {@link MAX_BUNDLE_EVENTS} events.
 */
async function dealEvents(em: EntityManager, bundle: AuditBundle): Promise<BundleEvent[]> {
  const rows = await em.getConnection().execute<LedgerRow[]>(
    `select id, seq, tenant_id, source, source_event_id, actor, action, aggregate_type, aggregate_id, payload,
            request_id, occurred_at, prev_hash, hash
       from "audit"."audit_event" e
      where e.tenant_id = ? and e.occurred_at >= ? and e.occurred_at <= ?
        and (e.aggregate_id = ?
             or (jsonb_typeof(e.payload::jsonb) = 'object'
                 and (e.payload::jsonb ->> 'dealId' = ?
                      or (jsonb_typeof(e.payload::jsonb -> 'dealIds') = 'array'
                          and e.payload::jsonb -> 'dealIds' @> jsonb_build_array(?::text))
                      or (e.aggregate_type = 'KillSwitch' and e.payload::jsonb ->> 'scope' = 'DEAL'
                          and e.payload::jsonb ->> 'target' = ?))))
      order by e.seq limit ${MAX_BUNDLE_EVENTS + 1}`,
    [
      bundle.tenantId,
      bundle.periodFrom,
      bundle.periodTo,
      bundle.dealId,
      bundle.dealId,
      bundle.dealId,
      bundle.dealId,
    ],
  );
  if (rows.length > MAX_BUNDLE_EVENTS) {
    throw new BundleRefusedError(
      `more than ${MAX_BUNDLE_EVENTS} events concern the deal in this period: export shorter periods`,
    );
  }
  return rows.map((row) => ({
    id: row.id,
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
    occurredAt: new Date(row.occurred_at).toISOString(),
    prevHash: row.prev_hash,
    hash: row.hash,
  }));
}

/** Every link of the tenant's chain in [firstSeq, lastSeq], in order. */
async function chainLinks(
  em: EntityManager,
  tenantId: string,
  span: { firstSeq: number; lastSeq: number },
  signal?: AbortSignal,
): Promise<BundleLink[]> {
  const links: BundleLink[] = [];
  for (let from = span.firstSeq; from <= span.lastSeq; from += LINK_CHUNK) {
    stopIfAborted(signal);
    const rows = await em.getConnection().execute<{ seq: number; prev_hash: string; hash: string }[]>(
      `select seq, prev_hash, hash from "audit"."audit_event"
          where tenant_id = ? and seq between ? and ? order by seq`,
      [tenantId, from, Math.min(span.lastSeq, from + LINK_CHUNK - 1)],
    );
    for (const row of rows) links.push({ seq: row.seq, prevHash: row.prev_hash, hash: row.hash });
  }
  return links;
}

/**
 * Builds bundle `bundleId`'s archive and stores it: the deal's events of the period with their
 * chain links, each event's inclusion proof against the anchor of `options.target` covering it
 * (rebuilt from the ledger, as `auditEventProof` does), the anchors with their transactions, and
 * the manifest (files' SHA-256, counts, what is not anchored yet) signed by `options.signer`.
 * The archive, the bundle's READY state and its `audit.bundle.built` event (with the archive's
 * SHA-256, so the export itself is anchored later) commit in one transaction. Progress is
 * written after each anchor's proofs. Building only reads the ledger, so a build stopped mid-way
 * simply runs again; equal inputs give a byte-equal archive. A READY or FAILED bundle is left
 * as it is. Returns the bundle (null when unknown).
 *
 * @throws BundleRefusedError when the bundle is too large to build (see the MAX_ constants);
 *   any database error, or an Error when `options.signal` was aborted.
 */
export async function buildAuditBundle(
  em: EntityManager,
  bundleId: string,
  options: BuildBundleOptions,
): Promise<AuditBundle | null> {
  const bundle = await em.findOne(AuditBundle, { id: bundleId });
  if (!bundle || bundle.status === BundleStatus.READY || bundle.status === BundleStatus.FAILED) return bundle;
  await em.nativeUpdate(AuditBundle, { id: bundleId }, { status: BundleStatus.RUNNING, processed: 0 });

  const events = await dealEvents(em, bundle);
  await em.nativeUpdate(AuditBundle, { id: bundleId }, { eventCount: events.length });
  const first = events[0];
  const last = events[events.length - 1];
  const span = first && last ? { firstSeq: first.seq, lastSeq: last.seq } : null;
  if (span && span.lastSeq - span.firstSeq + 1 > MAX_BUNDLE_SPAN) {
    throw new BundleRefusedError(
      `the deal's events of this period span ${span.lastSeq - span.firstSeq + 1} events of the tenant's chain (at most ${MAX_BUNDLE_SPAN}): export shorter periods`,
    );
  }
  const links = span ? await chainLinks(em, bundle.tenantId, span, options.signal) : [];
  const ledgerId = ledgerIdOf(bundle.tenantId);

  // Proofs, anchor by anchor (only anchors of the configured deployment, and only once mined).
  const { target } = options;
  const anchors =
    target && span
      ? await em.find(
          LedgerAnchor,
          {
            tenantId: bundle.tenantId,
            chainId: target.chainId,
            contractAddress: target.contractAddress,
            status: AnchorStatus.ANCHORED,
            firstSeq: { $lte: span.lastSeq },
            lastSeq: { $gte: span.firstSeq },
          },
          { orderBy: { firstSeq: 'asc' } },
        )
      : [];
  const proofs = new Map<number, { anchorIndex: number; proof: string[] }>();
  const usedAnchors: BundleAnchor[] = [];
  let processed = 0;
  for (const anchor of anchors) {
    stopIfAborted(options.signal);
    const covered = events.filter((e) => e.seq >= anchor.firstSeq && e.seq <= anchor.lastSeq);
    if (!covered.length || anchor.anchorIndex === null || !anchor.txHash || anchor.blockNumber === null)
      continue;
    const tree = buildLedgerTree(await rangeLeaves(em, bundle.tenantId, anchor.firstSeq, anchor.lastSeq));
    for (const event of covered) {
      proofs.set(event.seq, { anchorIndex: anchor.anchorIndex, proof: tree.proofFor(event.seq) });
    }
    usedAnchors.push({
      chainId: anchor.chainId,
      contract: anchor.contractAddress,
      ledgerId,
      anchorIndex: anchor.anchorIndex,
      firstSeq: anchor.firstSeq,
      lastSeq: anchor.lastSeq,
      root: anchor.merkleRoot,
      txHash: anchor.txHash,
      blockNumber: anchor.blockNumber,
    });
    processed += covered.length;
    await em.nativeUpdate(AuditBundle, { id: bundleId }, { processed });
  }
  const written = await writeBundleArchive(
    {
      bundleId: bundle.id,
      tenantId: bundle.tenantId,
      dealId: bundle.dealId,
      range: { from: bundle.periodFrom, to: bundle.periodTo },
      createdAt: bundle.createdAt,
      createdBy: bundle.createdBy,
      events,
      links,
      proofs,
      anchors: usedAnchors,
      chain: target ? { chainId: target.chainId, auditAnchor: target.contractAddress } : null,
    },
    options.signer,
  );
  const { archive, sha256 } = written;
  const anchoredCount = written.manifest.counts.anchored;
  const signer = written.manifest.signature.signer;

  stopIfAborted(options.signal);
  await em.transactional(async (tx) => {
    await tx.nativeDelete(AuditBundleArchive, { id: bundle.id });
    tx.create(AuditBundleArchive, { id: bundle.id, tenantId: bundle.tenantId, content: archive });
    await tx.nativeUpdate(
      AuditBundle,
      { id: bundle.id },
      {
        status: BundleStatus.READY,
        processed: events.length,
        eventCount: events.length,
        anchoredCount,
        sha256,
        sizeBytes: archive.length,
        signer,
        chainId: target?.chainId ?? null,
        error: null,
        finishedAt: new Date(),
      },
    );
    await recordAudit(tx, 'audit', bundlerOf(bundle.tenantId), {
      action: 'audit.bundle.built',
      aggregateType: 'AuditBundle',
      aggregateId: bundle.id,
      payload: {
        dealId: bundle.dealId,
        sha256,
        events: events.length,
        anchored: anchoredCount,
        signer,
      },
    });
  });
  return em.findOne(AuditBundle, { id: bundle.id }, { refresh: true });
}
