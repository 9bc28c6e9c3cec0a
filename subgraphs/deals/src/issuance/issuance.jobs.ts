import { LockMode } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  chainDirectoryOf,
  deployDealSuite,
  Deployment,
  registerDealDocument,
  registerDealInRegistry,
  type DeploymentStep,
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
import { Deal, DealStatus } from '../deal/deal.entity.js';
import { DealDocument } from '../lifecycle/deal-document.entity.js';
import { REGISTER_DOCUMENTS_TASK, tranchesOfDeal } from '../lifecycle/lifecycle.service.js';
import { IssuanceTransaction } from './issuance-transaction.entity.js';
import { DeploymentStatus, Issuance } from './issuance.entity.js';
import { suiteParams } from './issuance.plan.js';
import { ISSUE_TASK } from './issuance.service.js';
import { TrancheToken } from './tranche-token.entity.js';

/** The system actor that deploys, in audit records. */
const ISSUING = { subject: 'deal-issuance', clientId: 'deal-issuance', roles: new Set<never>() };

/** The audit action the kill switches read a deal's on-chain footprint from (audit subgraph). */
export const DEAL_DEPLOYED_ACTION = 'deal.deployed';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The issuance domain's queue tasks. `deals:issue` deploys a deal's T-REX suite, registers the deal
 * and its documents in DealRegistry, then marks everything DEPLOYED and records `deal.deployed`
 * (with the tokens, for the kill switches). Every transaction is a keyed step under
 * `deal:<dealId>:…` in the subgraph's `chain_transaction` table, so a worker or chain node killed
 * mid-way resumes on the next attempt without sending anything twice; each mined step is recorded
 * (transaction, gas, address) as it lands, which is the progress the API shows. The gate is asked
 * first: a kill switch holds the deployment (it retries, then FAILS and is resumed by hand).
 * `deals:register-documents` registers documents added after issuance.
 */
