import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { BigIntType } from '@mikro-orm/postgresql';
import { BigIntScalar } from '@tranche/platform';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

/**
 * One loan of a tape version, as validated at ingest. Borrower name and SSN are in `pii`, sealed
 * with AES-256-GCM under the tape's data key (bound to the tape and loan id); `salt` is the loan's
 * hiding salt in the Poseidon commitment. Neither is a GraphQL field: no API returns them, and loan
 * rows are served only to the staff roles that work with them (never to INVESTOR).
 */
@ObjectType({ description: 'A loan of a tape version (ARRANGER, SERVICER, ADMIN); no borrower data.' })
@Entity({ tableName: 'loan' })
@Unique({ properties: ['tapeId', 'loanId'] })
@Index({ properties: ['tapeId', 'row'] })
export class Loan {
  [OptionalProps]?: 'originationDate';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'uuid' })
  tapeId!: string;

  @Field(() => Int, { description: 'The row in the tape file (header = 1).' })
  @Property({ type: 'integer' })
  row!: number;

  @Field()
  @Property({ type: 'text' })
  loanId!: string;

  @Field(() => BigIntScalar, { description: 'Minor units.' })
  @Property({ type: new BigIntType('bigint') })
  originalBalance!: bigint;

  @Field(() => BigIntScalar, { description: 'Minor units, at the cut-off date.' })
  @Property({ type: new BigIntType('bigint') })
  currentBalance!: bigint;

  @Field(() => Float, { description: 'Gross note rate, percent.' })
  @Property({ type: 'double' })
  noteRate!: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  originalTerm!: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  remainingTerm!: number;

  @Field(() => Int, { description: 'Current LTV, basis points.' })
  @Property({ type: 'integer' })
  ltvBps!: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  fico!: number;

  @Field(() => Int, { description: 'Debt-to-income, basis points.' })
  @Property({ type: 'integer' })
  dtiBps!: number;

  @Field()
  @Property({ type: 'text' })
  propertyState!: string;

  @Field()
  @Property({ type: 'text' })
  propertyZip!: string;

  @Field()
  @Property({ type: 'text' })
  occupancy!: string;

  @Field()
  @Property({ type: 'text' })
  delinquencyStatus!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  daysDelinquent!: number;

  @Field(() => String, { nullable: true })
  @Property({ type: 'date', nullable: true })
  originationDate: string | null = null;

  @Field(() => Float, { description: 'Servicing fee, percent a year.' })
  @Property({ type: 'double' })
  servicingFeeRate!: number;

  @Property({ type: 'text', lazy: true })
  salt!: string;

  @Property({ type: 'blob', lazy: true })
  pii!: Buffer;
}
