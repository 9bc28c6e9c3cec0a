import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The deals subgraph's Deal, extended here with investor figures. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Deal {
  @Field(() => ID)
  id!: string;
}
