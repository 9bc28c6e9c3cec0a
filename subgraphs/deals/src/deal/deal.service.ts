import { createHash } from 'node:crypto';
import {
  UniqueConstraintViolationException,
  type FilterQuery,
  type QueryOrderMap,
  LockMode,
} from '@mikro-orm/core';
import { EngineInputError, parseCollateral, parseWaterfallRules } from '@tranche/engine';
import {
  byKeys,
  ConflictError,
  type EntityRow,
  isUuid,
  NotFoundError,
  STAFF_ROLES,
  TenantService,
  ValidationError,
  type Page,
  type PageRequest,
  type Role,
} from '@tranche/platform';
import { AssetClass, Deal, DealStatus } from './deal.entity.js';
import { Tranche } from './tranche.entity.js';

/** Who may read deals and their tranches: every staff role and investors. */
export const DEAL_READERS: readonly Role[] = [...STAFF_ROLES, 'INVESTOR'];

const MAX_BALANCE = 10n ** 17n;

/**
 * The lifecycle moves a person makes with `updateDeal`. The workflow makes the others: review
 * (PROPOSED → IN_REVIEW → APPROVED, or back to PROPOSED), issuance (APPROVED → DEPLOYED) and
 * termination (→ TERMINATED, through a CRITICAL change request).
 */
const TRANSITIONS: Record<DealStatus, DealStatus[]> = {
  [DealStatus.PROPOSED]: [],
  [DealStatus.IN_REVIEW]: [],
  [DealStatus.APPROVED]: [],
  [DealStatus.DEPLOYED]: [DealStatus.ACTIVE],
  [DealStatus.ACTIVE]: [DealStatus.LOCKED, DealStatus.MATURED],
  [DealStatus.LOCKED]: [DealStatus.ACTIVE, DealStatus.MATURED],
  [DealStatus.MATURED]: [],
  [DealStatus.TERMINATED]: [],
};

/** The states whose terms, tranches and structure may still change: once reviewed, they are frozen. */
const EDITABLE: readonly DealStatus[] = [DealStatus.PROPOSED];

/** A new deal and its tranches (amounts in minor units, coupon in bps). */
export interface NewDeal {
  name: string;
  assetClass: AssetClass;
  currency: string;
  closingDate?: string | null;
  tranches: { name: string; seniority: number; originalBalance: bigint; couponBps: number }[];
}

/** The fields an update may change; `closingDate: null` clears it, absent leaves it. */
export interface DealChanges {
  name?: string | null;
  closingDate?: string | null;
  status?: DealStatus | null;
}

/** Which deals a list holds. */
export interface DealQuery {
  /** Case-insensitive match on the name. */
  q?: string | null;
  status?: DealStatus | null;
  assetClass?: AssetClass | null;
  ids?: string[] | null;
}

/** How a list of deals is ordered (ties broken by id). */
export interface DealOrder {
  column: 'name' | 'status' | 'closingDate' | 'createdAt' | 'originalBalance';
  direction: 'asc' | 'desc';
}

/** A deal's cash-flow structure as submitted: JSON documents the engine validates. */
export interface DealStructureDocuments {
  waterfallRules: string;
  collateral?: string;
}

/** The stored structure documents of a deal (null until structured). */
export interface StoredStructure {
  waterfallRules: string | null;
  collateral: string | null;
}

function validDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A deal as the read paths serve it: its columns, without the lazy rule and collateral documents. */
export type DealRow = EntityRow<Deal>;
/** A tranche as the read paths serve it, with its deal's id. */
export type TrancheRow = EntityRow<Tranche>;

function toTrancheRow(row: EntityRow<Tranche>): TrancheRow {
  // `dealId` is a getter of the entity class; a row carries it as a value
  return { ...row, dealId: row.deal.id };
}

