import { BigIntScalar, requireRole, type SubgraphContext } from '@tranche/platform';
import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { STATEMENT_PATH } from './statement.routes.js';
import { StatementService } from './statement.service.js';

@ObjectType({ description: 'One distribution paid to the investor.' })
class StatementLineType {
  @Field()
  paidAt!: Date;
  @Field()
  dealName!: string;
  @Field()
  tranche!: string;
  @Field(() => Int)
  period!: number;
  @Field(() => BigIntScalar, { description: 'USDC units (6 decimals) paid on-chain.' })
  amount!: bigint;
  @Field(() => BigIntScalar)
  interest!: bigint;
  @Field(() => BigIntScalar)
  principal!: bigint;
  @Field()
  distributionId!: string;
}

@ObjectType()
class StatementTotals {
  @Field(() => BigIntScalar)
  amount!: bigint;
  @Field(() => BigIntScalar)
  interest!: bigint;
  @Field(() => BigIntScalar)
  principal!: bigint;
}

@ObjectType({ description: 'A row of the yearly interest summary (1099-INT box 1).' })
class TaxSummaryRow {
  @Field()
  dealName!: string;
  @Field()
  tranche!: string;
  @Field(() => BigIntScalar)
  interestIncome!: bigint;
  @Field(() => BigIntScalar)
  principalReturned!: bigint;
}

@ObjectType({
  description: 'An investor’s distribution statement for a month or a year, with its downloads.',
})
class InvestorStatement {
  @Field(() => ID)
  investorId!: string;
  @Field()
  legalName!: string;
  @Field(() => String, { nullable: true })
  wallet!: string | null;
  @Field(() => Int)
  year!: number;
  @Field(() => Int, { nullable: true })
  month!: number | null;
  @Field(() => [StatementLineType])
  lines!: StatementLineType[];
  @Field(() => StatementTotals)
  totals!: StatementTotals;
  @Field(() => [TaxSummaryRow])
  taxSummary!: TaxSummaryRow[];
  @Field({ description: 'GET this path on the gateway (same bearer token) for the CSV; .pdf for the PDF.' })
  csvPath!: string;
  @Field()
  pdfPath!: string;
  @Field({ description: 'The yearly 1099-INT-shaped summary, PDF (-1099.csv for CSV).' })
  taxSummaryPdfPath!: string;
}

@Resolver()
export class StatementResolver {
  @Query(() => InvestorStatement, {
    description:
      'An investor’s distributions paid in a year (or one month of it), split into interest and principal, with totals and the 1099-INT-shaped summary (staff: any investor of the tenant; INVESTOR: only their own).',
  })
  async investorStatement(
    @Ctx() ctx: SubgraphContext,
    @Arg('investorId', () => ID) investorId: string,
    @Arg('year', () => Int) year: number,
    @Arg('month', () => Int, { nullable: true }) month?: number | null,
  ): Promise<InvestorStatement> {
    const s = await new StatementService(ctx.em, requireRole(ctx), ctx.requestId).statement(
      investorId,
      year,
      month,
    );
    const base = `${STATEMENT_PATH}${s.investorId}/${s.year}${s.month ? `-${String(s.month).padStart(2, '0')}` : ''}`;
    return {
      ...s,
      csvPath: `${base}.csv`,
      pdfPath: `${base}.pdf`,
      taxSummaryPdfPath: `${STATEMENT_PATH}${s.investorId}/${s.year}-1099.pdf`,
    };
  }
}
