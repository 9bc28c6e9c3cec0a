import { OptionalProps } from '@mikro-orm/core';
import { Entity, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, Int, ObjectType } from 'type-graphql';

/** One version of a tenant's governance policy (the newest is in force); written only by an executed CRITICAL change. */
@ObjectType({ description: "A version of the tenant's governance policy (risk routing and approvals)." })
@Entity({ tableName: 'governance_policy' })
@Unique({ properties: ['tenantId', 'version'] })
export class GovernancePolicyVersion extends TenantScopedEntity {
  [OptionalProps]?: 'createdAt' | 'changeRequestId';

  @Field(() => Int)
  @Property({ type: 'integer' })
  version!: number;

  @Field({ description: 'The policy document (JSON).' })
  @Property({ type: 'text' })
  document!: string;

  @Field()
  @Property({ type: 'text' })
  createdBy!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  changeRequestId: string | null = null;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
