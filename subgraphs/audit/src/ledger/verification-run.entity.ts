import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum VerificationStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  FAILED = 'FAILED',
}
registerEnumType(VerificationStatus, {
  name: 'VerificationStatus',
  description: 'DONE says the run finished; `valid` says what it found.',
});

/** A verification of a range of the tenant's chain run as a job, with its progress and outcome. */
@ObjectType({ description: 'A verification of the tenant’s audit chain, run as a job.' })
@Entity({ tableName: 'verification_run' })
@Index({ properties: ['tenantId', 'requestedAt'] })
export class VerificationRun extends TenantScopedEntity {
  [OptionalProps]?:
    | 'status'
    | 'toSeq'
    | 'checked'
    | 'total'
    | 'valid'
    | 'firstBrokenSeq'
    | 'reason'
    | 'headHash'
    | 'error'
    | 'requestedAt'
    | 'finishedAt'
    | 'progress';

  @Field(() => VerificationStatus)
  @Enum({ items: () => VerificationStatus, nativeEnumName: 'verification_status' })
  status: VerificationStatus = VerificationStatus.QUEUED;

  @Field(() => Int)
  @Property({ type: 'integer' })
  fromSeq!: number;

  @Field(() => Int, { nullable: true, description: 'Last position checked; null: the head when it runs.' })
  @Property({ type: 'integer', nullable: true })
  toSeq: number | null = null;

  @Field(() => Int, { description: 'Events checked so far.' })
  @Property({ type: 'integer' })
  checked: number = 0;

  @Field(() => Int, { description: 'Events in the range (known once running).' })
  @Property({ type: 'integer' })
  total: number = 0;

  @Field(() => Boolean, { nullable: true, description: 'Whether the range verified; null until DONE.' })
  @Property({ type: 'boolean', nullable: true })
  valid: boolean | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  firstBrokenSeq: number | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  headHash: string | null = null;

  @Field(() => String, { nullable: true, description: 'Why the run itself failed (not the chain).' })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Field()
  @Property({ type: 'text' })
  requestedBy!: string;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  requestedAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @Field(() => Float, { description: 'Share of the range checked, 0 to 1.' })
  get progress(): number {
    if (this.status === VerificationStatus.DONE) return 1;
    return this.total ? Math.min(1, this.checked / this.total) : 0;
  }
}
