import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A chain deals may live on (the configuration’s CHAINS).' })
export class ChainInfo {
  @Field(() => Int)
  chainId!: number;

  @Field()
  name!: string;
}
