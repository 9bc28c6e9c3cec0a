import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property } from '@mikro-orm/decorators/legacy';
import { BigIntScalar, TenantScopedEntity } from '@tranche/platform';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

/** The compliance operations T-REX gives a token's agent. */
export enum TokenActionKind {
  /** Freeze a wallet: it can neither send nor receive. */
  FREEZE = 'FREEZE',
  UNFREEZE = 'UNFREEZE',
  /** Freeze `amount` of a wallet's tokens. */
  FREEZE_PARTIAL = 'FREEZE_PARTIAL',
  UNFREEZE_PARTIAL = 'UNFREEZE_PARTIAL',
  /** Move `amount` from `wallet` to `toWallet` (a verified wallet), e.g. by court order. */
  FORCED_TRANSFER = 'FORCED_TRANSFER',
  /** Move a lost wallet's tokens, identity and freezes to the investor's new wallet. */
  RECOVERY = 'RECOVERY',
  /**
   * Remove the platform's claims (KYC, accreditation, jurisdiction) from the wallet's ONCHAINID:
   * the identity registry no longer verifies it, so it can receive nothing.
   */
  REVOKE_CLAIMS = 'REVOKE_CLAIMS',
}
registerEnumType(TokenActionKind, { name: 'TokenActionKind' });

export enum TokenActionStatus {
  PENDING = 'PENDING',
  DONE = 'DONE',
  FAILED = 'FAILED',
}
registerEnumType(TokenActionStatus, { name: 'TokenActionStatus' });

/** A compliance operation on a tranche token, approved and executed on-chain by a job. */
@ObjectType({ description: 'A compliance operation on a tranche token (freeze, forced transfer, recovery).' })
@Entity({ tableName: 'token_action' })
@Index({ properties: ['tenantId', 'trancheId'] })
export class TokenAction extends TenantScopedEntity {
  [OptionalProps]?:
    'status' | 'toWallet' | 'amount' | 'txHash' | 'error' | 'changeRequestId' | 'createdAt' | 'reason';

  @Field(() => TokenActionKind)
  @Enum({ items: () => TokenActionKind, nativeEnumName: 'token_action_kind' })
  kind!: TokenActionKind;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  dealId!: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  trancheId!: string;

  @Field({ description: 'The wallet acted on (the lost wallet for a recovery).' })
  @Property({ type: 'text' })
  wallet!: string;

  @Field(() => String, { nullable: true, description: 'Where a forced transfer or recovery goes.' })
  @Property({ type: 'text', nullable: true })
  toWallet: string | null = null;

  @Field(() => BigIntScalar, { nullable: true })
  @Property({ type: new BigIntType('bigint'), nullable: true })
  amount: bigint | null = null;

  @Field(() => TokenActionStatus)
  @Enum({ items: () => TokenActionStatus, nativeEnumName: 'token_action_status' })
  status: TokenActionStatus = TokenActionStatus.PENDING;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  txHash: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  changeRequestId: string | null = null;

  @Field()
  @Property({ type: 'text' })
  requestedBy!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Why the platform took the action itself (a sanctions hit, an expired credential).',
  })
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
