import { Field, Int, ObjectType } from 'type-graphql';
import type { LedgerVerification } from './ledger.service.js';

@ObjectType({ description: 'The result of recomputing a range of the audit hash chain.' })
export class AuditChainVerification implements LedgerVerification {
  @Field()
  valid!: boolean;

  @Field(() => Int)
  from!: number;

  @Field(() => Int)
  to!: number;

  @Field(() => Int, { description: 'Events checked before stopping.' })
  checked!: number;

  @Field(() => Int, { nullable: true, description: 'The first position where the chain breaks.' })
  firstBrokenSeq!: number | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'Hash of the newest event.' })
  headHash!: string | null;
}