export function issuanceJobs(orm: MikroORM, config: Config, logger: Logger, gate: Gate): JobSet {
  const directory = chainDirectoryOf(config, chainTransactionStore(orm) as IdempotencyStore);

  const issue: JobHandler = async (payload, ctx) => {
    const { issuanceId } = payload as { issuanceId: string };
    const em = orm.em.fork();
    const issuance = await em.findOne(Issuance, { id: issuanceId });
    if (!issuance || issuance.status === DeploymentStatus.DEPLOYED) return;
    issuance.attempts = ctx.attempt;
    try {
      gate.checkJob(issuance.tenantId, { capability: 'deal.issue', dealId: issuance.dealId });
      const deal = await em.findOneOrFail(Deal, { id: issuance.dealId });
      const tranches = await tranchesOfDeal(em, deal);
      const chain = await directory.connect(issuance.chainId);
      const operator = await chain.signer.getAddress();
      let seq = await em.count(IssuanceTransaction, { issuanceId });
      const onStep = async (step: DeploymentStep) => {
        // A stopping worker stops at the next mined step; the next attempt resumes from there.
        const name = step.key.slice(`deal:${deal.id}:`.length);
        const inserted = await em.getConnection().execute<{ id: string }[]>(
          `insert into "${orm.config.get('schema')}".issuance_transaction (id, tenant_id, issuance_id, seq, step, tx_hash, block_number, gas_used, contract_address, mined_at)
           values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict (issuance_id, step) do nothing returning id`,
          [
            issuance.tenantId,
            issuanceId,
            seq,
            name,
            step.txHash,
            step.blockNumber,
            step.gasUsed.toString(),
            step.contractAddress ?? null,
          ],
        );
        if (inserted.length) seq += 1;
        await em.nativeUpdate(Issuance, { id: issuanceId }, { stepsDone: seq });
        const token = /^suite:tranche:([^:]+):token$/.exec(name);
        if (token && step.contractAddress) {
          await em.nativeUpdate(
            TrancheToken,
            { issuanceId, symbol: token[1] },
            {
              address: step.contractAddress,
              deployTx: step.txHash,
              gasUsed: step.gasUsed.toString(),
              blockNumber: step.blockNumber,
            },
          );
        }
        if (ctx.signal.aborted) throw new Error('the worker is stopping: the deployment resumes later');
      };
      const d = new Deployment(chain.signer, chain.sender, `deal:${deal.id}`, { lastBlockNumber: 0, onStep });
      const suite = await deployDealSuite(
        d.scope('suite'),
        suiteParams(deal, tranches, chain.manifest, operator, issuance.startedAt),
      );
      if (ctx.signal.aborted) throw new Error('the worker is stopping: the deployment resumes later');
      const registration = await registerDealInRegistry(d, issuance.dealRegistry, {
        dealUuid: deal.id,
        metadataSha256: issuance.termsSha256,
        trancheTokens: suite.tranches.map((t) => t.token),
      });
      await registerDocuments(em, d, issuance, deal.id);

      await em.transactional(async (tx) => {
        const row = await tx.findOneOrFail(Issuance, { id: issuanceId });
        row.status = DeploymentStatus.DEPLOYED;
        row.identityRegistry = suite.identityRegistry;
        row.claimIssuer = suite.claimIssuer;
        row.registryTxHash = registration.txHash;
        row.error = null;
        row.finishedAt = new Date();
        row.stepsDone = Math.max(row.stepsDone, row.stepsTotal);
        const tokens = await tx.find(TrancheToken, { issuanceId });
        for (const token of tokens) {
          const deployed = suite.tranches.find((t) => t.symbol === token.symbol);
          token.status = DeploymentStatus.DEPLOYED;
          token.address = deployed?.token ?? token.address;
          token.compliance = deployed?.compliance ?? null;
        }
        const dealRow = await tx.findOneOrFail(
          Deal,
          { id: deal.id },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (dealRow.status === DealStatus.APPROVED) dealRow.status = DealStatus.DEPLOYED;
        dealRow.updatedAt = new Date();
        await recordAudit(
          tx,
          'deals',
          { ...ISSUING, tenantId: issuance.tenantId },
          {
            action: DEAL_DEPLOYED_ACTION,
            aggregateType: 'Deal',
            aggregateId: deal.id,
            payload: {
              chainId: issuance.chainId,
              dealRegistry: issuance.dealRegistry,
              onChainDealId: issuance.onChainDealId,
              identityRegistry: suite.identityRegistry,
              claimIssuer: suite.claimIssuer,
              registryTxHash: registration.txHash,
              tokens: tokens.map((t) => ({ trancheId: t.trancheId, symbol: t.symbol, address: t.address })),
            },
          },
        );
      });
      logger.info({ dealId: deal.id, chainId: issuance.chainId }, 'deal issued on-chain');
    } catch (err) {
      const last = ctx.attempt >= ctx.maxAttempts;
      await em.nativeUpdate(
        Issuance,
        { id: issuanceId },
        {
          error: messageOf(err),
          attempts: ctx.attempt,
          ...(last ? { status: DeploymentStatus.FAILED, finishedAt: new Date() } : {}),
        },
      );
      if (last) {
        await em.nativeUpdate(
          TrancheToken,
          { issuanceId, status: DeploymentStatus.DEPLOYING },
          {
            status: DeploymentStatus.FAILED,
          },
        );
      }
      throw err;
    }
  };

  const registerLater: JobHandler = async (payload) => {
    const { dealId } = payload as { dealId: string };
    const em = orm.em.fork();
    const issuance = await em.findOne(Issuance, { dealId, status: DeploymentStatus.DEPLOYED });
    if (!issuance) return; // not issued yet: issuance registers every document itself
    gate.checkJob(issuance.tenantId, { capability: 'deal.issue', dealId });
    const chain = await directory.connect(issuance.chainId);
    const d = new Deployment(chain.signer, chain.sender, `deal:${dealId}`);
    await registerDocuments(em, d, issuance, dealId);
  };

  return { handlers: { [ISSUE_TASK]: issue, [REGISTER_DOCUMENTS_TASK]: registerLater } };
}

/** Registers each of the deal's documents not registered yet, one keyed step each. */
async function registerDocuments(
  em: ReturnType<MikroORM['em']['fork']>,
  d: Deployment,
  issuance: Issuance,
  dealId: string,
): Promise<void> {
  const documents = await em.find(
    DealDocument,
    { deal: dealId, registeredTxHash: null },
    { orderBy: { createdAt: 'asc' } },
  );
  for (const document of documents) {
    const { txHash, blockNumber } = await registerDealDocument(d, issuance.dealRegistry, dealId, document);
    await em.nativeUpdate(
      DealDocument,
      { id: document.id },
      { registeredTxHash: txHash, registeredBlock: blockNumber },
    );
  }
}
