import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ConflictError,
  findByIds,
  isUuid,
  recordAudit,
  ValidationError,
  type PageInput,
  type Principal,
} from '@tranche/platform';
import { Distribution } from './distribution.entity.js';
import type { CreateDistributionInput, DistributionFilter } from './distribution.input.js';

export const DB_SCHEMA = 'distributions';

/** Distribution records of the caller's tenant. */
export class DistributionService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
    private readonly requestId?: string,
  ) {}

  async list(filter?: DistributionFilter | null, page?: PageInput | null) {
    const where: FilterQuery<Distribution> = { tenantId: this.principal.tenantId };
    if (filter?.dealId) where.dealId = filter.dealId;
    if (filter?.trancheId) where.trancheId = filter.trancheId;
    const [items, total] = await this.em.findAndCount(Distribution, where, {
      orderBy: { period: 'desc', id: 'asc' },
      limit: page?.limit ?? 25,
      offset: page?.offset ?? 0,
    });
    return { items, total };
  }

  async get(id: string): Promise<Distribution | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(Distribution, { id, tenantId: this.principal.tenantId });
  }

  async getMany(ids: readonly string[]): Promise<(Distribution | null)[]> {
    return findByIds(this.em, Distribution, ids, this.principal.tenantId);
  }

  /** Distributions of many tranches in one statement, newest period first. */
  async ofTranches(trancheIds: readonly string[]): Promise<Distribution[][]> {
    const valid = trancheIds.filter(isUuid);
    const rows = valid.length
      ? await this.em.find(
          Distribution,
          { trancheId: { $in: valid }, tenantId: this.principal.tenantId },
          { orderBy: { period: 'desc' } },
        )
      : [];
    return trancheIds.map((id) => rows.filter((d) => d.trancheId === id));
  }

  /**
   * Records a draft distribution and its audit event in one transaction.
   *
   * @throws ValidationError for negative amounts or an invalid month; ConflictError when the
   *   tranche already has a distribution for the period.
   */
  async create(input: CreateDistributionInput): Promise<Distribution> {
    const fields: Record<string, string> = {};
    const month = input.period % 100;
    if (month < 1 || month > 12) fields.period = 'must be YYYYMM with a month 01-12';
    if (input.interestAmount < 0n) fields.interestAmount = 'must not be negative';
    if (input.principalAmount < 0n) fields.principalAmount = 'must not be negative';
    if (Object.keys(fields).length) throw new ValidationError(fields);
    try {
      return await this.em.transactional(async (tx) => {
        const distribution = tx.create(Distribution, { ...input, tenantId: this.principal.tenantId });
        await recordAudit(
          tx,
          DB_SCHEMA,
          this.principal,
          {
            action: 'distribution.created',
            aggregateType: 'Distribution',
            aggregateId: distribution.id,
            payload: { ...input },
          },
          this.requestId,
        );
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
