import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, Int, ObjectType } from 'type-graphql';

/** One mined transaction of an issuance (a contract created, a module bound, the registration). */
@ObjectType({ description: 'One mined transaction of a deal’s deployment.' })
@Entity({ tableName: 'issuance_transaction' })
@Unique({ properties: ['issuanceId', 'step'] })
@Index({ properties: ['issuanceId', 'seq'] })
export class IssuanceTransaction extends TenantScopedEntity {
  [OptionalProps]?: 'contractAddress' | 'minedAt';

  @Property({ type: 'uuid' })
  issuanceId!: string;

  @Field(() => Int, { description: 'Order of the step in the deployment.' })
  @Property({ type: 'integer' })
  seq!: number;

  @Field({ description: 'The step, e.g. `tranche:A:token` or `registry:deal`.' })
  @Property({ type: 'text' })
  step!: string;

  @Field()
  @Property({ type: 'text' })
  txHash!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  blockNumber!: number;

  @Field({ description: 'Gas used, decimal.' })
  @Property({ type: 'text' })
  gasUsed!: string;

  @Field(() => String, { nullable: true, description: 'The contract it created, if any.' })
  @Property({ type: 'text', nullable: true })
  contractAddress: string | null = null;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  minedAt: Date = new Date();
}
