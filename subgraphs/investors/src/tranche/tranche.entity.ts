import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The deals subgraph's Tranche, extended here with its cap table. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Tranche {
  @Field(() => ID)
  id!: string;
}
