import type { MikroORM } from '@mikro-orm/postgresql';
import {
  chainDirectoryOf,
  CLAIM_TOPICS,
  Deployment,
  Identity__factory,
  registerInvestor,
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
import countries from 'i18n-iso-countries';
import { Investor, SanctionsStatus } from '../investor/investor.entity.js';
import { isKycCleared } from './eligibility.js';
import { Subscription, SubscriptionStatus } from './subscription.entity.js';
import { MINT_TASK, SubscriptionService } from './subscription.service.js';

/** The system actor that mints, in audit records. */
const MINTING = { subject: 'token-minting', clientId: 'token-minting', roles: new Set<never>() };

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The subscription domain's queue task: delivering an allocation. Asks the gate (`token.mint`: a
 * kill switch holds it), registers the investor's identity in the deal's identity registry (an
 * ONCHAINID with KYC, jurisdiction and — for an accredited-only deal — accreditation claims signed
 * by the platform's claim-issuer key, and the investor's country), then mints the allocated amount
 * to the investor's wallet. Each transaction is a keyed step (`kyc:investor:<registry>:<wallet>:…`,
 * `mint:<subscriptionId>`), so a re-run never registers or mints twice; the token's supply limit
 * module refuses anything beyond the tranche's original balance on-chain too.
 */
export function subscriptionJobs(orm: MikroORM, config: Config, logger: Logger, gate: Gate): JobSet {
  const directory = chainDirectoryOf(config, chainTransactionStore(orm) as IdempotencyStore);

  const mint: JobHandler = async (payload, ctx) => {
    const { subscriptionId } = payload as { subscriptionId: string };
    const em = orm.em.fork();
    const subscription = await em.findOne(Subscription, { id: subscriptionId });
    if (!subscription || subscription.status !== SubscriptionStatus.MINTING) return;
    try {
      gate.checkJob(subscription.tenantId, { capability: 'token.mint', dealId: subscription.dealId });
      const investor = await em.findOneOrFail(Investor, { id: subscription.investorId });
      const principal = { ...MINTING, tenantId: subscription.tenantId };
      // credentials may lapse (or a sanctions hit land) between allocation and delivery: mint nothing
      if (!isKycCleared(investor) || investor.sanctionsStatus !== SanctionsStatus.CLEAR) {
        await em.nativeUpdate(
          Subscription,
          { id: subscription.id },
          {
            status: SubscriptionStatus.FAILED,
            error: `the investor is no longer cleared (KYC ${investor.kycStatus}, sanctions ${investor.sanctionsStatus})`,
          },
        );
        return;
      }
      const tranche = await new SubscriptionService(em, principal).tranche(subscription.trancheId);
      if (
        !tranche?.token_address ||
        !tranche.identity_registry ||
        !tranche.claim_issuer ||
        tranche.chain_id == null
      )
        throw new Error('the tranche has no deployed token');
      const chain = await directory.connect(tranche.chain_id);
      const d = new Deployment(chain.signer, chain.sender, 'kyc');
      const country = Number(countries.alpha2ToNumeric(investor.jurisdiction));
      const topics = tranche.accredited_only
        ? [CLAIM_TOPICS.KYC, CLAIM_TOPICS.ACCREDITATION, CLAIM_TOPICS.JURISDICTION]
        : [CLAIM_TOPICS.KYC, CLAIM_TOPICS.JURISDICTION];
      // one ONCHAINID per investor and chain, deployed once (a keyed step), reused by every deal
      const chainKey = String(tranche.chain_id);
      const known = investor.onchainIdentities[chainKey];
      const own =
        known ??
        (
          await new Deployment(chain.signer, chain.sender, `onchainid:${investor.id}:${chainKey}`).create(
            'identity',
            new Identity__factory().getDeployTransaction(await chain.signer.getAddress(), false),
          )
        ).address;
      if (!known)
        await em.execute(
          `update investors.investor set onchain_identities = onchain_identities || jsonb_build_object(?::text, ?::text) where id = ?`,
          [chainKey, own, investor.id],
        );
      const identity = await registerInvestor(
        d,
        chain.signer,
        { identityRegistry: tranche.identity_registry, claimIssuer: tranche.claim_issuer },
        { wallet: subscription.wallet, country, topics, identity: own },
      );
      const token = Token__factory.connect(tranche.token_address);
      const minted = await chain.sender.send({
        idempotencyKey: `mint:${subscription.id}`,
        to: tranche.token_address,
        data: token.interface.encodeFunctionData('mint', [
          subscription.wallet,
          subscription.allocatedAmount!,
        ]),
      });
      await em.transactional(async (tx) => {
        const row = await tx.findOneOrFail(Subscription, { id: subscription.id });
        row.status = SubscriptionStatus.MINTED;
        row.identityAddress = identity;
        row.mintTxHash = minted.txHash;
        row.error = null;
        await recordAudit(tx, 'investors', principal, {
          action: 'token.minted',
          aggregateType: 'Subscription',
          aggregateId: row.id,
          payload: {
            investorId: row.investorId,
            trancheId: row.trancheId,
            token: tranche.token_address,
            wallet: row.wallet,
            amount: row.allocatedAmount!.toString(),
            identity,
            txHash: minted.txHash,
            chainId: tranche.chain_id,
          },
        });
      });
      logger.info({ subscriptionId, txHash: minted.txHash }, 'allocation minted');
    } catch (err) {
      const last = ctx.attempt >= ctx.maxAttempts;
      await em.nativeUpdate(
        Subscription,
        { id: subscriptionId },
        {
          error: messageOf(err),
          ...(last ? { status: SubscriptionStatus.FAILED } : {}),
        },
      );
      throw err;
    }
  };

  return { handlers: { [MINT_TASK]: mint } };
}
