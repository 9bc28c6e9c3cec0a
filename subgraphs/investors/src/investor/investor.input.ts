import { ArrayMaxSize, IsOptional, IsUUID, Length, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { InvestorKind } from './investor.entity.js';

@InputType()
export class CreateInvestorInput {
  @Field()
  @Length(1, 200)
  legalName!: string;

  @Field(() => InvestorKind)
  kind!: InvestorKind;

  @Field({ description: 'ISO 3166-1 alpha-2, e.g. US.' })
  @Matches(/^[A-Z]{2}$/, { message: 'jurisdiction must be a two-letter ISO 3166-1 code' })
  jurisdiction!: string;

  @Field(() => [ID], { nullable: true, description: 'Deals the investor is interested in.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  dealIds?: string[] | null;
}
