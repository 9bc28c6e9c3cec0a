import { BigIntScalar } from '@tranche/platform';
import { IsOptional, IsUUID, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { TokenActionKind } from './token-action.entity.js';

@InputType({ description: 'A compliance operation on a tranche token.' })
export class TokenActionInput {
  @Field(() => TokenActionKind)
  kind!: TokenActionKind;

  @Field(() => ID)
  @IsUUID()
  trancheId!: string;

  @Field({ description: 'The wallet acted on (the lost wallet for a recovery).' })
  @Length(42, 42)
  wallet!: string;

  @Field(() => String, { nullable: true, description: 'Destination of a forced transfer or recovery.' })
  @IsOptional()
  @Length(42, 42)
  toWallet?: string | null;

  @Field(() => BigIntScalar, {
    nullable: true,
    description: 'Token units (partial freezes, forced transfers).',
  })
  @IsOptional()
  amount?: bigint | null;
}
