import { randomUUID } from 'node:crypto';
import {
  ReferenceKind,
  type Collection,
  type EntityClass,
  type FilterQuery,
  type QueryOrderMap,
} from '@mikro-orm/core';
import { PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, ID, ObjectType } from 'type-graphql';
import { requireRole, type AuthContext, type Principal, type Role } from './auth.js';
import { findByIds, isUuid } from './context.js';
import type { Gate, GateDecision, GateRequest } from './gate/gate.js';
import { recordAudit, type AuditRecord } from './outbox.js';
import { DEFAULT_PAGE_SIZE, type Page, type PageRequest } from './page.js';

/**
 * The base of every row of business data: a UUID primary key (the GraphQL `id`) and the tenant
 * it belongs to. Services reach rows only through {@link TenantService}, which scopes every
 * query to the caller's tenant. Indexes on `tenantId` are declared by each entity (a list table
 * wants one, a child table may lead with another column).
 */
// Registered with type-graphql so subclasses inherit `id`; never referenced, so never emitted.
@ObjectType()
export abstract class TenantScopedEntity {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  tenantId!: string;
}

/**
 * An entity read as a plain row for a read path: its properties by name, a many-to-one as
 * `{ id }` (so getters of the entity class such as `dealId` work on the row), no collections.
 * Lazy properties are declared but absent (not selected).
 */
export type EntityRow<T> = {
  [K in keyof T as T[K] extends Collection<object> ? never : K]: T[K] extends { id: string }
    ? { id: string }
    : T[K];
};

/**
 * The base of every subgraph service: the request's entity manager, the authorized caller and
 * the request id, plus the tenant-scoped reads every service needs (a page, one row, many rows
 * in key order) and the audit record every write makes. Services hold the business rules and
 * import no GraphQL; resolvers build them with {@link serviceFor}.
 */
export abstract class TenantService {
  constructor(
    protected readonly em: EntityManager,
    protected readonly principal: Principal,
    protected readonly requestId?: string,
    /** What the gate said of this request that its audit records must carry (break-glass). */
    protected readonly marks: AuditMarks = {},
  ) {}

  /** The caller's tenant: every query of a service is scoped to it. */
  protected get tenantId(): string {
    return this.principal.tenantId;
  }

  /** The PostgreSQL schema this service's subgraph owns (from its ORM configuration). */
  protected get schema(): string {
    const schema = this.em.config.get('schema');
    if (!schema) throw new Error('the ORM has no schema configured');
    return schema;
  }

  /**
   * A page of the tenant's rows matching `where`, in `orderBy` order with the id as the last
   * tie-breaker (so pages never overlap), and the number of matching rows.
   */
  protected async findPage<T extends TenantScopedEntity>(
    entity: EntityClass<T>,
    where: FilterQuery<T>,
    orderBy: QueryOrderMap<T>,
    page?: PageRequest | null,
  ): Promise<Page<T>> {
    const scoped = { ...(where as object), tenantId: this.tenantId } as FilterQuery<T>;
    const order = { ...orderBy, id: 'asc' } as QueryOrderMap<T>;
    const [items, total] = await this.em.findAndCount(entity, scoped, {
      orderBy: order,
      limit: page?.limit ?? DEFAULT_PAGE_SIZE,
      offset: page?.offset ?? 0,
    });
    return { items, total };
  }

