import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum AuditReportStatus {
  SUBMITTED = 'SUBMITTED',
  RECORDED = 'RECORDED',
  FAILED = 'FAILED',
}
registerEnumType(AuditReportStatus, {
  name: 'AuditReportStatus',
  description: 'RECORDED once AuditReportRegistry holds it on-chain; FAILED says why in `error`.',
});

/**
 * An auditor's signed verification result (a "report attestation"): the auditor verified an
 * audit bundle in their browser and signed the verdict with their wallet (EIP-712); the platform
 * records the signature in AuditReportRegistry (a job) and in the audit chain.
 */
@ObjectType({ description: "An auditor's signed verification result, recorded on-chain." })
@Entity({ tableName: 'audit_report' })
@Index({ properties: ['tenantId', 'dealId', 'createdAt'] })
@Unique({ properties: ['digest'] })
export class AuditReport extends TenantScopedEntity {
  [OptionalProps]?:
    'status' | 'txHash' | 'blockNumber' | 'reportIndex' | 'error' | 'createdAt' | 'recordedAt' | 'bundleId';

  @Field(() => ID)
  @Property({ type: 'uuid' })
  dealId!: string;

  @Field(() => ID, { nullable: true, description: 'The platform bundle verified, when it was one of ours.' })
  @Property({ type: 'uuid', nullable: true })
  bundleId: string | null = null;

  @Field({ description: 'SHA-256 of the verified bundle archive (0x-hex).' })
  @Property({ type: 'text' })
  bundleSha256!: string;

  @Field({ description: 'SHA-256 of the canonical JSON of the checks (0x-hex).' })
  @Property({ type: 'text' })
  resultDigest!: string;

  @Field({ description: 'Whether every check passed.' })
  @Property({ type: 'boolean' })
  verified!: boolean;

  @Field(() => Int, { description: 'Checks that passed.' })
  @Property({ type: 'integer' })
  checksPassed!: number;

  @Field(() => Int, { description: 'Checks that failed.' })
  @Property({ type: 'integer' })
  checksFailed!: number;

  @Field({ description: 'When the auditor verified it.' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  verifiedAt!: Date;

  @Field({ description: "The auditor's wallet: the signer." })
  @Property({ type: 'text' })
  auditor!: string;

  @Field({ description: 'The EIP-712 signature.' })
  @Property({ type: 'text' })
  signature!: string;

  @Field({ description: 'The EIP-712 digest (what AuditReportRegistry records it under).' })
  @Property({ type: 'text' })
  digest!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  chainId!: number;

  @Field({ description: 'The AuditReportRegistry it is recorded in.' })
  @Property({ type: 'text' })
  registry!: string;

  @Field(() => AuditReportStatus)
  @Enum({ items: () => AuditReportStatus, nativeEnumName: 'audit_report_status' })
  status: AuditReportStatus = AuditReportStatus.SUBMITTED;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  txHash: string | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  blockNumber: number | null = null;

  @Field(() => Int, { nullable: true, description: "Its index among the deal's reports on-chain." })
  @Property({ type: 'integer', nullable: true })
  reportIndex: number | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Field({ description: 'The signed-in auditor who submitted it.' })
  @Property({ type: 'text' })
  createdBy!: string;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  recordedAt: Date | null = null;
}
