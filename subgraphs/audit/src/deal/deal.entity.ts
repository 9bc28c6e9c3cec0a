import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The deals subgraph's Deal, extended here with its change requests. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Deal {
  @Field(() => ID)
  id!: string;
}
