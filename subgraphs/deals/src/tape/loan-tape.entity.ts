import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { BigIntType } from '@mikro-orm/postgresql';
import { BigIntScalar, TenantScopedEntity } from '@tranche/platform';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum TapeStatus {
  /** Created; the file is expected at `uploadPath`. */
  AWAITING_UPLOAD = 'AWAITING_UPLOAD',
  /** The file is being received (encrypted as it arrives). */
  RECEIVING = 'RECEIVING',
  /** Received whole; queued for validation. */
  RECEIVED = 'RECEIVED',
  VALIDATING = 'VALIDATING',
  /** Every row valid: loans stored, root computed. */
  VALIDATED = 'VALIDATED',
  /** At least one bad row (see `errors`), or too large: nothing stored. */
  REJECTED = 'REJECTED',
}
registerEnumType(TapeStatus, { name: 'TapeStatus', description: 'Where a loan tape version is.' });

export enum AnchorStatus {
  /** Not anchored yet (or waiting for the deal to name a chain). */
  NONE = 'NONE',
  PENDING = 'PENDING',
  ANCHORED = 'ANCHORED',
  FAILED = 'FAILED',
}
registerEnumType(AnchorStatus, {
  name: 'TapeAnchorStatus',
  description: 'The tape root’s anchoring in DealRegistry.',
});

@ObjectType({ description: 'A row and column a tape was refused for.' })
export class TapeRowError {
  @Field(() => Int, { description: 'The row, the header being row 1.' })
  row!: number;

  @Field(() => String, { nullable: true, description: 'The column’s header name, or #n.' })
  column!: string | null;

  @Field()
  message!: string;
}

@ObjectType({ description: 'One bucket of a stratification table.' })
export class StratBucket {
  @Field()
  key!: string;

  @Field(() => Int)
  loanCount!: number;

  @Field(() => BigIntScalar, { description: 'Current balance, minor units.' })
  balance!: bigint;

  @Field(() => Float, { description: 'Share of the pool’s current balance, 0–1.' })
  share!: number;
}

@ObjectType({
  description:
    'The pool at the cut-off date: totals and weighted averages (by current balance), and buckets.',
})
export class TapeStratification {
  @Field(() => Int)
  loanCount!: number;

  @Field(() => BigIntScalar, { description: 'Current balance, minor units.' })
  currentBalance!: bigint;

  @Field(() => BigIntScalar, { description: 'Original balance, minor units.' })
  originalBalance!: bigint;

  @Field(() => BigIntScalar, { description: 'Average current balance, minor units.' })
  averageBalance!: bigint;

  @Field(() => Float, { description: 'Weighted average coupon, percent.' })
  wac!: number;

  @Field(() => Float, { description: 'Weighted average remaining term (WAM), months.' })
  wam!: number;

  @Field(() => Float, { description: 'Weighted average LTV, percent.' })
  waLtv!: number;

  @Field(() => Float, { description: 'Weighted average FICO.' })
  waFico!: number;

  @Field(() => Float, { description: 'Weighted average DTI, percent.' })
  waDti!: number;

  @Field(() => [StratBucket])
  byState!: StratBucket[];

  @Field(() => [StratBucket])
  byDelinquency!: StratBucket[];

  @Field(() => [StratBucket])
  byOccupancy!: StratBucket[];

  @Field(() => [StratBucket], { description: 'LTV bands: ≤60, 60–70, 70–80, 80–90, 90–100, >100.' })
  byLtv!: StratBucket[];

  @Field(() => [StratBucket], { description: 'FICO bands: <620, 620–679, 680–719, 720–759, ≥760.' })
  byFico!: StratBucket[];
}

/**
 * One version of a deal's loan tape: the file's SHA-256, its cut-off date, its validation, the
 * Poseidon root of its salted loans (the circuits' commitment) and that root's anchor in
 * DealRegistry. The loans themselves are `loan` rows; borrower PII in them is sealed under this
 * version's data key (`wrappedKey`, wrapped by the key provider), never served.
 */
