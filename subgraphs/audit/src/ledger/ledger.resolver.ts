import { PageInput, PageOf, serviceFor, type Page, type SubgraphContext } from '@tranche/platform';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventFilter } from './ledger.input.js';
import { LEDGER_READERS, LEDGER_VERIFIERS, LedgerService, MAX_VERIFY_IN_REQUEST } from './ledger.service.js';
import { AuditChainVerification } from './ledger.types.js';
import { VerificationRun } from './verification-run.entity.js';

const VerificationRunPage = PageOf(VerificationRun);

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

  @Query(() => AuditChainVerification, {
    description: `Recomputes a range of the tenant's hash chain, at most ${MAX_VERIFY_IN_REQUEST} events (AUDITOR, ADMIN); longer ranges: requestAuditChainVerification.`,
  })
  verifyAuditChain(
    @Ctx() ctx: SubgraphContext,
    @Arg('from', () => Int, { defaultValue: 1 }) from: number,
    @Arg('to', () => Int, { nullable: true }) to?: number,
  ): Promise<AuditChainVerification> {
    return serviceFor(LedgerService, ctx, LEDGER_VERIFIERS).verify(from, to, {
      maxEvents: MAX_VERIFY_IN_REQUEST,
    });
  }

  @Mutation(() => VerificationRun, {
    description: "Verifies a range of the tenant's chain (default: all of it) as a job (AUDITOR, ADMIN).",
  })
  requestAuditChainVerification(
    @Ctx() ctx: SubgraphContext,
    @Arg('from', () => Int, { defaultValue: 1 }) from: number,
    @Arg('to', () => Int, { nullable: true }) to?: number,
  ): Promise<VerificationRun> {
    return serviceFor(LedgerService, ctx, LEDGER_VERIFIERS).requestVerification(from, to);
  }

  @Query(() => VerificationRun, { nullable: true, description: 'A verification run, with its progress.' })
  auditChainVerification(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
  ): Promise<VerificationRun | null> {
    return serviceFor(LedgerService, ctx, LEDGER_VERIFIERS).verification(id);
  }

  @Query(() => VerificationRunPage, { description: "The tenant's verification runs, newest first." })
  auditChainVerifications(
    @Ctx() ctx: SubgraphContext,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<VerificationRun>> {
    return serviceFor(LedgerService, ctx, LEDGER_VERIFIERS).verifications(page);
  }
}
