import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The deals subgraph's Deal, extended here with cash-flow projections. Its structure documents
 * are `@external`: the gateway fetches them from the deals subgraph (tenant-checked there) and
 * passes them in the entity representation because `projection` `@requires` them.
 */
@Directive('@key(fields: "id")')
@ObjectType()
export class Deal {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  @Field(() => String, { nullable: true })
  waterfallRules?: string | null;

  @Directive('@external')
  @Field(() => String, { nullable: true })
  collateral?: string | null;
}