@ObjectType({ description: 'A version of a deal’s loan tape (staff).' })
@Entity({ tableName: 'loan_tape' })
@Unique({ properties: ['dealId', 'version'] })
@Index({ properties: ['tenantId', 'dealId'] })
export class LoanTape extends TenantScopedEntity {
  [OptionalProps]?:
    | 'status'
    | 'sha256'
    | 'byteSize'
    | 'rowCount'
    | 'rowsProcessed'
    | 'errorCount'
    | 'rowErrors'
    | 'poseidonRoot'
    | 'rootCapacity'
    | 'anchorStatus'
    | 'anchorTxHash'
    | 'anchorBlock'
    | 'anchorChainId'
    | 'anchorError'
    | 'stratification'
    | 'createdAt'
    | 'validatedAt'
    | 'uploadPath';

  @Field(() => ID)
  @Property({ type: 'uuid' })
  dealId!: string;

  @Field(() => Int, { description: 'Version of the deal’s dataset: 1, 2, … in upload order.' })
  @Property({ type: 'integer' })
  version!: number;

  @Field({ description: 'Cut-off date of the balances, YYYY-MM-DD.' })
  @Property({ type: 'date' })
  cutoffDate!: string;

  @Field(() => Int, { description: 'The period anchored on-chain: YYYYMM of the cut-off date.' })
  @Property({ type: 'integer' })
  period!: number;

  @Field()
  @Property({ type: 'text' })
  fileName!: string;

  @Field(() => TapeStatus)
  @Enum({ items: () => TapeStatus, nativeEnumName: 'tape_status' })
  status: TapeStatus = TapeStatus.AWAITING_UPLOAD;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the uploaded file, hex.' })
  @Property({ type: 'text', nullable: true })
  sha256: string | null = null;

  @Field(() => BigIntScalar, { nullable: true, description: 'Size of the uploaded file, bytes.' })
  @Property({ type: new BigIntType('bigint'), nullable: true })
  byteSize: bigint | null = null;

  @Field(() => Int, { nullable: true, description: 'Loans in the tape, once read.' })
  @Property({ type: 'integer', nullable: true })
  rowCount: number | null = null;

  @Field(() => Int, { description: 'Rows read so far (progress of the validation).' })
  @Property({ type: 'integer' })
  rowsProcessed = 0;

  @Field(() => Int, { description: 'Errors found (the first 100 are in `errors`).' })
  @Property({ type: 'integer' })
  errorCount = 0;

  @Property({ type: 'jsonb', fieldName: 'row_errors' })
  rowErrors: TapeRowError[] = [];

  @Field(() => String, { nullable: true, description: 'Poseidon Merkle root of the salted loans (decimal).' })
  @Property({ type: 'text', nullable: true })
  poseidonRoot: string | null = null;

  @Field(() => Int, {
    nullable: true,
    description: 'The loan capacity the root is computed at (circuit instance).',
  })
  @Property({ type: 'integer', nullable: true })
  rootCapacity: number | null = null;

  @Property({ type: 'text' })
  keyId!: string;

  @Property({ type: 'blob', lazy: true })
  wrappedKey!: Buffer;

  @Field(() => AnchorStatus)
  @Enum({ items: () => AnchorStatus, nativeEnumName: 'tape_anchor_status' })
  anchorStatus: AnchorStatus = AnchorStatus.NONE;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  anchorTxHash: string | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  anchorBlock: number | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  anchorChainId: number | null = null;

  @Field(() => String, { nullable: true, description: 'Why the anchor has not landed, when it has not.' })
  @Property({ type: 'text', nullable: true })
  anchorError: string | null = null;

  @Property({ type: 'jsonb', nullable: true })
  stratification: Record<string, unknown> | null = null;

  @Field()
  @Property({ type: 'text' })
  uploadedBy!: string;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  validatedAt: Date | null = null;

  @Field({ description: 'Where to PUT the file (through the gateway, with the same bearer token).' })
  get uploadPath(): string {
    return `${TAPE_UPLOAD_PATH}${this.id}`;
  }
}

/** The upload route's prefix (the gateway forwards it to this subgraph). */
export const TAPE_UPLOAD_PATH = '/loan-tapes/';
