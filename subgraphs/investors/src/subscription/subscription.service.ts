import { LockMode } from '@mikro-orm/core';
import {
  actorOf,
  claimChangeRequest,
  ConflictError,
  enqueueJob,
  isUuid,
  NotFoundError,
  TenantService,
  TOPOLOGY,
  ValidationError,
  type GateDecision,
  type Page,
  type PageRequest,
  type Role,
} from '@tranche/platform';
import { Investor, SanctionsStatus } from '../investor/investor.entity.js';
import { isAccredited, isKycCleared } from './eligibility.js';
import { Subscription, SubscriptionStatus } from './subscription.entity.js';

/** Who may subscribe on an investor's behalf and read subscriptions. */
export const SUBSCRIPTION_DESKS: readonly Role[] = ['COMPLIANCE', 'ARRANGER', 'ADMIN'];
/** Who allocates (the gate's `token.mint` roles). */
export const ALLOCATORS: readonly Role[] = ['ARRANGER', 'ADMIN'];

/** The queue task that registers the investor's identity and mints the allocation. */
export const MINT_TASK = 'investors:mint';

const DEALS = TOPOLOGY.subgraphs.deals.dbSchema;

/** A tranche as the deals subgraph publishes it, with its deal's restrictions. */
export interface PublishedTranche {
  tranche_id: string;
  deal_id: string;
  name: string;
  original_balance: string;
  token_address: string | null;
  token_status: string | null;
  chain_id: number | null;
  deal_status: string;
  accredited_only: boolean;
  allowed_countries: string[];
  minimum_investment: string | null;
  identity_registry: string | null;
  claim_issuer: string | null;
}

/** A new subscription. */
export interface NewSubscription {
  investorId: string;
  trancheId: string;
  amount: bigint;
}

/** What a `token.mint` approval binds to: this subscription, its wallet and amount. */
export function mintPayload(subscription: Pick<Subscription, 'id' | 'trancheId' | 'wallet'>, amount: bigint) {
  return {
    subscriptionId: subscription.id,
    trancheId: subscription.trancheId,
    wallet: subscription.wallet,
    amount: amount.toString(),
  };
}

/**
 * Subscriptions: an investor asks for an amount of a tranche; the deal's restrictions are checked
 * (issued, KYC cleared, a proven wallet, the investor's country allowed, accreditation when the deal
 * is accredited-only, the minimum investment); the arranger allocates through the gate
 * (`token.mint`, with an approved change request when the tenant's policy asks for one), never
 * beyond the tranche's original balance; a job then registers the investor's identity in the
 * deal's identity registry and mints.
 */
export class SubscriptionService extends TenantService {
  /** The tenant's subscriptions of a tranche (or all), newest first. */
  list(trancheId?: string | null, page?: PageRequest | null): Promise<Page<Subscription>> {
    return this.findPage(Subscription, trancheId ? { trancheId } : {}, { createdAt: 'desc' }, page);
  }

  /** The subscription, or null when unknown or another tenant's. */
  get(id: string): Promise<Subscription | null> {
    return this.findOwned(Subscription, id);
  }

  /** The published tranche with its deal's restrictions (tenant-scoped). */
  async tranche(trancheId: string): Promise<PublishedTranche | null> {
    if (!isUuid(trancheId)) return null;
    const [row] = await this.em.getConnection().execute<PublishedTranche[]>(
      `select t.tranche_id, t.deal_id, t.name, t.original_balance::text as original_balance, t.token_address,
              t.token_status, t.chain_id, d.status as deal_status, d.accredited_only, d.allowed_countries,
              d.minimum_investment::text as minimum_investment, d.identity_registry, d.claim_issuer
         from "${DEALS}".published_tranche t join "${DEALS}".published_deal d on d.deal_id = t.deal_id
        where t.tranche_id = ? and t.tenant_id = ?`,
      [trancheId, this.tenantId],
    );
    return row ?? null;
  }

