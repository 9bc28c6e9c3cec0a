import { BigIntScalar } from '@tranche/platform';
import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { HoldingRecord } from './holding.service.js';

/**
 * A wallet's balance of one tranche token, from the chain's transfers. An entity keyed by tranche and
 * wallet, so the distributions subgraph adds what the holding is worth now and what it was paid.
 */
@Directive('@key(fields: "trancheId wallet")')
@ObjectType({ description: 'A balance of a tranche token held by a wallet, as the chain shows it.' })
export class Holding implements HoldingRecord {
  @Field(() => ID)
  trancheId!: string;

  @Field(() => ID)
  dealId!: string;

  @Field({ description: 'The token (EIP-55).' })
  token!: string;

  @Field(() => Int)
  chainId!: number;

  @Field({ description: 'The holding wallet (EIP-55).' })
  wallet!: string;

  @Field(() => ID, { nullable: true, description: 'The investor whose proven wallet it is, if known.' })
  investorId!: string | null;

  @Field(() => String, { nullable: true })
  investorName!: string | null;

  @Field(() => BigIntScalar, { description: 'Balance in token units (minor units of the deal currency).' })
  balance!: bigint;

  @Field(() => Float, { description: "Share of the tranche's tokens in circulation, 0 to 1." })
  share!: number;
}
