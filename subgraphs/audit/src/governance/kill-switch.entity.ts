import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum KillSwitchScope {
  GLOBAL = 'GLOBAL',
  DEAL = 'DEAL',
  CAPABILITY = 'CAPABILITY',
}
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
    'activatedAt' | 'deactivatedAt' | 'deactivatedBy' | 'deactivationRequestId' | 'target' | 'active';

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

  @Field()
  get active(): boolean {
    return this.deactivatedAt === null;
  }
}
