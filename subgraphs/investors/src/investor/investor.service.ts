import {
  STAFF_ROLES,
  TenantService,
  isUuid,
  type Page,
  type PageRequest,
  type Role,
} from '@tranche/platform';
import { DealInterest } from './deal-interest.entity.js';
import { Investor, type InvestorKind } from './investor.entity.js';

/** Who may read investors: platform staff only (an investor's record is compliance data). */
export const INVESTOR_READERS: readonly Role[] = STAFF_ROLES;
/** Who may see how many investors a deal has: staff and investors. */
export const INVESTOR_COUNT_READERS: readonly Role[] = [...STAFF_ROLES, 'INVESTOR'];

/** An investor to onboard, with the deals it is interested in. */
export interface NewInvestor {
  legalName: string;
  kind: InvestorKind;
  /** ISO 3166-1 alpha-2. */
  jurisdiction: string;
  dealIds?: string[] | null;
}

/** Investor onboarding rules, always within the caller's tenant. */
export class InvestorService extends TenantService {
  /** A page of the tenant's investors, newest first. */
  list(page?: PageRequest | null): Promise<Page<Investor>> {
    return this.findPage(Investor, {}, { createdAt: 'desc' }, page);
  }

  /** The investor, or null when unknown or another tenant's. */
  get(id: string): Promise<Investor | null> {
    return this.findOwned(Investor, id);
  }

  /** Investors by id in one statement, in key order. */
  getMany(ids: readonly string[]): Promise<(Investor | null)[]> {
    return this.findManyOwned(Investor, ids);
  }

  /** Number of the tenant's investors interested in each deal, in one grouped statement. */
  async countByDeal(dealIds: readonly string[]): Promise<number[]> {
    const valid = dealIds.filter(isUuid);
    if (!valid.length) return dealIds.map(() => 0);
    const rows = await this.em.execute<{ deal_id: string; n: number }[]>(
      `select deal_id, count(distinct investor_id)::int as n from "${this.schema}"."deal_interest"
        where tenant_id = ? and deal_id = any(?) group by deal_id`,
      // the checked ids as one array literal, not one bind parameter each
      [this.tenantId, `{${valid.join(',')}}`],
    );
    const counts = new Map(rows.map((r) => [r.deal_id, r.n]));
    return dealIds.map((id) => counts.get(id) ?? 0);
  }

  /** Creates an investor (KYC pending), its deal interests and its audit event in one transaction. */
  async create(input: NewInvestor): Promise<Investor> {
    return this.em.transactional(async (tx) => {
      const investor = tx.create(Investor, {
        tenantId: this.tenantId,
        legalName: input.legalName.trim(),
        kind: input.kind,
        jurisdiction: input.jurisdiction,
      });
      const dealIds = [...new Set(input.dealIds ?? [])];
      for (const dealId of dealIds) tx.create(DealInterest, { investor, dealId, tenantId: this.tenantId });
      await this.audit(tx, {
        action: 'investor.created',
        aggregateType: 'Investor',
        aggregateId: investor.id,
        payload: {
          legalName: investor.legalName,
          kind: investor.kind,
          jurisdiction: investor.jurisdiction,
          dealIds,
        },
      });
      return investor;
    });
  }
}
