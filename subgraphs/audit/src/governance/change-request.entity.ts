import { BigIntType, Collection, OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, OneToMany, Property } from '@mikro-orm/decorators/legacy';
import { BigIntScalar, TenantScopedEntity } from '@tranche/platform';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ChangeApproval } from './change-approval.entity.js';

export enum ChangeStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
  EXECUTED = 'EXECUTED',
  FAILED = 'FAILED',
}
export enum Risk {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}
registerEnumType(ChangeStatus, {
  name: 'ChangeStatus',
  description: 'PENDING → APPROVED | REJECTED | CANCELLED | EXPIRED, then EXECUTED | FAILED.',
});
registerEnumType(Risk, { name: 'RiskLevel', description: 'How much a change can hurt.' });

/**
 * A proposed side effect waiting for the approvals its risk needs (four-eyes). The approval
 * binds to `payloadHash`, the SHA-256 of the canonical payload: only exactly that may execute,
 * and only once.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A proposed change, approved by other people before it executes.' })
@Entity({ tableName: 'change_request' })
@Index({ properties: ['tenantId', 'status'] })
@Index({ properties: ['tenantId', 'dealId'] })
export class ChangeRequest extends TenantScopedEntity {
  [OptionalProps]?:
    | 'status'
    | 'createdAt'
    | 'decidedAt'
    | 'expiresAt'
    | 'executedAt'
    | 'executedBy'
    | 'failureReason'
    | 'dealId'
    | 'amount';

  @Field({ description: 'The capability it authorizes, e.g. deal.issue.' })
  @Property({ type: 'text' })
  type!: string;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  dealId: string | null = null;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field()
  @Property({ type: 'text' })
  rationale!: string;

  @Field({ description: 'Canonical JSON of what will execute.' })
  @Property({ type: 'text' })
  payload!: string;

  @Field({ description: 'SHA-256 of the canonical payload: what the approvals bind to.' })
  @Property({ type: 'text' })
  payloadHash!: string;

  @Field(() => BigIntScalar, { nullable: true, description: 'Amount at stake, minor units (risk routing).' })
  @Property({ type: new BigIntType('bigint'), nullable: true })
  amount: bigint | null = null;

  @Field(() => Risk)
  @Enum({ items: () => Risk, nativeEnumName: 'risk_level' })
  riskLevel!: Risk;

  @Field(() => Int, { description: 'Version of the tenant policy that routed it (0: the defaults).' })
  @Property({ type: 'integer' })
  policyVersion!: number;

  @Field(() => ChangeStatus)
  @Enum({ items: () => ChangeStatus, nativeEnumName: 'change_status' })
  status: ChangeStatus = ChangeStatus.PENDING;

  @Field()
  @Property({ type: 'text' })
  requestedBy!: string;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'An approved request not executed by then expires.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  executedAt: Date | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  executedBy: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  failureReason: string | null = null;

  @OneToMany(() => ChangeApproval, (a) => a.changeRequest)
  votes = new Collection<ChangeApproval>(this);
}
