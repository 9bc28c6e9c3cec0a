import { BigIntScalar } from '@tranche/platform';
import { ArrayMaxSize, IsOptional, Length, Max, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { RegulatoryFramework } from '../deal/deal.entity.js';
import { DocumentKind } from './deal-document.entity.js';

@InputType({
  description: 'Covenant thresholds of the deal’s pool; omitted fields stay as they are (see DealCovenants).',
})
export class DealCovenantsInput {
  @Field(() => Int, { nullable: true, description: 'Max share of pool balance delinquent, bps (0-10000).' })
  @IsOptional()
  @Min(0)
  @Max(10_000)
  maxDelinquencyBps?: number | null;

  @Field(() => Int, { nullable: true, description: 'The delinquency bucket, days (1-9999).' })
  @IsOptional()
  @Min(1)
  @Max(9_999)
  delinquencyDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'Max weighted-average LTV, bps (1-20000).' })
  @IsOptional()
  @Min(1)
  @Max(20_000)
  maxWaLtvBps?: number | null;

  @Field(() => BigIntScalar, { nullable: true, description: 'Min pool balance, minor units.' })
  @IsOptional()
  minBalance?: bigint | null;
}

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

  @Field(() => DealCovenantsInput, {
    nullable: true,
    description:
      'The pool’s covenants, proven by pool attestations (default: 5 % of balance 60+ days delinquent, WA-LTV 80 %, no minimum balance); null restores the defaults.',
  })
  @IsOptional()
  @ValidateNested()
  covenants?: DealCovenantsInput | null;
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
