import { BigIntScalar } from '@tranche/platform';
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
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { AssetClass, DealStatus } from './deal.entity.js';

export enum SortOrder {
  ASC = 'ASC',
  DESC = 'DESC',
}
export enum DealSortField {
  NAME = 'NAME',
  STATUS = 'STATUS',
  CLOSING_DATE = 'CLOSING_DATE',
  CREATED_AT = 'CREATED_AT',
  ORIGINAL_BALANCE = 'ORIGINAL_BALANCE',
}
registerEnumType(SortOrder, { name: 'SortOrder' });
registerEnumType(DealSortField, { name: 'DealSortField' });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

@InputType()
export class TrancheInput {
  @Field()
  @Length(1, 64)
  name!: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(99)
  seniority!: number;

  @Field(() => BigIntScalar, { description: 'Original face amount, minor units (> 0).' })
  originalBalance!: bigint;

  @Field(() => Int, { description: 'Coupon, basis points per annum (0-10000).' })
  @IsInt()
  @Min(0)
  @Max(10_000)
  couponBps!: number;
}

@InputType()
export class CreateDealInput {
  @Field()
  @Length(1, 200)
  name!: string;

  @Field(() => AssetClass)
  assetClass!: AssetClass;

  @Field({ description: 'ISO 4217 code, e.g. USD.' })
  @Matches(CURRENCY, { message: 'currency must be a three-letter ISO 4217 code' })
  currency!: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @IsOptional()
  @Matches(DATE, { message: 'closingDate must be YYYY-MM-DD' })
  closingDate?: string | null;

  @Field(() => [TrancheInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested()
  tranches!: TrancheInput[];
}

@InputType()
export class UpdateDealInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @IsOptional()
  @Matches(DATE, { message: 'closingDate must be YYYY-MM-DD' })
  closingDate?: string | null;

  @Field(() => DealStatus, { nullable: true })
  @IsOptional()
  status?: DealStatus | null;
}

@InputType()
export class DealFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on the name.' })
  @IsOptional()
  @Length(0, 200)
  q?: string | null;

  @Field(() => DealStatus, { nullable: true })
  status?: DealStatus | null;

  @Field(() => AssetClass, { nullable: true })
  assetClass?: AssetClass | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  ids?: string[] | null;
}

@InputType()
export class DealSort {
  @Field(() => DealSortField)
  field!: DealSortField;

  @Field(() => SortOrder)
  order!: SortOrder;
}

const MAX_DOCUMENT_CHARS = 2_000_000;

@InputType({ description: 'A deal’s cash-flow structure, as JSON documents the engine validates.' })
export class DealStructureInput {
  @Field({
    description: 'Waterfall rule document (see docs/engine.md); its classes must name every tranche.',
  })
  @Length(2, MAX_DOCUMENT_CHARS)
  waterfallRules!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Collateral: { "loans": [...] } with loan-level or representative lines; omitted, the stored collateral stays (a deal with a loan tape projects its tape).',
  })
  @IsOptional()
  @Length(2, MAX_DOCUMENT_CHARS)
  collateral?: string;
}
