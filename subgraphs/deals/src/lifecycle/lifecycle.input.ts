import { BigIntScalar } from '@tranche/platform';
import { ArrayMaxSize, IsOptional, Length, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { RegulatoryFramework } from '../deal/deal.entity.js';
import { DocumentKind } from './deal-document.entity.js';

@InputType({ description: 'A deal’s legal terms; omitted fields stay as they are, null clears one.' })
export class DealTermsInput {
  @Field(() => String, { nullable: true, description: 'The issuing SPV’s legal name.' })
  @IsOptional()
  @Length(1, 200)
  spvName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'ISO 3166 country or subdivision, e.g. US-DE, IE, KY.',
  })
  @IsOptional()
  @Length(2, 6)
  spvJurisdiction?: string | null;

  @Field(() => RegulatoryFramework, { nullable: true })
  @IsOptional()
  regulatoryFramework?: RegulatoryFramework | null;

  @Field(() => Boolean, { nullable: true, description: 'Accredited investors only (default true).' })
  @IsOptional()
  accreditedOnly?: boolean | null;

  @Field(() => [String], { nullable: true, description: 'ISO 3166-1 alpha-2 countries allowed to hold.' })
  @IsOptional()
  @ArrayMaxSize(250)
  allowedCountries?: string[] | null;

  @Field(() => BigIntScalar, { nullable: true, description: 'Minimum investment, minor units.' })
  @IsOptional()
  minimumInvestment?: bigint | null;

  @Field(() => Int, { nullable: true, description: 'Lock-up after issuance, days (0-3650).' })
  @IsOptional()
  @Min(0)
  @Max(3650)
  lockUpDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'The chain the tokens live on (see `chains`).' })
  @IsOptional()
  chainId?: number | null;
}

@InputType({ description: 'A deal document by its SHA-256; the file stays in your document store.' })
export class DealDocumentInput {
  @Field(() => DocumentKind)
  kind!: DocumentKind;

  @Field()
  @Length(1, 200)
  title!: string;

  @Field({ description: 'SHA-256 of the file, hex.' })
  @Length(64, 66)
  sha256!: string;

  @Field({ description: 'Where the file is kept: https://, s3://, ipfs://, ar:// or file://.' })
  @Length(8, 1000)
  uri!: string;
}
