import { BigIntScalar } from '@tranche/platform';
import { IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'An investor’s subscription to a tranche.' })
export class SubscribeInput {
  @Field(() => ID)
  @IsUUID()
  investorId!: string;

  @Field(() => ID)
  @IsUUID()
  trancheId!: string;

  @Field(() => BigIntScalar, { description: 'Amount, minor units of the deal currency (token units).' })
  amount!: bigint;
}
