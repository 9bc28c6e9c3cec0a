import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

/** What one on-chain pause of a kill switch stops. */
export enum PauseKind {
  /** A deal's T-REX tranche token: `pause()` stops every transfer, mint and burn. */
  TRANCHE_TOKEN = 'TRANCHE_TOKEN',
  /** One deal in the shared DealRegistry: dataset anchors, documents and covenants. */
  DEAL_REGISTRY_DEAL = 'DEAL_REGISTRY_DEAL',
  /** One tranche token's payouts in the shared DistributionManager: funding, publication, claims. */
  DISTRIBUTION_MANAGER_TOKEN = 'DISTRIBUTION_MANAGER_TOKEN',
}
registerEnumType(PauseKind, { name: 'PauseKind', description: 'What one on-chain pause stops.' });

export enum PauseStatus {
  PENDING = 'PENDING',
  /** Paused by this switch's transaction (`txHash`). */
  PAUSED = 'PAUSED',
  /** Already paused by something else (another switch, a person): nothing was sent. */
  ALREADY_PAUSED = 'ALREADY_PAUSED',
  FAILED = 'FAILED',
}
registerEnumType(PauseStatus, { name: 'PauseStatus', description: 'PENDING until mined.' });

/**
 * One contract (or one deal or token in a shared contract) a kill switch pauses on-chain, and the
 * transaction that paused it once mined. A tenant's switch only ever pauses its own deals' tokens
 * and its own deals in the shared contracts, never a shared contract as a whole.
 */
@ObjectType({ description: 'One on-chain pause of a kill switch and its transaction.' })
@Entity({ tableName: 'kill_switch_pause' })
@Unique({ properties: ['killSwitchId', 'kind', 'contractAddress', 'subject'] })
@Index({ properties: ['killSwitchId'] })
export class KillSwitchPause extends TenantScopedEntity {
  [OptionalProps]?: 'status' | 'txHash' | 'blockNumber' | 'error' | 'createdAt' | 'updatedAt' | 'subject';

  @Property({ type: 'uuid' })
  killSwitchId!: string;

  @Field(() => PauseKind)
  @Enum({ items: () => PauseKind, nativeEnumName: 'pause_kind' })
  kind!: PauseKind;

  @Field({ description: 'The deal this pause belongs to.' })
  @Property({ type: 'uuid' })
  dealId!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  chainId!: number;

  @Field({ description: 'The contract called: the token, the DealRegistry or the DistributionManager.' })
  @Property({ type: 'text' })
  contractAddress!: string;

  @Field({ description: 'The on-chain deal id (registry) or token (manager); empty for a token.' })
  @Property({ type: 'text' })
  subject: string = '';

  @Field(() => PauseStatus)
  @Enum({ items: () => PauseStatus, nativeEnumName: 'pause_status' })
  status: PauseStatus = PauseStatus.PENDING;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  txHash: string | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  blockNumber: number | null = null;

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
