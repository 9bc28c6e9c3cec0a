import type { EntityManager } from '@mikro-orm/postgresql';
import { findByIds, isUuid, recordAudit, type PageInput, type Principal } from '@tranche/platform';
import { DealInterest } from './deal-interest.entity.js';
import { Investor } from './investor.entity.js';
import type { CreateInvestorInput } from './investor.input.js';

export const DB_SCHEMA = 'investors';

/** Investor onboarding rules, always within the caller's tenant. */
export class InvestorService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
    private readonly requestId?: string,
  ) {}

  async list(page?: PageInput | null) {
    const [items, total] = await this.em.findAndCount(
      Investor,
      { tenantId: this.principal.tenantId },
      { orderBy: { createdAt: 'desc', id: 'asc' }, limit: page?.limit ?? 25, offset: page?.offset ?? 0 },
    );
    return { items, total };
  }

  async get(id: string): Promise<Investor | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(Investor, { id, tenantId: this.principal.tenantId });
  }

  async getMany(ids: readonly string[]): Promise<(Investor | null)[]> {
    return findByIds(this.em, Investor, ids, this.principal.tenantId);
  }

  /** Number of the tenant's investors interested in each deal, in one grouped statement. */
  async countByDeal(dealIds: readonly string[]): Promise<number[]> {
    const valid = dealIds.filter(isUuid);
    if (!valid.length) return dealIds.map(() => 0);
    const rows = await this.em.execute<{ deal_id: string; n: number }[]>(
      `select deal_id, count(distinct investor_id)::int as n from "${DB_SCHEMA}"."deal_interest"
        where tenant_id = ? and deal_id in (${valid.map(() => '?').join(', ')}) group by deal_id`,
      [this.principal.tenantId, ...valid],
    );
    const counts = new Map(rows.map((r) => [r.deal_id, r.n]));
    return dealIds.map((id) => counts.get(id) ?? 0);
  }

  /** Creates an investor (KYC pending) and its audit event in one transaction. */
  async create(input: CreateInvestorInput): Promise<Investor> {
    return this.em.transactional(async (tx) => {
      const investor = tx.create(Investor, {
        tenantId: this.principal.tenantId,
        legalName: input.legalName.trim(),
        kind: input.kind,
        jurisdiction: input.jurisdiction,
      });
      const dealIds = [...new Set(input.dealIds ?? [])];
      for (const dealId of dealIds)
        tx.create(DealInterest, { investor, dealId, tenantId: this.principal.tenantId });
      await recordAudit(
        tx,
        DB_SCHEMA,
        this.principal,
        {
          action: 'investor.created',
          aggregateType: 'Investor',
          aggregateId: investor.id,
          payload: {
            legalName: investor.legalName,
            kind: investor.kind,
            jurisdiction: investor.jurisdiction,
            dealIds,
          },
        },
        this.requestId,
      );
      return investor;
    });
  }
}
