import { BigIntType } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * One ERC-20 `Transfer` of a tranche token as the chain reported it (mints from, burns to, the zero
 * address). Holdings are sums over these rows; a reorg deletes the rows from the fork point on and
 * the indexer reads the new branch, so holdings always equal the canonical chain's balances.
 */
@Entity({ tableName: 'token_transfer' })
@Index({ properties: ['token', 'toAddress'] })
@Index({ properties: ['token', 'fromAddress'] })
@Index({ properties: ['chainId', 'token', 'blockNumber'] })
export class TokenTransfer {
  @PrimaryKey({ type: 'text', comment: '<chainId>:<txHash>:<logIndex>' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'integer' })
  chainId!: number;

  /** the token (EIP-55) */
  @Property({ type: 'text' })
  token!: string;

  @Property({ type: 'uuid' })
  trancheId!: string;

  @Property({ type: 'integer' })
  blockNumber!: number;

  @Property({ type: 'text' })
  txHash!: string;

  @Property({ type: 'text' })
  fromAddress!: string;

  @Property({ type: 'text' })
  toAddress!: string;

  @Property({ type: new BigIntType('bigint') })
  amount!: bigint;
}
