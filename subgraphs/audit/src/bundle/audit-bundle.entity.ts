import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum BundleStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  READY = 'READY',
  FAILED = 'FAILED',
}
registerEnumType(BundleStatus, {
  name: 'AuditBundleStatus',
  description: 'READY once the archive is built and signed; FAILED says why in `error`.',
});

/**
 * An export of a deal's audit evidence over a period: the request, the job's progress, and once
 * READY the archive's SHA-256 (the archive itself is an AuditBundleArchive row with the same id).
 */
@ObjectType({ description: "A signed, offline-verifiable export of a deal's audit evidence." })
@Entity({ tableName: 'audit_bundle' })
@Index({ properties: ['tenantId', 'createdAt'] })
@Index({ properties: ['tenantId', 'dealId'] })
export class AuditBundle extends TenantScopedEntity {
  [OptionalProps]?:
    | 'status'
    | 'processed'
    | 'eventCount'
    | 'anchoredCount'
    | 'sha256'
    | 'sizeBytes'
    | 'signer'
    | 'chainId'
    | 'error'
    | 'createdAt'
    | 'finishedAt'
    | 'progress';

  @Field(() => ID)
  @Property({ type: 'uuid' })
  dealId!: string;

  @Field(() => Date, { name: 'from', description: 'Start of the period (event occurredAt, inclusive).' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  periodFrom!: Date;

  @Field(() => Date, {
    name: 'to',
    description: 'End of the period (inclusive), capped at the time of the request.',
  })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  periodTo!: Date;

  @Field(() => BundleStatus)
  @Enum({ items: () => BundleStatus, nativeEnumName: 'audit_bundle_status' })
  status: BundleStatus = BundleStatus.QUEUED;

  @Field(() => Int, { description: 'Events proven so far while the archive is built.' })
  @Property({ type: 'integer' })
  processed: number = 0;

  @Field(() => Int, { description: 'Events in the bundle (known once RUNNING).' })
  @Property({ type: 'integer' })
  eventCount: number = 0;

  @Field(() => Int, { description: 'Events of the bundle with an on-chain anchor.' })
  @Property({ type: 'integer' })
  anchoredCount: number = 0;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the archive (hex), once READY.' })
  @Property({ type: 'text', nullable: true })
  sha256: string | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  sizeBytes: number | null = null;

  @Field(() => String, { nullable: true, description: 'The platform key that signed the manifest.' })
  @Property({ type: 'text', nullable: true })
  signer: string | null = null;

  @Field(() => Int, { nullable: true, description: 'The chain whose anchors the bundle carries.' })
  @Property({ type: 'integer', nullable: true })
  chainId: number | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the bundle could not be built (or the last retry).',
  })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Field()
  @Property({ type: 'text' })
  createdBy!: string;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @Field(() => Float, { description: 'Share of the work done, 0 to 1.' })
  get progress(): number {
    if (this.status === BundleStatus.READY) return 1;
    return this.eventCount ? Math.min(0.99, this.processed / this.eventCount) : 0;
  }
}
