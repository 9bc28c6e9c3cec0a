import { PageInput, PageOf, serviceFor, type Page, type SubgraphContext } from '@tranche/platform';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventFilter } from './ledger.input.js';
import { LEDGER_READERS, LEDGER_VERIFIERS, LedgerService } from './ledger.service.js';
import { AuditChainVerification } from './ledger.types.js';

const AuditEventPage = PageOf(AuditEvent);

@Resolver(() => AuditEvent)
export class LedgerResolver {
  @Query(() => AuditEventPage, { description: "The tenant's audit events, newest first." })
  auditEvents(
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter?: AuditEventFilter,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<AuditEvent>> {
    return serviceFor(LedgerService, ctx, LEDGER_READERS).list(filter, page);
  }

  @Query(() => AuditChainVerification, { description: 'Recomputes the hash chain (AUDITOR, ADMIN).' })
  verifyAuditChain(
    @Ctx() ctx: SubgraphContext,
    @Arg('from', () => Int, { defaultValue: 1 }) from: number,
    @Arg('to', () => Int, { nullable: true }) to?: number,
  ): Promise<AuditChainVerification> {
    return serviceFor(LedgerService, ctx, LEDGER_VERIFIERS).verify(from, to);
  }
}
