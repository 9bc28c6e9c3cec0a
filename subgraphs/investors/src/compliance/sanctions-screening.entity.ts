import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { SanctionsStatus } from '../investor/investor.entity.js';

@ObjectType({ description: 'A name on the sanctions list that matched.' })
export class SanctionsMatchType {
  @Field(() => Int, { description: 'The list entry (ent_num).' })
  entNum!: number;

  @Field()
  name!: string;

  @Field({ description: 'individual, entity, vessel or aircraft.' })
  type!: string;

  @Field(() => [String])
  programs!: string[];

  @Field({ description: 'primary, or the alias type (aka, fka, nka).' })
  kind!: string;

  @Field(() => Float)
  score!: number;
}

/** One screening of an investor against one version of the sanctions list, kept for the record. */
@ObjectType({ description: 'One screening of an investor against the sanctions list.' })
@Entity({ tableName: 'sanctions_screening' })
@Index({ properties: ['tenantId', 'investorId'] })
export class SanctionsScreening extends TenantScopedEntity {
  [OptionalProps]?: 'screenedAt';

  @Field(() => ID)
  @Property({ type: 'uuid' })
  investorId!: string;

  @Field(() => SanctionsStatus)
  @Property({ type: 'text' })
  status!: SanctionsStatus;

  @Field({ description: 'The name screened.' })
  @Property({ type: 'text' })
  name!: string;

  @Field({ description: 'SHA-256 of the list version screened against.' })
  @Property({ type: 'text' })
  listSha256!: string;

  @Field(() => Float)
  @Property({ type: 'double' })
  threshold!: number;

  @Field(() => [SanctionsMatchType])
  @Property({ type: 'jsonb' })
  matches!: SanctionsMatchType[];

  @Field()
  @Property({ type: 'text' })
  screenedBy!: string;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  screenedAt: Date = new Date();
}
