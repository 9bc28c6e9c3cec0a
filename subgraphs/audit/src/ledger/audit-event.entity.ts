import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Directive, Field, Int, ObjectType } from 'type-graphql';

/**
 * A link of the audit ledger, one SHA-256 hash chain of audit events per tenant:
 * `hash = SHA-256(prevHash || canonical JSON of the event)`, `seq` the position in the tenant's
 * chain (unique per tenant, from 1). Rows are only ever appended, by the single ledger writer.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An audited state change, linked into the SHA-256 hash chain.' })
@Entity({ tableName: 'audit_event' })
@Unique({ properties: ['tenantId', 'seq'] })
@Index({ properties: ['aggregateType', 'aggregateId'] })
export class AuditEvent extends TenantScopedEntity {
  [OptionalProps]?: 'recordedAt' | 'requestId';

  @Field(() => Int, { description: 'Position in the chain, from 1.' })
  @Property({ type: 'integer' })
  seq!: number;

  @Field({ description: 'The subgraph whose outbox the event came from.' })
  @Property({ type: 'text' })
  source!: string;

  @Property({ type: 'uuid', unique: true })
  sourceEventId!: string;

  @Field()
  @Property({ type: 'text' })
  actor!: string;

  @Field()
  @Property({ type: 'text' })
  action!: string;

  @Field()
  @Property({ type: 'text' })
  aggregateType!: string;

  @Field()
  @Property({ type: 'text' })
  aggregateId!: string;

  @Field({ description: 'Canonical JSON of the event details.' })
  @Property({ type: 'text' })
  payload!: string;

  @Property({ type: 'text', nullable: true })
  requestId: string | null = null;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  recordedAt: Date = new Date();

  @Field()
  @Property({ type: 'text' })
  prevHash!: string;

  @Field()
  @Property({ type: 'text' })
  hash!: string;
}
