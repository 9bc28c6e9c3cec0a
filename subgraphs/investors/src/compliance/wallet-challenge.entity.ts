import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, ID, Int, ObjectType } from 'type-graphql';

/**
 * A Sign-In with Ethereum (EIP-4361) message issued to prove an investor controls a wallet: its
 * single-use nonce, the SHA-256 of the exact text issued (so no field can be changed before signing),
 * its domain, chain and expiry. `usedAt` is set once, by the proof that links the wallet.
 */
@ObjectType({ description: 'A wallet-proof message for the investor to sign (EIP-4361).' })
@Entity({ tableName: 'wallet_challenge' })
@Unique({ properties: ['nonce'] })
@Index({ properties: ['tenantId', 'investorId'] })
export class WalletChallenge extends TenantScopedEntity {
  [OptionalProps]?: 'usedAt' | 'createdAt';

  @Field(() => ID)
  @Property({ type: 'uuid' })
  investorId!: string;

  @Field({ description: 'The wallet to prove (EIP-55).' })
  @Property({ type: 'text' })
  address!: string;

  @Field()
  @Property({ type: 'text' })
  nonce!: string;

  @Field({ description: 'The exact EIP-4361 message to sign with the wallet (personal_sign).' })
  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'text' })
  messageSha256!: string;

  @Field()
  @Property({ type: 'text' })
  domain!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  chainId!: number;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'text' })
  createdBy!: string;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
