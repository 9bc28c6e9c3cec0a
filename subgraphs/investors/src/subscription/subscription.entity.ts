import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property } from '@mikro-orm/decorators/legacy';
import { BigIntScalar, TenantScopedEntity } from '@tranche/platform';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum SubscriptionStatus {
  /** Asked for; the deal's restrictions were met when asked. */
  REQUESTED = 'REQUESTED',
  /** Allocated by the arranger (through the gate); the mint job is queued or running. */
  MINTING = 'MINTING',
  /** The tokens are in the investor's wallet. */
  MINTED = 'MINTED',
  REJECTED = 'REJECTED',
  /** The mint job gave up; `error` says why. Allocating again resumes it. */
  FAILED = 'FAILED',
}
registerEnumType(SubscriptionStatus, { name: 'SubscriptionStatus' });

/** An investor's subscription to a tranche, its allocation and the mint that delivers it. */
@ObjectType({ description: 'A subscription to a tranche: requested, allocated, minted on-chain.' })
@Entity({ tableName: 'subscription' })
@Index({ properties: ['tenantId', 'trancheId'] })
@Index({ properties: ['investorId'] })
export class Subscription extends TenantScopedEntity {
  [OptionalProps]?:
    | 'status'
    | 'allocatedAmount'
    | 'allocatedBy'
    | 'changeRequestId'
    | 'identityAddress'
    | 'mintTxHash'
    | 'error'
    | 'createdAt'
    | 'updatedAt';

  @Field(() => ID)
  @Property({ type: 'uuid' })
  investorId!: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  dealId!: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  trancheId!: string;

  @Field(() => BigIntScalar, { description: 'Amount asked for, minor units (token units).' })
  @Property({ type: new BigIntType('bigint') })
  amount!: bigint;

  @Field(() => BigIntScalar, { nullable: true, description: 'Amount allocated (and minted), minor units.' })
  @Property({ type: new BigIntType('bigint'), nullable: true })
  allocatedAmount: bigint | null = null;

  @Field({ description: 'The wallet the tokens go to (the investor’s proven wallet when asked).' })
  @Property({ type: 'text' })
  wallet!: string;

  @Field(() => SubscriptionStatus)
  @Enum({ items: () => SubscriptionStatus, nativeEnumName: 'subscription_status' })
  status: SubscriptionStatus = SubscriptionStatus.REQUESTED;

  @Field()
  @Property({ type: 'text' })
  requestedBy!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  allocatedBy: string | null = null;

  @Field(() => ID, {
    nullable: true,
    description: 'The approved `token.mint` change request, if one was needed.',
  })
  @Property({ type: 'uuid', nullable: true })
  changeRequestId: string | null = null;

  @Field(() => String, { nullable: true, description: 'The investor’s ONCHAINID in the deal’s registry.' })
  @Property({ type: 'text', nullable: true })
  identityAddress: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  mintTxHash: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
