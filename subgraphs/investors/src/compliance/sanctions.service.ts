import { LockMode } from '@mikro-orm/core';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  actorOf,
  ConflictError,
  NotFoundError,
  TenantService,
  ValidationError,
  type Config,
} from '@tranche/platform';
import { Investor, SanctionsStatus } from '../investor/investor.entity.js';
import { SanctionsScreening } from './sanctions-screening.entity.js';
import { restrictInvestorOnChain } from '../tokenops/restrict.js';
import { loadSdnList, SAMPLE_LIST_DIR, screenName, type SdnList } from './sanctions.js';

const cache = new Map<string, { mtimeMs: number; list: Promise<SdnList> }>();

/** The configured list, read again when its files change. */
export async function currentSdnList(config: Pick<Config, 'SANCTIONS_LIST_DIR'>): Promise<SdnList> {
  const dir = config.SANCTIONS_LIST_DIR ?? SAMPLE_LIST_DIR;
  const mtimeMs = (await stat(join(dir, 'sdn.csv'))).mtimeMs;
  const cached = cache.get(dir);
  if (cached && cached.mtimeMs === mtimeMs) return cached.list;
  const list = loadSdnList(dir);
  cache.set(dir, { mtimeMs, list });
  list.catch(() => cache.delete(dir));
  return list;
}

/**
 * Sanctions screening: an investor's legal name against the OFAC SDN list (primary names and
 * aliases, fuzzy); a potential match BLOCKS the investor pending a compliance review, a clear result
 * clears them. Every screening is kept with the list version it used.
 */
export class SanctionsService extends TenantService {
  /** @throws NotFoundError for an unknown or another tenant's investor */
  async screen(investorId: string, config: Pick<Config, 'SANCTIONS_LIST_DIR' | 'SANCTIONS_MATCH_THRESHOLD'>) {
    const found = await this.findOwned(Investor, investorId);
    if (!found) throw new NotFoundError('Investor', investorId);
    const list = await currentSdnList(config);
    const threshold = config.SANCTIONS_MATCH_THRESHOLD;
    const matches = screenName(list, found.legalName, threshold);
    const status = matches.length ? SanctionsStatus.BLOCKED : SanctionsStatus.CLEAR;
    return this.em.transactional(async (tx) => {
      const investor = await tx.findOneOrFail(
        Investor,
        { id: found.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const newlyBlocked =
        status === SanctionsStatus.BLOCKED && investor.sanctionsStatus !== SanctionsStatus.BLOCKED;
      // a blocked investor stays blocked until compliance reviews the hit (reviewSanctionsHit)
      if (investor.sanctionsStatus !== SanctionsStatus.BLOCKED) investor.sanctionsStatus = status;
      const screening = tx.create(SanctionsScreening, {
        tenantId: this.tenantId,
        investorId: investor.id,
        status,
        name: investor.legalName,
        listSha256: list.sha256,
        threshold,
        matches,
        screenedBy: actorOf(this.principal),
      });
      await this.audit(tx, {
        action: status === SanctionsStatus.BLOCKED ? 'investor.sanctions_hit' : 'investor.sanctions_clear',
        aggregateType: 'Investor',
        aggregateId: investor.id,
        payload: {
          listSha256: list.sha256,
          threshold,
          matches: matches.map((m) => ({ entNum: m.entNum, score: m.score })),
        },
      });
      if (newlyBlocked) await restrictInvestorOnChain(tx, this.principal, investor.id, 'SANCTIONS_HIT');
      return screening;
    });
  }

  /**
   * Compliance's review of a BLOCKED investor's potential match: a false positive CLEARS the
   * investor (their wallets stay frozen until unfrozen through the approved token actions); a
   * confirmed match keeps them BLOCKED. Either way the decision and its comment are audited.
   *
   * @throws NotFoundError; ConflictError unless the investor is BLOCKED; ValidationError without a
   *   comment.
   */
  async review(investorId: string, falsePositive: boolean, comment: string): Promise<Investor> {
    const found = await this.findOwned(Investor, investorId);
    if (!found) throw new NotFoundError('Investor', investorId);
    if (!comment.trim()) throw new ValidationError({ comment: 'say why' });
    return this.em.transactional(async (tx) => {
      const investor = await tx.findOneOrFail(
        Investor,
        { id: found.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (investor.sanctionsStatus !== SanctionsStatus.BLOCKED)
        throw new ConflictError(`the investor is ${investor.sanctionsStatus}, not BLOCKED`);
      if (falsePositive) investor.sanctionsStatus = SanctionsStatus.CLEAR;
      await this.audit(tx, {
        action: falsePositive ? 'investor.sanctions_false_positive' : 'investor.sanctions_confirmed',
        aggregateType: 'Investor',
        aggregateId: investor.id,
        payload: { comment: comment.trim() },
      });
      return investor;
    });
  }

  /** The investor's screenings, newest first. */
  history(investorId: string): Promise<SanctionsScreening[]> {
    return this.em.find(
      SanctionsScreening,
      { investorId, tenantId: this.tenantId },
      { orderBy: { screenedAt: 'desc' } },
    );
  }
}
