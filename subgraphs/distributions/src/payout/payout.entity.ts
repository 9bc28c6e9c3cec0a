import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { BigIntScalar, TenantScopedEntity } from '@tranche/platform';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

/** A servicer report's distribution, as the plan has it, plus RECONCILED. */
export enum PayoutStatus {
  /** Reported and run through the waterfall; no holders read yet. */
  PROPOSED = 'PROPOSED',
  /** Previewed at a record block: the approval can be asked for these exact payouts. */
  PENDING = 'PENDING',
  /** Approved and queued: the execution job runs it. */
  APPROVED = 'APPROVED',
  EXECUTED = 'EXECUTED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  /** Executed, and the chain's payments tie to the engine's output holder by holder. */
  RECONCILED = 'RECONCILED',
}
registerEnumType(PayoutStatus, { name: 'PayoutStatus' });

/**
 * A servicer's monthly remittance report for a deal and its waterfall run: the report as
 * submitted (normalised JSON, SHA-256 of the bytes received), the run's input hash (rules, state
 * and report), outputs and engine version, then the distribution it pays: record block, totals,
 * execution progress and reconciliation.
 */
@ObjectType({ description: 'A servicer report, its waterfall run and the distribution it pays.' })
@Entity({ tableName: 'servicer_report' })
@Index({ properties: ['tenantId', 'dealId'] })
export class ServicerReport extends TenantScopedEntity {
  [OptionalProps]?:
    | 'status'
    | 'createdAt'
    | 'recordBlock'
    | 'changeRequestId'
    | 'progress'
    | 'error'
    | 'reconciliation'
    | 'executedAt';

  @Field(() => ID)
  @Property({ type: 'uuid' })
  dealId!: string;

  @Field(() => Int, { description: 'The deal’s period number (1 = the first after closing).' })
  @Property({ type: 'integer' })
  period!: number;

  @Field({ description: 'The report as validated (JSON).' })
  @Property({ type: 'text' })
  report!: string;

  @Field({ description: 'SHA-256 of the report as received.' })
  @Property({ type: 'text' })
  reportSha256!: string;

  @Field({
    description: 'SHA-256 of the run’s inputs: rules, the deal’s state and the report (canonical JSON).',
  })
  @Property({ type: 'text' })
  inputSha256!: string;

  @Field()
  @Property({ type: 'text' })
  engineVersion!: string;

  @Field({
    description: 'The waterfall’s period summary (JSON: pool, fees, triggers, accounts, cash in and out).',
  })
  @Property({ type: 'text' })
  summary!: string;

  @Field({ description: 'Per class: interest and principal paid, balances (JSON).' })
  @Property({ type: 'text' })
  classes!: string;

  /** The deal state after this period, stored when the distribution executes. */
  @Property({ type: 'text' })
  nextState!: string;

  @Field(() => PayoutStatus)
  @Enum({ items: () => PayoutStatus, nativeEnumName: 'payout_status' })
  status: PayoutStatus = PayoutStatus.PROPOSED;

  @Field(() => Int, { nullable: true, description: 'The block whose holders are paid.' })
  @Property({ type: 'integer', nullable: true })
  recordBlock: number | null = null;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  changeRequestId: string | null = null;

  @Field(() => Int, { description: 'Execution progress, 0–100.' })
  @Property({ type: 'integer' })
  progress = 0;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'Engine output against the chain (JSON), after execution.',
  })
  @Property({ type: 'text', nullable: true })
  reconciliation: string | null = null;

  @Field()
  @Property({ type: 'text' })
  submittedBy!: string;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  executedAt: Date | null = null;
}

/** One tranche's payout of a report's distribution: holders at the record block and their amounts. */
@ObjectType({
  description: 'One tranche’s payout: the Merkle tree of its holders’ amounts and its execution.',
})
@Entity({ tableName: 'tranche_payout' })
@Unique({ properties: ['reportId', 'trancheId'] })
export class TranchePayout extends TenantScopedEntity {
  [OptionalProps]?: 'fundTx' | 'publishTx' | 'pushed' | 'paidTotal' | 'createdAt' | 'sweptTx' | 'swept';

  @Field(() => ID)
  @Property({ type: 'uuid' })
  reportId!: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  trancheId!: string;

  @Field({ description: 'The engine class paid (the tranche’s name in the rule document).' })
  @Property({ type: 'text' })
  classId!: string;

  @Field({ description: 'The tranche token (EIP-55).' })
  @Property({ type: 'text' })
  token!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  chainId!: number;

  @Field({ description: 'On-chain id of the distribution (bytes32).' })
  @Property({ type: 'text' })
  distributionId!: string;

  @Field(() => BigIntScalar, {
    description: 'What the waterfall pays the class, minor units of the deal currency.',
  })
  @Property({ type: new BigIntType('bigint') })
  classCash!: bigint;

  @Field(() => BigIntScalar, { description: 'Paid to holders in stablecoin units (sum of the leaves).' })
  @Property({ type: new BigIntType('bigint') })
  total!: bigint;

  @Field(() => BigIntScalar, {
    description: 'Rounding remainder kept by the treasury: class cash in stablecoin units minus the total.',
  })
  @Property({ type: new BigIntType('bigint') })
  remainder!: bigint;

  @Field()
  @Property({ type: 'text' })
  merkleRoot!: string;

  /** The leaves `[index, account, amount]` (amount as a decimal string), in index order. */
  @Property({ type: 'jsonb' })
  leaves!: [number, string, string][];

  @Field(() => Int)
  @Property({ type: 'integer' })
  recipients!: number;

  @Field({ description: 'After this, holders can no longer claim and the rest may be swept back.' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  claimDeadline!: Date;

  @Field(() => Int, { description: 'The token’s deployment block, where its holders’ history starts.' })
  @Property({ type: 'integer' })
  fromBlock!: number;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  fundTx: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  publishTx: string | null = null;

  @Field(() => Int, { description: 'Leaves pushed to holders so far.' })
  @Property({ type: 'integer' })
  pushed = 0;

  @Field(() => BigIntScalar, { description: 'What the chain shows paid, after reconciliation.' })
  @Property({ type: new BigIntType('bigint') })
  paidTotal = 0n;

  @Field(() => String, {
    nullable: true,
    description: 'The sweep of what was left unclaimed after the deadline.',
  })
  @Property({ type: 'text', nullable: true })
  sweptTx: string | null = null;

  @Field(() => BigIntScalar, { description: 'Returned to the treasury by the sweep.' })
  @Property({ type: new BigIntType('bigint') })
  swept = 0n;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}

/** The deal's waterfall state after its last executed period: the next report starts from it. */
@Entity({ tableName: 'deal_waterfall_state' })
export class DealWaterfallState {
  [OptionalProps]?: 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  dealId!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'integer' })
  period!: number;

  @Property({ type: 'text' })
  state!: string;

  @Property({ type: 'uuid' })
  reportId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
