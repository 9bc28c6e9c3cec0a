import { BigIntScalar } from '@tranche/platform';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class DistributionFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  dealId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  trancheId?: string | null;
}

@InputType()
export class CreateDistributionInput {
  @Field(() => ID)
  @IsUUID()
  dealId!: string;

  @Field(() => ID)
  @IsUUID()
  trancheId!: string;

  @Field(() => Int, { description: 'YYYYMM' })
  @IsInt()
  @Min(200001)
  @Max(209912)
  period!: number;

  @Field(() => BigIntScalar)
  interestAmount!: bigint;

  @Field(() => BigIntScalar)
  principalAmount!: bigint;
}
