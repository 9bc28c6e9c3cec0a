import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "The tenant's governance policy in force." })
export class GovernancePolicyInForce {
  @Field(() => Int, { description: '0: the platform defaults.' })
  version!: number;

  @Field({ description: 'The policy document (JSON): risk routing and approvals per level.' })
  document!: string;
}
