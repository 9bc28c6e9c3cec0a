import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum KillSwitchScope {
  GLOBAL = 'GLOBAL',
  DEAL = 'DEAL',
  CAPABILITY = 'CAPABILITY',
}
/** Where a switch's on-chain pauses stand (the pauses themselves: `KillSwitch.onChainPauses`). */
export enum OnChainPauseStatus {
  /** The pause job has not run yet. */
  QUEUED = 'QUEUED',
  /** Sending pauses; some are mined. */
  PAUSING = 'PAUSING',
  /** Every contract in scope is paused (or was already). */
  PAUSED = 'PAUSED',
  /** Nothing in scope lives on-chain (no deployed deal, or a capability with no contract). */
  NOT_APPLICABLE = 'NOT_APPLICABLE',
  /** No chain is configured: the switch holds in the API only. */
  NO_CHAIN = 'NO_CHAIN',
  /** A pause failed after its retries; see the pauses' errors. The switch still holds in the API. */
  FAILED = 'FAILED',
}
registerEnumType(OnChainPauseStatus, {
  name: 'OnChainPauseStatus',
  description: "Where a kill switch's on-chain pauses stand.",
});

registerEnumType(KillSwitchScope, {
  name: 'KillSwitchScope',
  description: "GLOBAL: every side effect of the tenant; DEAL: one deal's; CAPABILITY: one kind.",
});

/**
 * A stop button: while active (not deactivated), the gate of every subgraph refuses the side
 * effects in its scope. Activated at once without approval; deactivated only through an
 * approved change request.
 */
@ObjectType({ description: 'A kill switch: while active, the side effects in its scope are refused.' })
@Entity({ tableName: 'kill_switch' })
@Index({ properties: ['tenantId', 'deactivatedAt'] })
export class KillSwitch extends TenantScopedEntity {
  [OptionalProps]?:
    | 'activatedAt'
    | 'deactivatedAt'
    | 'deactivatedBy'
    | 'deactivationRequestId'
    | 'target'
    | 'active'
    | 'onChainStatus';

  @Field(() => KillSwitchScope)
  @Enum({ items: () => KillSwitchScope, nativeEnumName: 'kill_switch_scope' })
  scope!: KillSwitchScope;

  @Field(() => String, { nullable: true, description: 'The deal id (DEAL) or capability (CAPABILITY).' })
  @Property({ type: 'text', nullable: true })
  target: string | null = null;

  @Field()
  @Property({ type: 'text' })
  reason!: string;

  @Field()
  @Property({ type: 'text' })
  activatedBy!: string;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  activatedAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  deactivatedAt: Date | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  deactivatedBy: string | null = null;

  @Field(() => String, { nullable: true, description: 'The change request that lifted it.' })
  @Property({ type: 'uuid', nullable: true })
  deactivationRequestId: string | null = null;

  @Field(() => OnChainPauseStatus, {
    description: 'Where the pauses of the contracts in scope stand (a job sends them on activation).',
  })
  @Enum({ items: () => OnChainPauseStatus, nativeEnumName: 'on_chain_pause_status' })
  onChainStatus: OnChainPauseStatus = OnChainPauseStatus.QUEUED;

  @Field()
  get active(): boolean {
    return this.deactivatedAt === null;
  }
}