  /**
   * The tenant's rows matching `where` as plain objects ({@link EntityRow}), in `orderBy` order:
   * for read paths whose rows are only serialised. Hydrating managed entities (identity map,
   * change-tracking snapshot, relation propagation) cost more CPU than the SQL on a 100-row page;
   * these rows skip it. Lazy properties are not selected; custom types (bigint) are converted as
   * the entity holds them. Never write these rows back: they are not managed.
   */
  protected async findRows<T extends TenantScopedEntity>(
    entity: EntityClass<T>,
    where: FilterQuery<T>,
    options: {
      orderBy: QueryOrderMap<T>;
      limit?: number;
      offset?: number;
      /**
       * Also `field = any(ids)`, with the ids as one array parameter: the ORM's `$in` turns each
       * of a few hundred ids into a criteria node and a bind parameter of its own (a quarter of the
       * read's CPU for 300 ids). The ids must be UUIDs (the caller checks).
       */
      anyOf?: { field: string; ids: readonly string[] };
    },
  ): Promise<EntityRow<T>[]> {
    const meta = this.em.getMetadata().get(entity);
    const props = meta.props.filter(
      (p) =>
        !p.lazy &&
        p.persist !== false &&
        (p.kind === ReferenceKind.SCALAR ||
          p.kind === ReferenceKind.EMBEDDED ||
          p.kind === ReferenceKind.MANY_TO_ONE),
    );
    const qb = this.em
      .createQueryBuilder(entity)
      .select(props.map((p) => p.name) as never)
      // the query builder's own filter types are narrower than FilterQuery; the shape is the same
      .where({ ...(where as object), tenantId: this.tenantId } as never)
      .orderBy(options.orderBy as never);
    if (options.anyOf) {
      const column = meta.props.find((p) => p.name === options.anyOf?.field)?.fieldNames[0];
      if (column === undefined) throw new Error(`${meta.className} has no property ${options.anyOf.field}`);
      // a text array literal of checked UUIDs, cast to the column's type by the comparison
      qb.andWhere(`${qb.alias}.${column} = any(?)`, [`{${options.anyOf.ids.join(',')}}`]);
    }
    if (options.limit !== undefined) qb.limit(options.limit, options.offset ?? 0);
    const rows = (await qb.execute('all', true)) as Record<string, unknown>[];
    const converted = props.filter((p) => p.customType);
    const references = props.filter((p) => p.kind === ReferenceKind.MANY_TO_ONE);
    const platform = this.em.getPlatform();
    for (const row of rows) {
      for (const p of converted) {
        const value = row[p.name];
        if (value !== null && value !== undefined)
          row[p.name] = p.customType?.convertToJSValue(value, platform);
      }
      for (const p of references) {
        const id = row[p.name];
        if (typeof id === 'string') row[p.name] = { id };
      }
    }
    return rows as EntityRow<T>[];
  }

  /** {@link findPage} as plain rows ({@link findRows}): for a page that is only serialised. */
  protected async findRowsPage<T extends TenantScopedEntity>(
    entity: EntityClass<T>,
    where: FilterQuery<T>,
    orderBy: QueryOrderMap<T>,
    page?: PageRequest | null,
  ): Promise<Page<EntityRow<T>>> {
    const [items, total] = await Promise.all([
      this.findRows(entity, where, {
        orderBy: { ...orderBy, id: 'asc' } as QueryOrderMap<T>,
        limit: page?.limit ?? DEFAULT_PAGE_SIZE,
        offset: page?.offset ?? 0,
      }),
      this.countRows(entity, where),
    ]);
    return { items, total };
  }

  /**
   * {@link findGrouped} as plain rows ({@link findRows}): the children of many parents in one
   * statement, grouped per key in key order, for a loader whose rows are only serialised.
   */
  protected async findGroupedRows<T extends TenantScopedEntity>(
    entity: EntityClass<T>,
    field: string,
    keys: readonly string[],
    keyOf: (row: EntityRow<T>) => string,
    orderBy: QueryOrderMap<T>,
  ): Promise<EntityRow<T>[][]> {
    const valid = keys.filter(isUuid);
    const rows = valid.length
      ? await this.findRows(entity, {} as FilterQuery<T>, { orderBy, anyOf: { field, ids: valid } })
      : [];
    const groups = new Map<string, EntityRow<T>[]>();
    for (const row of rows) {
      const key = keyOf(row);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  }

  /** The number of the tenant's rows matching `where` (one `count(*)`). */
  protected countRows<T extends TenantScopedEntity>(
    entity: EntityClass<T>,
    where: FilterQuery<T>,
  ): Promise<number> {
    return this.em.count(entity, { ...(where as object), tenantId: this.tenantId } as FilterQuery<T>);
  }

  /** The tenant's row with `id`, or null when it does not exist, is not a UUID or is another tenant's. */
  protected async findOwned<T extends TenantScopedEntity>(
    entity: EntityClass<T>,
    id: string,
  ): Promise<T | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(entity, { id, tenantId: this.tenantId } as FilterQuery<T>);
  }

