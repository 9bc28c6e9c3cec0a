import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import {
  ConflictError,
  STAFF_ROLES,
  TenantService,
  ValidationError,
  type EntityRow,
  type Page,
  type PageRequest,
  type Role,
} from '@tranche/platform';
import { Distribution } from './distribution.entity.js';

/** Who may read distributions: staff and investors. */
export const DISTRIBUTION_READERS: readonly Role[] = [...STAFF_ROLES, 'INVESTOR'];

/** Which distributions a list holds. */
export interface DistributionQuery {
  dealId?: string | null;
  trancheId?: string | null;
}

/** A period's payment to one tranche, amounts in minor units. */
export interface NewDistribution {
  dealId: string;
  trancheId: string;
  /** YYYYMM */
  period: number;
  interestAmount: bigint;
  principalAmount: bigint;
}

/** A distribution as the read paths serve it (a plain row, not a managed entity). */
export type DistributionRow = EntityRow<Distribution>;

/** Distribution records of the caller's tenant. */
export class DistributionService extends TenantService {
  /** A page of the tenant's distributions, newest period first. */
  list(query?: DistributionQuery | null, page?: PageRequest | null): Promise<Page<Distribution>> {
    const where: FilterQuery<Distribution> = {};
    if (query?.dealId) where.dealId = query.dealId;
    if (query?.trancheId) where.trancheId = query.trancheId;
    return this.findPage(Distribution, where, { period: 'desc' }, page);
  }

  /** The distribution, or null when unknown or another tenant's. */
  get(id: string): Promise<Distribution | null> {
    return this.findOwned(Distribution, id);
  }

  /** Distributions by id in one statement, in key order. */
  getMany(ids: readonly string[]): Promise<(Distribution | null)[]> {
    return this.findManyOwned(Distribution, ids);
  }

  /** Distributions of many tranches in one statement, newest period first, as plain rows. */
  ofTranches(trancheIds: readonly string[]): Promise<DistributionRow[][]> {
    return this.findGroupedRows(Distribution, 'trancheId', trancheIds, (d) => d.trancheId, {
      period: 'desc',
    });
  }

  /**
   * Records a draft distribution and its audit event in one transaction.
   *
   * @throws ValidationError for negative amounts or an invalid month; ConflictError when the
   *   tranche already has a distribution for the period.
   */
  async create(input: NewDistribution): Promise<Distribution> {
    const fields: Record<string, string> = {};
    const month = input.period % 100;
    if (month < 1 || month > 12) fields.period = 'must be YYYYMM with a month 01-12';
    if (input.interestAmount < 0n) fields.interestAmount = 'must not be negative';
    if (input.principalAmount < 0n) fields.principalAmount = 'must not be negative';
    if (Object.keys(fields).length) throw new ValidationError(fields);
    const record: NewDistribution = {
      dealId: input.dealId,
      trancheId: input.trancheId,
      period: input.period,
      interestAmount: input.interestAmount,
      principalAmount: input.principalAmount,
    };
    try {
      return await this.em.transactional(async (tx) => {
        const distribution = tx.create(Distribution, { ...record, tenantId: this.tenantId });
        await this.audit(tx, {
          action: 'distribution.created',
          aggregateType: 'Distribution',
          aggregateId: distribution.id,
          payload: { ...record },
        });
        return distribution;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw new ConflictError(`tranche ${input.trancheId} already has a distribution for ${input.period}`);
      }
      throw err;
    }
  }
}
