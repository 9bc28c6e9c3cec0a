import type { MikroORM } from '@mikro-orm/postgresql';
import {
  chainDirectoryOf,
  CLAIM_TOPICS,
  IdentityRegistry__factory,
  Identity__factory,
  Token__factory,
  type IdempotencyStore,
} from '@tranche/chain';
import {
  chainTransactionStore,
  recordAudit,
  type Config,
  type Gate,
  type JobHandler,
  type JobSet,
  type Logger,
} from '@tranche/platform';
import { AbiCoder, keccak256, ZeroAddress } from 'ethers';
import { SubscriptionService } from '../subscription/subscription.service.js';
import { TokenAction, TokenActionKind, TokenActionStatus } from './token-action.entity.js';
import { TOKEN_ACTION_TASK } from './tokenops.service.js';

const OFFICER = { subject: 'token-operations', clientId: 'token-operations', roles: new Set<never>() };
/** ONCHAINID key purpose 1: management (T-REX recovery requires the new wallet to hold it). */
const MANAGEMENT = 1n;
const ECDSA = 1n;

/**
 * The token operations' queue task: executes an approved action with the platform's agent key,
 * keyed `token-action:<id>[:…]` so a re-run never acts twice. A recovery first adds the new wallet
 * as a management key of the investor's ONCHAINID (the platform manages it), as T-REX requires.
 */
export function tokenOpsJobs(orm: MikroORM, config: Config, logger: Logger, gate: Gate): JobSet {
  const directory = chainDirectoryOf(config, chainTransactionStore(orm) as IdempotencyStore);

  const run: JobHandler = async (payload, ctx) => {
    const { actionId } = payload as { actionId: string };
    const em = orm.em.fork();
    const action = await em.findOne(TokenAction, { id: actionId });
    if (!action || action.status !== TokenActionStatus.PENDING) return;
    try {
      gate.checkJob(action.tenantId, { capability: 'token.transfer', dealId: action.dealId });
      const principal = { ...OFFICER, tenantId: action.tenantId };
      const tranche = await new SubscriptionService(em, principal).tranche(action.trancheId);
      if (!tranche?.token_address || tranche.chain_id == null)
        throw new Error('the tranche has no deployed token');
      const chain = await directory.connect(tranche.chain_id);
      const token = Token__factory.connect(tranche.token_address);
      const amount = action.amount ?? 0n;
      const send = (suffix: string, to: string, data: string) =>
        chain.sender.send({ idempotencyKey: `token-action:${action.id}${suffix}`, to, data });
      const call = (fn: string, args: unknown[]) =>
        token.interface.encodeFunctionData(fn as never, args as never);
      let txHash: string;
      switch (action.kind) {
        case TokenActionKind.FREEZE:
        case TokenActionKind.UNFREEZE:
          txHash = (
            await send(
              '',
              tranche.token_address,
              call('setAddressFrozen', [action.wallet, action.kind === TokenActionKind.FREEZE]),
            )
          ).txHash;
          break;
        case TokenActionKind.FREEZE_PARTIAL:
          txHash = (
            await send('', tranche.token_address, call('freezePartialTokens', [action.wallet, amount]))
          ).txHash;
          break;
        case TokenActionKind.UNFREEZE_PARTIAL:
          txHash = (
            await send('', tranche.token_address, call('unfreezePartialTokens', [action.wallet, amount]))
          ).txHash;
          break;
        case TokenActionKind.FORCED_TRANSFER:
          txHash = (
            await send(
              '',
              tranche.token_address,
              call('forcedTransfer', [action.wallet, action.toWallet, amount]),
            )
          ).txHash;
          break;
        case TokenActionKind.REVOKE_CLAIMS: {
          if (!tranche.identity_registry || !tranche.claim_issuer)
            throw new Error('the tranche has no identity registry');
          const registry = IdentityRegistry__factory.connect(tranche.identity_registry, chain.provider);
          const identity = await registry.identity(action.wallet);
          if (identity === ZeroAddress) {
            txHash = '';
            break;
          }
          const onchainId = Identity__factory.connect(identity, chain.provider);
          let last = '';
          for (const topic of Object.values(CLAIM_TOPICS)) {
            const claimId = keccak256(
              AbiCoder.defaultAbiCoder().encode(['address', 'uint256'], [tranche.claim_issuer, topic]),
            );
            const claim = await onchainId.getClaim(claimId);
            if (claim.issuer === ZeroAddress) continue;
            last = (
              await send(
                `:claim:${topic.toString()}`,
                identity,
                onchainId.interface.encodeFunctionData('removeClaim', [claimId]),
              )
            ).txHash;
          }
          txHash = last;
          break;
        }
        case TokenActionKind.RECOVERY: {
          const registry = IdentityRegistry__factory.connect(tranche.identity_registry!, chain.provider);
          const identity = await registry.identity(action.wallet);
          const key = keccak256(AbiCoder.defaultAbiCoder().encode(['address'], [action.toWallet]));
          const onchainId = Identity__factory.connect(identity, chain.provider);
          if (!(await onchainId.keyHasPurpose(key, MANAGEMENT))) {
            await send(
              ':identity-key',
              identity,
              onchainId.interface.encodeFunctionData('addKey', [key, MANAGEMENT, ECDSA]),
            );
          }
          txHash = (
            await send(
              '',
              tranche.token_address,
              call('recoveryAddress', [action.wallet, action.toWallet, identity]),
            )
          ).txHash;
          break;
        }
      }
      await em.transactional(async (tx) => {
        const row = await tx.findOneOrFail(TokenAction, { id: action.id });
        row.status = TokenActionStatus.DONE;
        row.txHash = txHash || null;
        row.error = null;
        await recordAudit(tx, 'investors', principal, {
          action: 'token.action_executed',
          aggregateType: 'TokenAction',
          aggregateId: row.id,
          payload: {
            kind: row.kind,
            token: tranche.token_address,
            wallet: row.wallet,
            toWallet: row.toWallet,
            amount: row.amount?.toString() ?? null,
            txHash,
          },
        });
      });
      logger.info({ actionId, kind: action.kind, txHash }, 'token action executed');
    } catch (err) {
      const last = ctx.attempt >= ctx.maxAttempts;
      await em.nativeUpdate(
        TokenAction,
        { id: actionId },
        {
          error: err instanceof Error ? err.message : String(err),
          ...(last ? { status: TokenActionStatus.FAILED } : {}),
        },
      );
      throw err;
    }
  };
  return { handlers: { [TOKEN_ACTION_TASK]: run } };
}
