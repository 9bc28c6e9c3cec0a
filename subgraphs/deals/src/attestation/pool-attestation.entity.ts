import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property } from '@mikro-orm/decorators/legacy';
import { BigIntScalar, TenantScopedEntity } from '@tranche/platform';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { StoredCovenants } from '../deal/covenants.js';

export enum PoolAttestationStatus {
  /** Asked for and approved; the proof job is queued. */
  REQUESTED = 'REQUESTED',
  /** The pool is read and the proof computed (in a prover process). */
  PROVING = 'PROVING',
  /** Proven; the covenants and the proof are being sent to the chain. */
  SUBMITTING = 'SUBMITTING',
  /** PoolAttestationVerifier accepted the proof: it is recorded on-chain. */
  VERIFIED = 'VERIFIED',
  /** The pool breaches a covenant (see `result`): no proof can exist, nothing was sent. */
  NOT_MET = 'NOT_MET',
  /** The job gave up: `error` says why. */
  FAILED = 'FAILED',
}
registerEnumType(PoolAttestationStatus, {
  name: 'PoolAttestationStatus',
  description: 'REQUESTED → PROVING → SUBMITTING → VERIFIED, or NOT_MET (a covenant breached), or FAILED.',
});

export enum Covenant {
  DELINQUENCY = 'DELINQUENCY',
  WA_LTV = 'WA_LTV',
  MIN_BALANCE = 'MIN_BALANCE',
}
registerEnumType(Covenant, {
  name: 'Covenant',
  description:
    'DELINQUENCY: share of balance at least `delinquencyDays` late (bps); WA_LTV: weighted-average LTV (bps); MIN_BALANCE: pool balance (minor units).',
});

/** One covenant of an attestation, as evaluated on the pool (stored in `results`). */
export interface StoredCovenantResult {
  covenant: Covenant;
  /** The pool's value: bps for DELINQUENCY and WA_LTV (rounded down), minor units for MIN_BALANCE. */
  value: string;
  /** The threshold, in the same unit. */
  threshold: string;
  met: boolean;
}

@ObjectType({ description: 'One covenant of an attestation: the pool’s value against its threshold.' })
export class CovenantResult {
  @Field(() => Covenant)
  covenant!: Covenant;

  @Field(() => BigIntScalar, {
    description:
      'The pool’s value: bps for DELINQUENCY and WA_LTV (rounded down), minor units for MIN_BALANCE.',
  })
  value!: bigint;

  @Field(() => BigIntScalar, {
    description: 'The threshold, in the same unit (a max, or for MIN_BALANCE a min).',
  })
  threshold!: bigint;

  @Field()
  met!: boolean;
}

/**
 * A zero-knowledge attestation that a loan tape version meets the deal's covenants: the thresholds
 * taken from the deal when it was asked for, the circuit instance that proves the pool (the one its
 * anchored root was committed at), the Groth16 proof and public signals once proven, each covenant's
 * evaluation, and the PoolAttestationVerifier transaction that recorded it on-chain. The job that
 * proves and submits it reports its progress here.
 */
@ObjectType({ description: 'A pool attestation: a loan tape version proven to meet the deal’s covenants.' })
@Entity({ tableName: 'pool_attestation' })
@Index({ properties: ['tenantId', 'dealId'] })
@Index({ properties: ['tapeId'] })
export class PoolAttestation extends TenantScopedEntity {
  [OptionalProps]?:
    | 'status'
    | 'progress'
    | 'stage'
    | 'attempts'
    | 'poolRoot'
    | 'proof'
    | 'publicSignals'
    | 'results'
    | 'verifier'
    | 'txHash'
    | 'blockNumber'
    | 'error'
    | 'changeRequestId'
    | 'createdAt'
    | 'provedAt'
    | 'finishedAt';

  @Field(() => ID)
  @Property({ type: 'uuid' })
  dealId!: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  tapeId!: string;

  @Field(() => Int, { description: 'The loan tape version attested.' })
  @Property({ type: 'integer' })
  tapeVersion!: number;

  @Field(() => Int, { description: 'The period the tape is anchored for, YYYYMM (one attestation each).' })
  @Property({ type: 'integer' })
  period!: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  loanCount!: number;

  @Field({ description: 'The circuit instance that proves the pool, e.g. pool16.' })
  @Property({ type: 'text' })
  circuit!: string;

  @Field(() => Int, { description: 'Its capacity, loans (the pool is padded with zero loans).' })
  @Property({ type: 'integer' })
  capacity!: number;

  /** The deal's covenants when asked for: what is proven and registered on-chain. */
  @Property({ type: 'jsonb' })
  thresholds!: StoredCovenants;

  @Field(() => Int)
  @Property({ type: 'integer' })
  chainId!: number;

  @Field(() => PoolAttestationStatus)
  @Enum({ items: () => PoolAttestationStatus, nativeEnumName: 'pool_attestation_status' })
  status: PoolAttestationStatus = PoolAttestationStatus.REQUESTED;

  @Field(() => Int, { description: 'Progress of the job, percent.' })
  @Property({ type: 'integer' })
  progress = 0;

  @Field(() => String, { nullable: true, description: 'What the job is doing now (the prover’s step).' })
  @Property({ type: 'text', nullable: true })
  stage: string | null = null;

  @Field(() => Int, { description: 'Runs of the job so far.' })
  @Property({ type: 'integer' })
  attempts = 0;

  @Field(() => String, { nullable: true, description: 'The Poseidon root proven against (decimal).' })
  @Property({ type: 'text', nullable: true })
  poolRoot: string | null = null;

  /** The Groth16 proof, as snarkjs emits it. */
  @Property({ type: 'jsonb', nullable: true })
  proof: Record<string, unknown> | null = null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Public signals (decimal), in order: dealId, period, root, maxDelinquencyBps, delinquencyDays, maxWaLtvBps, minBalance.',
  })
  @Property({ type: 'jsonb', nullable: true })
  publicSignals: string[] | null = null;

  @Property({ type: 'jsonb', nullable: true })
  results: StoredCovenantResult[] | null = null;

  @Field(() => String, { nullable: true, description: 'The PoolAttestationVerifier the proof went to.' })
  @Property({ type: 'text', nullable: true })
  verifier: string | null = null;

  @Field(() => String, { nullable: true, description: 'The transaction that recorded the attestation.' })
  @Property({ type: 'text', nullable: true })
  txHash: string | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  blockNumber: number | null = null;

  @Field(() => String, { nullable: true, description: 'Why the job failed (or why its last run did).' })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Field(() => ID, { nullable: true, description: 'The approved attestation.submit change request.' })
  @Property({ type: 'uuid', nullable: true })
  changeRequestId: string | null = null;

  @Field()
  @Property({ type: 'text' })
  requestedBy!: string;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  provedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;
}
