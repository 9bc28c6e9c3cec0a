import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ChangeRequest } from './change-request.entity.js';

export enum Vote {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}
registerEnumType(Vote, { name: 'ChangeVote' });

/** One person's approval or rejection of a change request, in the roles they held then. */
@ObjectType({ description: "One person's decision on a change request." })
@Entity({ tableName: 'change_approval' })
@Unique({ properties: ['changeRequest', 'actor'] })
export class ChangeApproval extends TenantScopedEntity {
  [OptionalProps]?: 'createdAt' | 'comment';

  @ManyToOne(() => ChangeRequest, { deleteRule: 'cascade' })
  changeRequest!: Rel<ChangeRequest>;

  @Field()
  @Property({ type: 'text' })
  actor!: string;

  @Field(() => [String], { description: 'The roles the approver held when deciding.' })
  @Property({ type: 'json' })
  roles!: string[];

  @Field(() => Vote)
  @Enum({ items: () => Vote, nativeEnumName: 'change_vote' })
  vote!: Vote;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  comment: string | null = null;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
