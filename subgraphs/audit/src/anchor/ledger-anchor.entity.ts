import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum AnchorStatus {
  PENDING = 'PENDING',
  ANCHORED = 'ANCHORED',
  FAILED = 'FAILED',
}
registerEnumType(AnchorStatus, {
  name: 'AnchorStatus',
  description: 'PENDING until its transaction is mined.',
});

/**
 * A range of one tenant's audit ledger [firstSeq, lastSeq] anchored on-chain as the Merkle root
 * of its events' hashes (AuditAnchor), so any event of the range has an inclusion proof. Ranges
 * are planned per AuditAnchor contract: a fresh deployment (a restarted local chain) starts
 * again from the tenant's first event.
 */
@ObjectType({ description: "A range of the tenant's audit ledger anchored on-chain." })
@Entity({ tableName: 'ledger_anchor' })
@Unique({ properties: ['tenantId', 'contractAddress', 'firstSeq'] })
@Index({ properties: ['tenantId', 'contractAddress', 'lastSeq'] })
export class LedgerAnchor extends TenantScopedEntity {
  [OptionalProps]?:
    'status' | 'createdAt' | 'anchoredAt' | 'txHash' | 'blockNumber' | 'anchorIndex' | 'error' | 'attempts';

  @Field(() => Int)
  @Property({ type: 'integer' })
  firstSeq!: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  lastSeq!: number;

  @Field({ description: 'Merkle root of the events’ hashes (leaves: seq and hash).' })
  @Property({ type: 'text' })
  merkleRoot!: string;

  @Field(() => AnchorStatus)
  @Enum({ items: () => AnchorStatus, nativeEnumName: 'anchor_status' })
  status: AnchorStatus = AnchorStatus.PENDING;

  @Field(() => Int, { description: 'The chain the range is anchored on.' })
  @Property({ type: 'integer' })
  chainId!: number;

  @Field({
    description:
      'The AuditAnchor contract: ranges are contiguous per contract (a new deployment starts again at 1).',
  })
  @Property({ type: 'text' })
  contractAddress!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  txHash: string | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  blockNumber: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Index of the anchor in the contract, per ledger.' })
  @Property({ type: 'integer', nullable: true })
  anchorIndex: number | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  attempts = 0;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  anchoredAt: Date | null = null;
}
