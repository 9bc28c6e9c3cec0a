import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum DeploymentStatus {
  DEPLOYING = 'DEPLOYING',
  DEPLOYED = 'DEPLOYED',
  FAILED = 'FAILED',
}
registerEnumType(DeploymentStatus, {
  name: 'DeploymentStatus',
  description: 'DEPLOYING until every transaction is mined; FAILED runs again from where it stopped.',
});

/**
 * A deal's issuance on its chain (the plan's `GET /web3/deals/{id}/status`): one T-REX suite with a
 * token per tranche, the deal registered in DealRegistry with its documents, deployed by a
 * resumable job. `stepsDone / stepsTotal` is its progress.
 */
@ObjectType({ description: 'A deal’s token deployment on its chain, with progress.' })
@Entity({ tableName: 'issuance' })
@Unique({ properties: ['dealId'] })
@Index({ properties: ['tenantId'] })
export class Issuance extends TenantScopedEntity {
  [OptionalProps]?:
    | 'status'
    | 'stepsDone'
    | 'error'
    | 'startedAt'
    | 'finishedAt'
    | 'attempts'
    | 'identityRegistry'
    | 'claimIssuer'
    | 'registryTxHash'
    | 'progress';

  @Property({ type: 'uuid' })
  dealId!: string;

  @Field(() => DeploymentStatus)
  @Enum({ items: () => DeploymentStatus, nativeEnumName: 'deployment_status' })
  status: DeploymentStatus = DeploymentStatus.DEPLOYING;

  @Field(() => Int)
  @Property({ type: 'integer' })
  chainId!: number;

  @Field({ description: 'The DealRegistry the deal is registered in.' })
  @Property({ type: 'text' })
  dealRegistry!: string;

  @Field({ description: 'The deal’s id in DealRegistry (bytes32).' })
  @Property({ type: 'text' })
  onChainDealId!: string;

  @Field({ description: 'SHA-256 of the approved issuance terms (the DealRegistry metadata hash).' })
  @Property({ type: 'text' })
  termsSha256!: string;

  @Field({ description: 'The approved change request this issuance executed.' })
  @Property({ type: 'uuid' })
  changeRequestId!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  stepsTotal!: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  stepsDone: number = 0;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  identityRegistry: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  claimIssuer: string | null = null;

  @Field(() => String, { nullable: true, description: 'The DealRegistry registration transaction.' })
  @Property({ type: 'text', nullable: true })
  registryTxHash: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Field()
  @Property({ type: 'text' })
  startedBy!: string;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  startedAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @Field(() => Float, { description: 'Share of the deployment’s transactions mined, 0 to 1.' })
  get progress(): number {
    return this.stepsTotal ? Math.min(1, this.stepsDone / this.stepsTotal) : 0;
  }
}
