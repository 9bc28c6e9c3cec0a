import {
  canonicalJson,
  PageInput,
  PageOf,
  serviceFor,
  type Page,
  type SubgraphContext,
} from '@tranche/platform';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Deal } from '../deal/deal.entity.js';
import { BreakGlassGrant } from './break-glass-grant.entity.js';
import { BREAK_GLASS_REVIEWERS, BreakGlassService } from './break-glass.service.js';
import { ChangeApproval } from './change-approval.entity.js';
import { ChangeRequest } from './change-request.entity.js';
import {
  ActivateKillSwitchInput,
  ChangeRequestFilter,
  GrantBreakGlassInput,
  RequestChangeInput,
} from './governance.input.js';
import { governanceLoaders } from './governance.loaders.js';
import { GOVERNANCE_READERS, GovernanceService } from './governance.service.js';
import { GovernancePolicyInForce } from './governance.types.js';
import { KillSwitchPause } from './kill-switch-pause.entity.js';
import { KillSwitch } from './kill-switch.entity.js';
import { KILL_SWITCH_ACTIVATORS, KillSwitchService } from './kill-switch.service.js';

const ChangeRequestPage = PageOf(ChangeRequest);
const KillSwitchPage = PageOf(KillSwitch);
const BreakGlassGrantPage = PageOf(BreakGlassGrant);

@Resolver(() => ChangeRequest)
export class ChangeRequestResolver {
  @Query(() => ChangeRequestPage, { description: "The tenant's change requests, newest first (staff)." })
  changeRequests(
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => ChangeRequestFilter, { nullable: true }) filter?: ChangeRequestFilter,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<ChangeRequest>> {
    return serviceFor(GovernanceService, ctx, GOVERNANCE_READERS).list(filter, page);
  }

  @Query(() => ChangeRequest, { nullable: true })
  changeRequest(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<ChangeRequest | null> {
    return serviceFor(GovernanceService, ctx, GOVERNANCE_READERS).get(id);
  }

  @Query(() => GovernancePolicyInForce, { description: "The tenant's governance policy in force (staff)." })
  async governancePolicy(@Ctx() ctx: SubgraphContext): Promise<GovernancePolicyInForce> {
    const { version, policy } = await serviceFor(GovernanceService, ctx, GOVERNANCE_READERS).policy();
    return { version, document: canonicalJson(policy) };
  }

  @Mutation(() => ChangeRequest, {
    description: 'Proposes a change; its risk decides the approvals it needs.',
  })
  requestChange(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => RequestChangeInput) input: RequestChangeInput,
  ): Promise<ChangeRequest> {
    return serviceFor(GovernanceService, ctx, GOVERNANCE_READERS).request(input);
  }

  @Mutation(() => ChangeRequest, { description: 'Approves a request (never your own; one vote per person).' })
  approveChange(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
    @Arg('comment', () => String, { nullable: true }) comment?: string,
  ): Promise<ChangeRequest> {
    return serviceFor(GovernanceService, ctx, GOVERNANCE_READERS).approve(id, comment);
  }

  @Mutation(() => ChangeRequest)
  rejectChange(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
  ): Promise<ChangeRequest> {
    return serviceFor(GovernanceService, ctx, GOVERNANCE_READERS).reject(id, reason);
  }

  @Mutation(() => ChangeRequest, { description: 'Cancels your own pending or approved request.' })
  cancelChange(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<ChangeRequest> {
    return serviceFor(GovernanceService, ctx, GOVERNANCE_READERS).cancel(id);
  }

  @FieldResolver(() => [ChangeApproval], { description: 'Approvals and rejections, oldest first.' })
  votes(@Root() request: ChangeRequest, @Ctx() ctx: SubgraphContext): Promise<ChangeApproval[]> {
    return governanceLoaders(ctx).votesOfRequest.load(request.id);
  }

  @FieldResolver(() => Boolean, { description: 'Whether you may approve it now.' })
  async viewerCanApprove(@Root() request: ChangeRequest, @Ctx() ctx: SubgraphContext): Promise<boolean> {
    const loaders = governanceLoaders(ctx);
    return loaders.service.eligibility(request, await loaders.votesOfRequest.load(request.id)).canApprove;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Why you may not approve it (e.g. you requested it).',
  })
  async viewerCannotApproveReason(
    @Root() request: ChangeRequest,
    @Ctx() ctx: SubgraphContext,
  ): Promise<string | null> {
    const loaders = governanceLoaders(ctx);
    return loaders.service.eligibility(request, await loaders.votesOfRequest.load(request.id)).reason;
  }

