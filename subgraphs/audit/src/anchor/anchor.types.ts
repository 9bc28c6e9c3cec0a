import { Field, ObjectType } from 'type-graphql';
import { AuditEvent } from '../ledger/audit-event.entity.js';
import { LedgerAnchor } from './ledger-anchor.entity.js';

@ObjectType({ description: "An audit event's inclusion proof against the on-chain anchor of its range." })
export class AuditEventProof {
  @Field(() => AuditEvent)
  event!: AuditEvent;

  @Field(() => LedgerAnchor)
  anchor!: LedgerAnchor;

  @Field({ description: "The tenant's ledger id on the AuditAnchor contract (bytes32)." })
  ledgerId!: string;

  @Field(() => [String], {
    description: 'Sibling hashes from the leaf (seq, event hash) to the anchored root.',
  })
  proof!: string[];
}
