import {
  actorOf,
  claimChangeRequest,
  enqueueJob,
  NotFoundError,
  TenantService,
  ValidationError,
  type GateDecision,
  type Page,
  type PageRequest,
  type Role,
} from '@tranche/platform';
import { getAddress, isAddress } from 'ethers';
import { SubscriptionService } from '../subscription/subscription.service.js';
import { TokenAction, TokenActionKind } from './token-action.entity.js';

/** Who may act on tokens (the gate's `token.transfer` roles) and read the actions. */
export const TOKEN_OFFICERS: readonly Role[] = ['COMPLIANCE', 'ADMIN'];

/** The queue task that executes an approved token action on-chain. */
export const TOKEN_ACTION_TASK = 'investors:token-action';

/** A token action to take. */
export interface NewTokenAction {
  kind: TokenActionKind;
  trancheId: string;
  wallet: string;
  toWallet?: string | null;
  amount?: bigint | null;
}

const NEEDS_AMOUNT = [
  TokenActionKind.FREEZE_PARTIAL,
  TokenActionKind.UNFREEZE_PARTIAL,
  TokenActionKind.FORCED_TRANSFER,
];
const NEEDS_TARGET = [TokenActionKind.FORCED_TRANSFER, TokenActionKind.RECOVERY];

/** What a `token.transfer` approval binds to: the action exactly as it will run. */
export function tokenActionPayload(input: NewTokenAction) {
  return {
    kind: input.kind,
    trancheId: input.trancheId,
    wallet: isAddress(input.wallet) ? getAddress(input.wallet) : input.wallet,
    toWallet:
      input.toWallet && isAddress(input.toWallet) ? getAddress(input.toWallet) : (input.toWallet ?? null),
    amount: input.amount?.toString() ?? null,
  };
}

/**
 * Compliance operations on a tranche token (T-REX's agent functions): freeze and unfreeze, whole or
 * partial, forced transfer, and wallet recovery. Each is gated (`token.transfer`, which the default
 * policy routes to a HIGH-risk approval bound to the action), claimed once, audited, and executed by
 * a job; the holdings follow from the Transfer events it causes.
 */
export class TokenOpsService extends TenantService {
  /** The tenant's actions on a tranche's token (or all), newest first. */
  list(trancheId?: string | null, page?: PageRequest | null): Promise<Page<TokenAction>> {
    return this.findPage(TokenAction, trancheId ? { trancheId } : {}, { createdAt: 'desc' }, page);
  }

  /**
   * Records an approved action and queues it.
   *
   * @throws NotFoundError for an unknown tranche; ValidationError for a bad wallet or amount.
   */
  async request(input: NewTokenAction, decision: GateDecision): Promise<TokenAction> {
    const tranche = await new SubscriptionService(this.em, this.principal).tranche(input.trancheId);
    if (!tranche) throw new NotFoundError('Tranche', input.trancheId);
    const fields: Record<string, string> = {};
    if (!isAddress(input.wallet)) fields.wallet = 'not an address';
    if (NEEDS_TARGET.includes(input.kind) && !(input.toWallet && isAddress(input.toWallet)))
      fields.toWallet = `a ${input.kind} needs the wallet it goes to`;
    if (NEEDS_AMOUNT.includes(input.kind) && !(input.amount && input.amount > 0n))
      fields.amount = `a ${input.kind} needs an amount greater than 0`;
    if (!tranche.token_address) fields.trancheId = 'the tranche has no deployed token';
    if (Object.keys(fields).length) throw new ValidationError(fields);
    const payload = tokenActionPayload(input);
    return this.em.transactional(async (tx) => {
      await claimChangeRequest(tx, decision);
      const action = tx.create(TokenAction, {
        tenantId: this.tenantId,
        kind: input.kind,
        dealId: tranche.deal_id,
        trancheId: tranche.tranche_id,
        wallet: payload.wallet,
        toWallet: payload.toWallet,
        amount: input.amount ?? null,
        changeRequestId: decision.changeRequest?.id ?? null,
        requestedBy: actorOf(this.principal),
      });
      await this.audit(tx, {
        action: 'token.action_requested',
        aggregateType: 'TokenAction',
        aggregateId: action.id,
        payload: { ...payload, changeRequestId: action.changeRequestId },
      });
      await tx.flush();
      await enqueueJob(
        tx,
        TOKEN_ACTION_TASK,
        { actionId: action.id },
        { jobKey: `${TOKEN_ACTION_TASK}:${action.id}` },
      );
      return action;
    });
  }
}