  /** The tenant's rows for `ids` in one statement, in key order, null for unknown or foreign ids. */
  protected findManyOwned<T extends TenantScopedEntity>(
    entity: EntityClass<T>,
    ids: readonly string[],
  ): Promise<(T | null)[]> {
    return findByIds(this.em, entity, ids, this.tenantId);
  }

  /**
   * The tenant's rows whose `field` is one of `keys`, in one statement, grouped per key in key
   * order (an empty list for a key with no rows, or one that is not a UUID); each group keeps
   * `orderBy`. The batch function behind every "children of many parents" loader.
   */
  protected async findGrouped<T extends TenantScopedEntity>(
    entity: EntityClass<T>,
    field: string,
    keys: readonly string[],
    keyOf: (row: T) => string,
    orderBy: QueryOrderMap<T>,
  ): Promise<T[][]> {
    const valid = keys.filter(isUuid);
    const where = { [field]: { $in: valid }, tenantId: this.tenantId } as FilterQuery<T>;
    const rows = valid.length ? await this.em.find(entity, where, { orderBy }) : [];
    const groups = new Map<string, T[]>();
    for (const row of rows) {
      const key = keyOf(row);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  }

  /**
   * Queues the audit event of a change in `tx`, the transaction that makes the change. A change
   * made under a break-glass grant is marked with it (`breakGlassGrantId` in the payload).
   */
  protected audit(tx: EntityManager, record: AuditRecord): Promise<unknown> {
    const marked = this.marks.breakGlassGrantId
      ? {
          ...record,
          payload: { ...(record.payload as object), breakGlassGrantId: this.marks.breakGlassGrantId },
        }
      : record;
    return recordAudit(tx, this.schema, this.principal, marked, this.requestId);
  }
}

/** Marks the gate puts on a request's audit records. */
export interface AuditMarks {
  breakGlassGrantId?: string | null;
}

/** What a resolver or loader holds when it needs a service: the request's context. */
export interface ServiceContext extends AuthContext {
  em: EntityManager;
  requestId: string;
}

/**
 * The service a request may use: authorizes the caller for one of `roles` first (every
 * authenticated caller when `roles` is empty), then builds the service over the request's
 * entity manager.
 *
 * @throws UnauthenticatedError without a valid token; ForbiddenError for the wrong role.
 */
export function serviceFor<S>(
  Service: new (em: EntityManager, principal: Principal, requestId?: string, marks?: AuditMarks) => S,
  ctx: ServiceContext,
  roles: readonly Role[],
): S {
  return new Service(ctx.em, requireRole(ctx, ...roles), ctx.requestId);
}

/**
 * The service for a side effect, once the enforcement gate has said yes to `request` (kill
 * switch, break-glass, the capability's roles, approval, rate limit); the service's audit
 * records carry the gate's marks. Resolvers of side-effecting mutations use this, not
 * {@link serviceFor}.
 *
 * @throws whatever the gate refuses with (KILL_SWITCH_ACTIVE, FORBIDDEN, APPROVAL_REQUIRED,
 *   RATE_LIMITED, SERVICE_UNAVAILABLE when it cannot read its state).
 */
export async function gatedService<S>(
  Service: new (em: EntityManager, principal: Principal, requestId?: string, marks?: AuditMarks) => S,
  ctx: ServiceContext & { gate: Gate },
  request: GateRequest,
): Promise<{ service: S; decision: GateDecision }> {
  const decision = await ctx.gate.check(ctx, request);
  const principal = requireRole(ctx);
  const service = new Service(ctx.em, principal, ctx.requestId, {
    breakGlassGrantId: decision.breakGlassGrantId,
  });
  return { service, decision };
}
