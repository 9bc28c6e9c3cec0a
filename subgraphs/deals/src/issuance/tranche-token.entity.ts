import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DeploymentStatus } from './issuance.entity.js';

/** One tranche's ERC-3643 token: a deployment row with its own status, address and transaction. */
@ObjectType({ description: 'A tranche’s T-REX token on the deal’s chain.' })
@Entity({ tableName: 'tranche_token' })
@Unique({ properties: ['trancheId'] })
@Index({ properties: ['issuanceId'] })
export class TrancheToken extends TenantScopedEntity {
  [OptionalProps]?: 'status' | 'address' | 'compliance' | 'deployTx' | 'gasUsed' | 'blockNumber';

  @Property({ type: 'uuid' })
  issuanceId!: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  trancheId!: string;

  @Field({ description: 'The tranche’s name.' })
  @Property({ type: 'text' })
  tranche!: string;

  @Field(() => Int, { description: 'The tranche’s payment priority (1 is the most senior).' })
  @Property({ type: 'integer' })
  seniority!: number;

  @Field({ description: 'Token symbol.' })
  @Property({ type: 'text' })
  symbol!: string;

  @Field(() => DeploymentStatus)
  @Enum({ items: () => DeploymentStatus, nativeEnumName: 'deployment_status' })
  status: DeploymentStatus = DeploymentStatus.DEPLOYING;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  address: string | null = null;

  @Field(() => String, { nullable: true, description: 'Its ModularCompliance (the deal’s restrictions).' })
  @Property({ type: 'text', nullable: true })
  compliance: string | null = null;

  @Field(() => String, { nullable: true, description: 'The token’s creation transaction.' })
  @Property({ type: 'text', nullable: true })
  deployTx: string | null = null;

  @Field(() => String, { nullable: true, description: 'Gas used by the creation, decimal.' })
  @Property({ type: 'text', nullable: true })
  gasUsed: string | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  blockNumber: number | null = null;
}