  /**
   * Records a subscription once the deal's restrictions are met.
   *
   * @throws NotFoundError for an unknown investor or tranche; ValidationError naming each unmet
   *   restriction.
   */
  async subscribe(input: NewSubscription): Promise<Subscription> {
    const investor = await this.findOwned(Investor, input.investorId);
    if (!investor) throw new NotFoundError('Investor', input.investorId);
    const tranche = await this.tranche(input.trancheId);
    if (!tranche) throw new NotFoundError('Tranche', input.trancheId);
    const fields: Record<string, string> = {};
    if (tranche.token_status !== 'DEPLOYED' || !['DEPLOYED', 'ACTIVE'].includes(tranche.deal_status))
      fields.trancheId = `the deal is ${tranche.deal_status}: it takes subscriptions once its tokens are deployed`;
    if (!isKycCleared(investor)) fields.investorId = 'the investor’s KYC is not verified';
    if (!investor.walletAddress) fields.wallet = 'the investor has no proven wallet';
    if (investor.sanctionsStatus !== SanctionsStatus.CLEAR)
      fields.sanctions =
        investor.sanctionsStatus === SanctionsStatus.BLOCKED
          ? 'the investor is blocked by a sanctions hit pending review'
          : 'the investor has not been screened against the sanctions list';
    if (!tranche.allowed_countries.includes(investor.jurisdiction))
      fields.jurisdiction = `residents of ${investor.jurisdiction} may not hold this deal’s notes`;
    if (tranche.accredited_only && !isAccredited(investor))
      fields.accreditation = 'the deal is for accredited investors only';
    if (input.amount <= 0n) fields.amount = 'must be greater than 0';
    else if (tranche.minimum_investment && input.amount < BigInt(tranche.minimum_investment))
      fields.amount = `below the minimum investment of ${tranche.minimum_investment}`;
    else if (input.amount > BigInt(tranche.original_balance))
      fields.amount = `above the tranche's original balance of ${tranche.original_balance}`;
    if (Object.keys(fields).length) throw new ValidationError(fields);
    return this.em.transactional(async (tx) => {
      const subscription = tx.create(Subscription, {
        tenantId: this.tenantId,
        investorId: investor.id,
        dealId: tranche.deal_id,
        trancheId: tranche.tranche_id,
        amount: input.amount,
        wallet: investor.walletAddress!,
        requestedBy: actorOf(this.principal),
      });
      await this.audit(tx, {
        action: 'subscription.requested',
        aggregateType: 'Subscription',
        aggregateId: subscription.id,
        payload: { investorId: investor.id, trancheId: tranche.tranche_id, amount: input.amount.toString() },
      });
      return subscription;
    });
  }

  /**
   * Allocates `amount` of a REQUESTED (or FAILED, to resume) subscription: claims the approval the
   * gate checked (`decision`), checks the tranche is not over-allocated, and queues the mint.
   *
   * @throws NotFoundError; ValidationError for an amount beyond the request or the tranche;
   *   ConflictError for a subscription already minted or minting.
   */
  async allocate(id: string, amount: bigint, decision: GateDecision): Promise<Subscription> {
    return this.em.transactional(async (tx) => {
      const subscription = isUuid(id)
        ? await tx.findOne(
            Subscription,
            { id, tenantId: this.tenantId },
            { lockMode: LockMode.PESSIMISTIC_WRITE },
          )
        : null;
      if (!subscription) throw new NotFoundError('Subscription', id);
      if (subscription.status === SubscriptionStatus.FAILED && subscription.allocatedAmount === amount) {
        subscription.status = SubscriptionStatus.MINTING;
        subscription.error = null;
        await enqueueJob(
          tx,
          MINT_TASK,
          { subscriptionId: subscription.id },
          { jobKey: `${MINT_TASK}:${subscription.id}` },
        );
        return subscription;
      }
      if (subscription.status !== SubscriptionStatus.REQUESTED)
        throw new ConflictError(`the subscription is ${subscription.status}`);
      const fields: Record<string, string> = {};
      if (amount <= 0n || amount > subscription.amount)
        fields.amount = `between 1 and the ${subscription.amount} asked for`;
      // One allocation of a tranche at a time: its total never passes the original balance.
      await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`allocate:${subscription.trancheId}`]);
      const tranche = await this.tranche(subscription.trancheId);
      const [row] = await tx.execute<{ allocated: string }[]>(
        `select coalesce(sum(allocated_amount), 0)::text as allocated from "${this.schema}".subscription
          where tranche_id = ? and status in ('MINTING', 'MINTED', 'FAILED')`,
        [subscription.trancheId],
      );
      const remaining = BigInt(tranche?.original_balance ?? 0) - BigInt(row?.allocated ?? 0);
      if (amount > remaining) fields.amount = `only ${remaining} of the tranche remains to allocate`;
      if (Object.keys(fields).length) throw new ValidationError(fields);
      await claimChangeRequest(tx, decision);
      subscription.status = SubscriptionStatus.MINTING;
      subscription.allocatedAmount = amount;
      subscription.allocatedBy = actorOf(this.principal);
      subscription.changeRequestId = decision.changeRequest?.id ?? null;
      await this.audit(tx, {
        action: 'subscription.allocated',
        aggregateType: 'Subscription',
        aggregateId: subscription.id,
        payload: { amount: amount.toString(), changeRequestId: subscription.changeRequestId },
      });
      await tx.flush();
      await enqueueJob(
        tx,
        MINT_TASK,
        { subscriptionId: subscription.id },
        { jobKey: `${MINT_TASK}:${subscription.id}` },
      );
      return subscription;
    });
  }
}
