import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import {
  byKeys,
  ConflictError,
  findByIds,
  isUuid,
  NotFoundError,
  type PageInput,
  recordAudit,
  ValidationError,
  type Principal,
} from '@tranche/platform';
import { Deal, DealStatus } from './deal.entity.js';
import { EngineInputError, parseCollateral, parseWaterfallRules } from '@tranche/engine';
import type {
  CreateDealInput,
  DealFilter,
  DealSort,
  DealStructureInput,
  UpdateDealInput,
} from './deal.input.js';
import { DealSortField, SortOrder } from './deal.input.js';
import { Tranche } from './tranche.entity.js';

export const DB_SCHEMA = 'deals';
const MAX_BALANCE = 10n ** 17n;

/** Lifecycle moves a deal may make (forward only). */
const TRANSITIONS: Record<DealStatus, DealStatus[]> = {
  [DealStatus.DRAFT]: [DealStatus.STRUCTURED],
  [DealStatus.STRUCTURED]: [DealStatus.DRAFT, DealStatus.ISSUED],
  [DealStatus.ISSUED]: [DealStatus.CLOSED],
  [DealStatus.CLOSED]: [],
};

const SORT_COLUMNS: Record<DealSortField, keyof Deal> = {
  [DealSortField.NAME]: 'name',
  [DealSortField.STATUS]: 'status',
  [DealSortField.CLOSING_DATE]: 'closingDate',
  [DealSortField.CREATED_AT]: 'createdAt',
  [DealSortField.ORIGINAL_BALANCE]: 'originalBalance',
};

function validDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** Deal rules: validation beyond field formats, tenancy, lifecycle and the audit trail. */
export class DealService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
    private readonly requestId?: string,
  ) {}

  /** A page of the caller's tenant's deals, filtered and sorted (ties broken by id). */
  async list(filter?: DealFilter | null, sort?: DealSort | null, page?: PageInput | null) {
    const where: FilterQuery<Deal> = { tenantId: this.principal.tenantId };
    if (filter?.q) where.name = { $ilike: `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
    if (filter?.status) where.status = filter.status;
    if (filter?.assetClass) where.assetClass = filter.assetClass;
    if (filter?.ids) where.id = { $in: filter.ids.filter(isUuid) };
    const column = SORT_COLUMNS[sort?.field ?? DealSortField.CREATED_AT];
    const order = (sort?.order ?? SortOrder.DESC) === SortOrder.ASC ? 'asc' : 'desc';
    const orderBy = { [column]: order, id: 'asc' } as QueryOrderMap<Deal>;
    const [items, total] = await this.em.findAndCount(Deal, where, {
      orderBy,
      limit: page?.limit ?? 25,
      offset: page?.offset ?? 0,
    });
    return { items, total };
  }

  /** The deal, or null when it does not exist or belongs to another tenant. */
  async get(id: string): Promise<Deal | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(Deal, { id, tenantId: this.principal.tenantId });
  }

  /** Deals by id in one statement, in key order, null for other tenants' or unknown ids. */
  async getMany(ids: readonly string[]): Promise<(Deal | null)[]> {
    return findByIds(this.em, Deal, ids, this.principal.tenantId);
  }

  /** Tranches of many deals in one statement, ordered by seniority. */
  async tranchesOf(dealIds: readonly string[]): Promise<Tranche[][]> {
    const rows = await this.em.find(
      Tranche,
      { deal: { $in: [...dealIds] }, tenantId: this.principal.tenantId },
      { orderBy: { seniority: 'asc' } },
    );
    return dealIds.map((id) => rows.filter((t) => t.deal.id === id));
  }

  /** Tranches by id in one statement, in key order. */
  async getTranches(ids: readonly string[]): Promise<(Tranche | null)[]> {
    return findByIds(this.em, Tranche, ids, this.principal.tenantId);
  }

  /**
   * Creates a deal with its tranches and its `deal.created` audit event in one transaction.
   *
   * @throws ValidationError naming each bad field; ConflictError when the tenant already has a
   *   deal of that name.
   */
  async create(input: CreateDealInput): Promise<Deal> {
    const fields: Record<string, string> = {};
    if (input.closingDate && !validDate(input.closingDate)) fields['closingDate'] = 'not a calendar date';
    const names = new Set<string>();
    const seniorities = new Set<number>();
    input.tranches.forEach((t, i) => {
      if (t.originalBalance <= 0n) fields[`tranches.${i}.originalBalance`] = 'must be greater than 0';
      else if (t.originalBalance > MAX_BALANCE) fields[`tranches.${i}.originalBalance`] = 'is too large';
      if (names.has(t.name)) fields[`tranches.${i}.name`] = `duplicate tranche name "${t.name}"`;
      if (seniorities.has(t.seniority))
        fields[`tranches.${i}.seniority`] = `duplicate seniority ${t.seniority}`;
      names.add(t.name);
      seniorities.add(t.seniority);
    });
    if (Object.keys(fields).length) throw new ValidationError(fields);

    try {
      return await this.em.transactional(async (tx) => {
        const deal = tx.create(Deal, {
          tenantId: this.principal.tenantId,
          name: input.name.trim(),
          assetClass: input.assetClass,
          currency: input.currency,
          closingDate: input.closingDate ?? null,
          originalBalance: input.tranches.reduce((sum, t) => sum + t.originalBalance, 0n),
        });
        for (const t of input.tranches) {
          tx.create(Tranche, {
            deal,
            tenantId: this.principal.tenantId,
            name: t.name,
            seniority: t.seniority,
            originalBalance: t.originalBalance,
            couponBps: t.couponBps,
          });
        }
        await recordAudit(
          tx,
          DB_SCHEMA,
          this.principal,
          {
            action: 'deal.created',
            aggregateType: 'Deal',
            aggregateId: deal.id,
            payload: {
              name: deal.name,
              assetClass: deal.assetClass,
              currency: deal.currency,
              closingDate: deal.closingDate,
              tranches: input.tranches.map((t) => ({ ...t })),
            },
          },
          this.requestId,
        );
        return deal;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw new ConflictError(`a deal named "${input.name}" already exists`);
      }
      throw err;
    }
  }

  /**
   * Updates a deal's name, closing date or status (forward transitions only), recording
   * `deal.updated` with the changed fields in the same transaction.
   *
   * @throws NotFoundError for unknown or other tenants' deals; ValidationError for a bad date
   *   or transition; ConflictError for a duplicate name.
   */
  async update(id: string, input: UpdateDealInput): Promise<Deal> {
    try {
      return await this.em.transactional(async (tx) => {
        const deal = isUuid(id)
          ? await tx.findOne(
              Deal,
              { id, tenantId: this.principal.tenantId },
              { lockMode: 4 /* pessimistic write */ },
            )
          : null;
        if (!deal) throw new NotFoundError('Deal', id);
        const fields: Record<string, string> = {};
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        if (input.name != null && input.name.trim() !== deal.name) {
          changes.name = { from: deal.name, to: input.name.trim() };
          deal.name = input.name.trim();
        }
        if (input.closingDate !== undefined && input.closingDate !== deal.closingDate) {
          if (input.closingDate !== null && !validDate(input.closingDate))
            fields.closingDate = 'not a calendar date';
          changes.closingDate = { from: deal.closingDate, to: input.closingDate };
          deal.closingDate = input.closingDate;
        }
        if (input.status != null && input.status !== deal.status) {
          if (!TRANSITIONS[deal.status].includes(input.status)) {
            fields.status = `cannot move from ${deal.status} to ${input.status}`;
          }
          changes.status = { from: deal.status, to: input.status };
          deal.status = input.status;
        }
        if (Object.keys(fields).length) throw new ValidationError(fields);
        if (Object.keys(changes).length) {
          deal.updatedAt = new Date();
          await recordAudit(
            tx,
            DB_SCHEMA,
            this.principal,
            { action: 'deal.updated', aggregateType: 'Deal', aggregateId: deal.id, payload: { changes } },
            this.requestId,
          );
        }
        return deal;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw new ConflictError(`a deal named "${input.name ?? ''}" already exists`);
      }
      throw err;
    }
  }

  /** The stored rule and collateral documents of many deals, in one statement. */
  async structuresOf(
    ids: readonly string[],
  ): Promise<({ waterfallRules: string | null; collateral: string | null } | null)[]> {
    const valid = ids.filter(isUuid);
    const rows = valid.length
      ? await this.em.find(
          Deal,
          { id: { $in: valid }, tenantId: this.principal.tenantId },
          { fields: ['id', 'waterfallRules', 'collateral'] },
        )
      : [];
    return byKeys(ids, rows, (d) => d.id).map((d) =>
      d ? { waterfallRules: d.waterfallRules ?? null, collateral: d.collateral ?? null } : null,
    );
  }

  /**
   * Stores a deal's waterfall rules and collateral after the engine has validated both, and
   * checks that the rules name a class for every tranche; records `deal.structure_set` with the
   * documents' SHA-256 in the same transaction. Only before issuance.
   *
   * @throws ValidationError naming each bad path (e.g. `waterfallRules.waterfall[1].payPrincipal`);
   *   NotFoundError for unknown or other tenants' deals.
   */
  async setStructure(id: string, input: DealStructureInput): Promise<Deal> {
    const fields: Record<string, string> = {};
    const collect = (err: unknown) => {
      if (!(err instanceof EngineInputError)) throw err;
      for (const issue of err.issues) fields[issue.path] ??= issue.message;
    };
    let classIds: string[] = [];
    let rules: unknown;
    let collateral: unknown;
    try {
      rules = JSON.parse(input.waterfallRules);
    } catch (err) {
      fields.waterfallRules = `not valid JSON: ${(err as Error).message}`;
    }
    try {
      collateral = JSON.parse(input.collateral);
    } catch (err) {
      fields.collateral = `not valid JSON: ${(err as Error).message}`;
    }
    if (rules !== undefined) {
      try {
        classIds = parseWaterfallRules(rules, 'waterfallRules').classes.map((c) => c.id);
      } catch (err) {
        collect(err);
      }
    }
    if (collateral !== undefined) {
      try {
        parseCollateral(collateral, 'collateral');
      } catch (err) {
        collect(err);
      }
    }
    return this.em.transactional(async (tx) => {
      const deal = isUuid(id)
        ? await tx.findOne(
            Deal,
            { id, tenantId: this.principal.tenantId },
            { lockMode: 4 /* pessimistic write */, populate: ['waterfallRules', 'collateral'] }, // lazy: load to track
          )
        : null;
      if (!deal) throw new NotFoundError('Deal', id);
      if (deal.status !== DealStatus.DRAFT && deal.status !== DealStatus.STRUCTURED) {
        fields.status = `the structure of a ${deal.status} deal cannot change`;
      }
      if (classIds.length) {
        const tranches = await tx.find(Tranche, { deal }, { orderBy: { seniority: 'asc' } });
        const missing = tranches.map((t) => t.name).filter((name) => !classIds.includes(name));
        if (missing.length)
          fields['waterfallRules.classes'] = `no class for tranche(s) ${missing.join(', ')}`;
      }
      if (Object.keys(fields).length) throw new ValidationError(fields);
      deal.waterfallRules = JSON.stringify(rules);
      deal.collateral = JSON.stringify(collateral);
      deal.updatedAt = new Date();
      const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
      await recordAudit(
        tx,
        DB_SCHEMA,
        this.principal,
        {
          action: 'deal.structure_set',
          aggregateType: 'Deal',
          aggregateId: deal.id,
          payload: {
            waterfallRulesSha256: sha256(deal.waterfallRules),
            collateralSha256: sha256(deal.collateral),
          },
        },
        this.requestId,
      );
      return deal;
    });
  }
}
