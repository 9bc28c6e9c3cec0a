import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { BigIntScalar, TenantScopedEntity } from '@tranche/platform';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum DistributionStatus {
  DRAFT = 'DRAFT',
  APPROVED = 'APPROVED',
  PUBLISHED = 'PUBLISHED',
  PAID = 'PAID',
}
registerEnumType(DistributionStatus, { name: 'DistributionStatus' });

/** One period's payment to a tranche's holders (principal + interest, minor units). */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A period's payment to the holders of one tranche." })
@Entity({ tableName: 'distribution' })
@Unique({ properties: ['trancheId', 'period'] })
@Index({ properties: ['tenantId'] })
export class Distribution extends TenantScopedEntity {
  [OptionalProps]?: 'status' | 'createdAt';

  @Field(() => ID)
  @Property({ type: 'uuid' })
  dealId!: string;

  @Field(() => ID)
  @Index()
  @Property({ type: 'uuid' })
  trancheId!: string;

  @Field(() => Int, { description: 'Reporting period, YYYYMM.' })
  @Property({ type: 'integer' })
  period!: number;

  @Field(() => BigIntScalar, { description: 'Interest paid, minor units.' })
  @Property({ type: new BigIntType('bigint') })
  interestAmount!: bigint;

  @Field(() => BigIntScalar, { description: 'Principal paid, minor units.' })
  @Property({ type: new BigIntType('bigint') })
  principalAmount!: bigint;

  @Field(() => DistributionStatus)
  @Enum({ items: () => DistributionStatus, nativeEnumName: 'distribution_status' })
  status: DistributionStatus = DistributionStatus.DRAFT;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
