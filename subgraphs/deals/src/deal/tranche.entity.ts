import { BigIntType, OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { BigIntScalar, TenantScopedEntity } from '@tranche/platform';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { Deal } from './deal.entity.js';

/** A class of notes with its own priority (seniority 1 is paid first), coupon and balance. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A class of notes in a deal.' })
@Entity({ tableName: 'tranche' })
@Unique({ properties: ['deal', 'name'] })
@Unique({ properties: ['deal', 'seniority'] })
@Index({ properties: ['tenantId'] })
export class Tranche extends TenantScopedEntity {
  [OptionalProps]?: 'dealId';

  @ManyToOne(() => Deal, { deleteRule: 'cascade' })
  deal!: Rel<Deal>;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => Int, { description: 'Payment priority: 1 is the most senior.' })
  @Property({ type: 'integer' })
  seniority!: number;

  @Field(() => BigIntScalar, { description: 'Original face amount, minor units.' })
  @Property({ type: new BigIntType('bigint') })
  originalBalance!: bigint;

  @Field(() => Int, { description: 'Coupon, basis points per annum.' })
  @Property({ type: 'integer' })
  couponBps!: number;

  /** The deal's id (the API's `Tranche.dealId`, resolved in deal.resolver.ts). */
  get dealId(): string {
    return this.deal.id;
  }
}
