import {
  ArrayMaxSize,
  ArrayMinSize,
  IsInt,
  IsOptional,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Field, Float, InputType, Int, registerEnumType } from 'type-graphql';

export enum PrepaymentModel {
  CPR = 'CPR',
  PSA = 'PSA',
  SMM = 'SMM',
  PPC = 'PPC',
}
export enum DefaultModel {
  CDR = 'CDR',
  SDA = 'SDA',
}
export enum Advancing {
  NONE = 'NONE',
  INTEREST = 'INTEREST',
  PRINCIPAL_AND_INTEREST = 'PRINCIPAL_AND_INTEREST',
}
export enum WalFrom {
  SETTLEMENT = 'SETTLEMENT',
  CUTOFF = 'CUTOFF',
  PERIOD_INDEX = 'PERIOD_INDEX',
}
registerEnumType(PrepaymentModel, { name: 'PrepaymentModel', description: 'SIFMA prepayment conventions.' });
registerEnumType(DefaultModel, { name: 'DefaultModel', description: 'SIFMA default conventions.' });
registerEnumType(Advancing, { name: 'Advancing', description: 'Servicer advancing on delinquent loans.' });
registerEnumType(WalFrom, { name: 'WalFrom', description: 'Where weighted average life is counted from.' });

@InputType({
  description:
    'A point of a prospectus prepayment curve: CPR in percent at a loan age (months since origination).',
})
export class PpcPointInput {
  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(1200)
  month!: number;

  @Field(() => Float)
  @Min(0)
  @Max(100)
  cprPct!: number;
}

@InputType({ description: 'A speed: constant (`rate`) or one value per period (`vector`), in percent.' })
export class PrepaymentInput {
  @Field(() => PrepaymentModel)
  model!: PrepaymentModel;

  @Field(() => Float, {
    nullable: true,
    description:
      'CPR or SMM in percent, the PSA multiple (100 = 100% PSA), or the percentage of the PPC curve (100 = 100% PPC).',
  })
  @IsOptional()
  @Min(0)
  rate?: number | null;

  @Field(() => [Float], {
    nullable: true,
    description: 'Per-period CPR or SMM, percent (not for PSA or PPC).',
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(1200)
  vector?: number[] | null;

  @Field(() => [PpcPointInput], {
    nullable: true,
    description:
      'PPC only: 100% PPC for fixed-rate loans by loan age, interpolated between points, flat outside them ("4% CPR in month 1 rising to 16% in month 12" is two points).',
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(120)
  @ValidateNested()
  ppcFixed?: PpcPointInput[] | null;

  @Field(() => [PpcPointInput], {
    nullable: true,
    description: 'PPC only: 100% PPC for adjustable-rate loans (default: the fixed-rate curve).',
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(120)
  @ValidateNested()
  ppcAdjustable?: PpcPointInput[] | null;
}

@InputType()
export class DefaultInput {
  @Field(() => DefaultModel)
  model!: DefaultModel;

  @Field(() => Float, {
    nullable: true,
    description: 'CDR in percent, or the SDA multiple (100 = 100% SDA).',
  })
  @IsOptional()
  @Min(0)
  rate?: number | null;

  @Field(() => [Float], { nullable: true, description: 'Per-period CDR, percent (not for SDA).' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(1200)
  vector?: number[] | null;
}

@InputType({ description: 'An index curve for adjustable-rate loans and floating classes, percent.' })
export class IndexCurveInput {
  @Field()
  @Length(1, 40)
  index!: string;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  rate?: number | null;

  @Field(() => [Float], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(1200)
  vector?: number[] | null;
}

@InputType({ description: 'Assumptions for one projection. Omitted fields: no prepayments, no defaults.' })
export class ScenarioInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  name?: string | null;

  @Field(() => PrepaymentInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  prepayment?: PrepaymentInput | null;

  @Field(() => DefaultInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  defaults?: DefaultInput | null;

  @Field(() => Float, { nullable: true, description: 'Loss severity, percent of the defaulted balance.' })
  @IsOptional()
  @Min(0)
  @Max(100)
  severityPct?: number | null;

  @Field(() => Int, { nullable: true, description: 'Months from default to liquidation.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  recoveryLagMonths?: number | null;

  @Field(() => Advancing, { nullable: true })
  advancing?: Advancing | null;

  @Field(() => [IndexCurveInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested()
  indexCurves?: IndexCurveInput[] | null;

  @Field(() => Int, { nullable: true, description: 'Stop after this many months.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1200)
  horizonMonths?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Exercise the clean-up call when the pool falls to this percent of its original balance ("to call").',
  })
  @IsOptional()
  @Min(0)
  @Max(100)
  cleanUpCallPct?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Settlement date for WAL, YYYY-MM-DD (default: closing).',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  settlementDate?: string | null;

  @Field(() => WalFrom, { nullable: true, description: 'Default SETTLEMENT (the prospectus convention).' })
  walFrom?: WalFrom | null;
}
