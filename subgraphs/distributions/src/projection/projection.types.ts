import { BigIntScalar } from '@tranche/platform';
import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One class in one period. Money in minor units.' })
export class ClassCashFlow {
  @Field(() => Int)
  period!: number;

  @Field(() => String, { nullable: true })
  paymentDate!: string | null;

  @Field(() => BigIntScalar)
  beginBalance!: bigint;

  @Field(() => BigIntScalar, { description: 'Current interest plus shortfall carried forward.' })
  interestDue!: bigint;

  @Field(() => BigIntScalar)
  interestPaid!: bigint;

  @Field(() => BigIntScalar)
  interestShortfall!: bigint;

  @Field(() => BigIntScalar, { description: 'Interest added to an accrual (Z) class balance.' })
  accreted!: bigint;

  @Field(() => BigIntScalar)
  principalPaid!: bigint;

  @Field(() => BigIntScalar)
  writedown!: bigint;

  @Field(() => BigIntScalar)
  endBalance!: bigint;
}

@ObjectType({ description: 'A class (tranche) over the whole projection.' })
export class ClassProjection {
  @Field({ description: 'The class id in the rule document (the tranche name).' })
  classId!: string;

  @Field(() => BigIntScalar)
  originalBalance!: bigint;

  @Field(() => Float, { nullable: true, description: 'Weighted average life, years; null if no principal.' })
  wal!: number | null;

  @Field(() => Int, { nullable: true, description: 'First period with principal paid.' })
  principalWindowFirst!: number | null;

  @Field(() => Int, { nullable: true, description: 'Last period with principal paid.' })
  principalWindowLast!: number | null;

  @Field(() => BigIntScalar)
  totalInterest!: bigint;

  @Field(() => BigIntScalar)
  totalPrincipal!: bigint;

  @Field(() => BigIntScalar)
  totalWritedown!: bigint;

  @Field(() => BigIntScalar)
  finalBalance!: bigint;

  @Field(() => [ClassCashFlow])
  cashFlows!: ClassCashFlow[];
}

@ObjectType({ description: 'A trigger’s state in one period.' })
export class TriggerState {
  @Field()
  trigger!: string;

  @Field()
  breached!: boolean;
}

@ObjectType({ description: 'The pool’s collections in one period and the trigger states. Minor units.' })
export class PoolPeriodFlows {
  @Field(() => Int)
  period!: number;

  @Field(() => String, { nullable: true })
  paymentDate!: string | null;

  @Field(() => BigIntScalar)
  poolBalanceBegin!: bigint;

  @Field(() => BigIntScalar, { description: 'Net interest available to the deal.' })
  interest!: bigint;

  @Field(() => BigIntScalar)
  scheduledPrincipal!: bigint;

  @Field(() => BigIntScalar)
  prepayments!: bigint;

  @Field(() => BigIntScalar)
  recoveries!: bigint;

  @Field(() => BigIntScalar)
  realizedLosses!: bigint;

  @Field(() => BigIntScalar)
  poolBalanceEnd!: bigint;

  @Field(() => BigIntScalar, { description: 'Paid to the residual class.' })
  residual!: bigint;

  @Field(() => [TriggerState])
  triggers!: TriggerState[];
}

@ObjectType({ description: 'A deal’s projected cash flows under one scenario.' })
export class DealProjection {
  @Field(() => String, { nullable: true })
  scenarioName!: string | null;

  @Field(() => Float, { nullable: true, description: 'WAL of the collateral principal, years.' })
  poolWal!: number | null;

  @Field(() => Int)
  periods!: number;

  @Field(() => [ClassProjection])
  classes!: ClassProjection[];

  @Field(() => [PoolPeriodFlows])
  pool!: PoolPeriodFlows[];
}