  @FieldResolver(() => Int, { description: 'Approvals counted so far (four-eyes rules applied).' })
  async approvalCount(@Root() request: ChangeRequest, @Ctx() ctx: SubgraphContext): Promise<number> {
    const votes = await governanceLoaders(ctx).votesOfRequest.load(request.id);
    return new Set(
      votes.filter((v) => v.vote === 'APPROVE' && v.actor !== request.requestedBy).map((v) => v.actor),
    ).size;
  }
}

@Resolver(() => KillSwitch)
export class KillSwitchResolver {
  @Query(() => KillSwitchPage, {
    description: "The tenant's kill switches (every signed-in user: the banner).",
  })
  killSwitches(
    @Ctx() ctx: SubgraphContext,
    @Arg('activeOnly', () => Boolean, { defaultValue: true }) activeOnly: boolean,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<KillSwitch>> {
    return serviceFor(KillSwitchService, ctx, []).list(activeOnly, page);
  }

  @Mutation(() => KillSwitch, {
    description:
      'Stops side effects at once, no approval (ADMIN, COMPLIANCE); lifting it is a change request.',
  })
  activateKillSwitch(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => ActivateKillSwitchInput) input: ActivateKillSwitchInput,
  ): Promise<KillSwitch> {
    return serviceFor(KillSwitchService, ctx, KILL_SWITCH_ACTIVATORS).activate(input);
  }

  @FieldResolver(() => [KillSwitchPause], {
    description: 'The contracts this switch pauses on-chain and their transactions once mined (staff).',
  })
  onChainPauses(@Root() killSwitch: KillSwitch, @Ctx() ctx: SubgraphContext): Promise<KillSwitchPause[]> {
    return governanceLoaders(ctx).pausesOfKillSwitch.load(killSwitch.id);
  }
}

@Resolver(() => BreakGlassGrant)
export class BreakGlassResolver {
  @Query(() => BreakGlassGrantPage, { description: "The tenant's break-glass grants, newest first (staff)." })
  breakGlassGrants(
    @Ctx() ctx: SubgraphContext,
    @Arg('activeOnly', () => Boolean, { defaultValue: false }) activeOnly: boolean,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<BreakGlassGrant>> {
    return serviceFor(BreakGlassService, ctx, GOVERNANCE_READERS).list(activeOnly, page);
  }

  @Mutation(() => BreakGlassGrant, {
    description:
      'An emergency grant of one capability (ADMIN to anyone; anyone on staff to themselves, reviewed later).',
  })
  grantBreakGlass(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => GrantBreakGlassInput) input: GrantBreakGlassInput,
  ): Promise<BreakGlassGrant> {
    return serviceFor(BreakGlassService, ctx, GOVERNANCE_READERS).grant(input);
  }

  @Mutation(() => BreakGlassGrant, { description: 'The second-person review of a self-granted grant.' })
  reviewBreakGlass(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
    @Arg('comment', () => String) comment: string,
  ): Promise<BreakGlassGrant> {
    return serviceFor(BreakGlassService, ctx, BREAK_GLASS_REVIEWERS).review(id, comment);
  }
}

/** The change requests this subgraph adds to the deals subgraph's Deal. */
@Resolver(() => Deal)
export class DealChangeRequestsResolver {
  @FieldResolver(() => [ChangeRequest], { description: "The deal's change requests, newest first (staff)." })
  changeRequests(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<ChangeRequest[]> {
    return governanceLoaders(ctx).changeRequestsOfDeal.load(deal.id);
  }
}