/** Deal rules: validation beyond field formats, tenancy, lifecycle and the audit trail. */
export class DealService extends TenantService {
  /** A page of the caller's tenant's deals, filtered and sorted (ties broken by id). */
  async list(
    query?: DealQuery | null,
    order?: DealOrder | null,
    page?: PageRequest | null,
  ): Promise<Page<DealRow>> {
    const where: FilterQuery<Deal> = {};
    if (query?.q) where.name = { $ilike: `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
    if (query?.status) where.status = query.status;
    if (query?.assetClass) where.assetClass = query.assetClass;
    if (query?.ids) where.id = { $in: query.ids.filter(isUuid) };
    const { column, direction } = order ?? { column: 'createdAt', direction: 'desc' };
    return this.findRowsPage(Deal, where, { [column]: direction } as QueryOrderMap<Deal>, page);
  }

  /** The deal, or null when it does not exist or belongs to another tenant. */
  get(id: string): Promise<Deal | null> {
    return this.findOwned(Deal, id);
  }

  /** Deals by id in one statement, in key order, null for other tenants' or unknown ids. */
  async getMany(ids: readonly string[]): Promise<(DealRow | null)[]> {
    const valid = ids.filter(isUuid);
    const rows = valid.length
      ? await this.findRows(Deal, { id: { $in: valid } }, { orderBy: { id: 'asc' } })
      : [];
    return byKeys(ids, rows, (d) => d.id);
  }

  /** Tranches by id in one statement, in key order. */
  async getTranches(ids: readonly string[]): Promise<(TrancheRow | null)[]> {
    const valid = ids.filter(isUuid);
    const rows = valid.length
      ? await this.findRows(Tranche, { id: { $in: valid } }, { orderBy: { id: 'asc' } })
      : [];
    return byKeys(ids, rows.map(toTrancheRow), (t) => t.id);
  }

  /** Tranches of many deals in one statement, each deal's ordered by seniority (managed entities). */
  tranchesOf(dealIds: readonly string[]): Promise<Tranche[][]> {
    return this.findGrouped(Tranche, 'deal', dealIds, (t) => t.deal.id, { seniority: 'asc' });
  }

  /** {@link tranchesOf} as plain rows, for the read path that only serialises them. */
  async trancheRowsOf(dealIds: readonly string[]): Promise<TrancheRow[][]> {
    const groups = await this.findGroupedRows(Tranche, 'deal', dealIds, (t) => t.deal.id, {
      seniority: 'asc',
    });
    return groups.map((group) => group.map(toTrancheRow));
  }

  /** The stored rule and collateral documents of many deals, in one statement. */
  async structuresOf(ids: readonly string[]): Promise<(StoredStructure | null)[]> {
    const valid = ids.filter(isUuid);
    const rows = valid.length
      ? await this.em.find(
          Deal,
          { id: { $in: valid }, tenantId: this.tenantId },
          { fields: ['id', 'waterfallRules', 'collateral'] },
        )
      : [];
    return byKeys(ids, rows, (d) => d.id).map((d) =>
      d ? { waterfallRules: d.waterfallRules ?? null, collateral: d.collateral ?? null } : null,
    );
  }

  /**
   * Creates a deal with its tranches and its `deal.created` audit event in one transaction.
   *
   * @throws ValidationError naming each bad field; ConflictError when the tenant already has a
   *   deal of that name.
   */
  async create(input: NewDeal): Promise<Deal> {
    const fields = validateNewDeal(input);
    if (Object.keys(fields).length) throw new ValidationError(fields);
    try {
      return await this.em.transactional(async (tx) => {
        const deal = tx.create(Deal, {
          tenantId: this.tenantId,
          name: input.name.trim(),
          assetClass: input.assetClass,
          currency: input.currency,
          closingDate: input.closingDate ?? null,
          originalBalance: input.tranches.reduce((sum, t) => sum + t.originalBalance, 0n),
        });
        for (const t of input.tranches) {
          tx.create(Tranche, {
            deal,
            tenantId: this.tenantId,
            name: t.name,
            seniority: t.seniority,
            originalBalance: t.originalBalance,
            couponBps: t.couponBps,
          });
        }
        await this.audit(tx, {
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
        });
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
   * Updates a deal's name, closing date or status (moves allowed by the lifecycle only),
   * recording `deal.updated` with the changed fields in the same transaction.
   *
   * @throws NotFoundError for unknown or other tenants' deals; ValidationError for a bad date
   *   or transition; ConflictError for a duplicate name.
   */
  async update(id: string, input: DealChanges): Promise<Deal> {
    try {
      return await this.em.transactional(async (tx) => {
        const deal = await this.lockDeal(tx, id);
        // Validate every change before touching the managed entity: a refused update must leave
        // nothing dirty in the request's identity map for a later operation to see.
        const fields: Record<string, string> = {};
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        const name = input.name?.trim();
        if (name != null && name !== deal.name) changes.name = { from: deal.name, to: name };
        if (input.closingDate !== undefined && input.closingDate !== deal.closingDate) {
          if (input.closingDate !== null && !validDate(input.closingDate))
            fields.closingDate = 'not a calendar date';
          changes.closingDate = { from: deal.closingDate, to: input.closingDate };
        }
        if ((changes.name || changes.closingDate) && !EDITABLE.includes(deal.status)) {
          fields.status = `the terms of a ${deal.status} deal are frozen (only PROPOSED deals change)`;
        }
        if (input.status != null && input.status !== deal.status) {
          if (!TRANSITIONS[deal.status].includes(input.status)) {
            fields.status = `cannot move from ${deal.status} to ${input.status}`;
          }
          changes.status = { from: deal.status, to: input.status };
        }
        if (Object.keys(fields).length) throw new ValidationError(fields);
        if (name != null) deal.name = name;
        if (input.closingDate !== undefined) deal.closingDate = input.closingDate;
        if (input.status != null) deal.status = input.status;
        if (Object.keys(changes).length) {
          deal.updatedAt = new Date();
          await this.audit(tx, {
            action: 'deal.updated',
            aggregateType: 'Deal',
            aggregateId: deal.id,
            payload: { changes },
          });
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

  /**
   * Stores a deal's waterfall rules and collateral after the engine has validated both, and
   * checks that the rules name a class for every tranche; records `deal.structure_set` with the
   * documents' SHA-256 in the same transaction. Only before issuance.
   *
   * @throws ValidationError naming each bad path (e.g. `waterfallRules.waterfall[1].payPrincipal`);
   *   NotFoundError for unknown or other tenants' deals.
   */
  async setStructure(id: string, input: DealStructureDocuments): Promise<Deal> {
    const { fields, rules, collateral, classIds } = parseStructure(input);
    return this.em.transactional(async (tx) => {
      // The documents are lazy: load them so the change is tracked.
      const deal = await this.lockDeal(tx, id, ['waterfallRules', 'collateral']);
      if (!EDITABLE.includes(deal.status)) {
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
      if (collateral !== undefined) deal.collateral = JSON.stringify(collateral);
      deal.updatedAt = new Date();
      await this.audit(tx, {
        action: 'deal.structure_set',
        aggregateType: 'Deal',
        aggregateId: deal.id,
        payload: {
          waterfallRulesSha256: sha256(deal.waterfallRules),
          collateralSha256: deal.collateral === null ? null : sha256(deal.collateral),
        },
      });
      return deal;
    });
  }

  /** The tenant's deal, locked for update in `tx`. @throws NotFoundError */
  private async lockDeal(
    tx: typeof this.em,
    id: string,
    populate: ('waterfallRules' | 'collateral')[] = [],
  ): Promise<Deal> {
    const deal = isUuid(id)
      ? await tx.findOne(
          Deal,
          { id, tenantId: this.tenantId },
          { lockMode: LockMode.PESSIMISTIC_WRITE, populate },
        )
      : null;
    if (!deal) throw new NotFoundError('Deal', id);
    return deal;
  }
}

/** The field errors of a new deal that its input types cannot catch. */
function validateNewDeal(input: NewDeal): Record<string, string> {
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
  return fields;
}

/**
 * Parses and validates both structure documents with the engine, collecting every problem by
 * path rather than stopping at the first; returns the parsed documents and the rules' class ids.
 */
function parseStructure(input: DealStructureDocuments): {
  fields: Record<string, string>;
  rules: unknown;
  collateral: unknown;
  classIds: string[];
} {
  const fields: Record<string, string> = {};
  const collect = (err: unknown) => {
    if (!(err instanceof EngineInputError)) throw err;
    for (const issue of err.issues) fields[issue.path] ??= issue.message;
  };
  const parseJson = (name: keyof DealStructureDocuments): unknown => {
    try {
      return JSON.parse(input[name]!);
    } catch (err) {
      fields[name] = `not valid JSON: ${(err as Error).message}`;
      return undefined;
    }
  };
  const rules = parseJson('waterfallRules');
  // without collateral the stored one stays (a deal with a loan tape projects the tape)
  const collateral = input.collateral === undefined ? undefined : parseJson('collateral');
  let classIds: string[] = [];
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
  return { fields, rules, collateral, classIds };
}
