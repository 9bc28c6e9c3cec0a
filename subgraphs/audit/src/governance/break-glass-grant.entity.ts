import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, ObjectType } from 'type-graphql';

/**
 * An emergency, time-bounded grant of one capability to one named person, past the role policy
 * and the approvals (never past a kill switch). Granted by an ADMIN, or self-granted and then
 * reviewed by a second person; every action under it is marked in the audit ledger.
 */
@ObjectType({ description: 'A time-bounded emergency grant of one capability to one person.' })
@Entity({ tableName: 'break_glass_grant' })
@Index({ properties: ['tenantId', 'expiresAt'] })
export class BreakGlassGrant extends TenantScopedEntity {
  [OptionalProps]?: 'grantedAt' | 'reviewedBy' | 'reviewedAt' | 'reviewComment' | 'revokedAt';

  @Field({ description: 'Who may act under it (user:<email>).' })
  @Property({ type: 'text' })
  grantee!: string;

  @Field()
  @Property({ type: 'text' })
  capability!: string;

  @Field()
  @Property({ type: 'text' })
  reason!: string;

  @Field()
  @Property({ type: 'text' })
  grantedBy!: string;

  @Field({ description: 'Self-granted in an emergency: a second person must review it.' })
  @Property({ type: 'boolean' })
  selfGranted!: boolean;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  grantedAt: Date = new Date();

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reviewedBy: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  reviewedAt: Date | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reviewComment: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
