import { LockMode } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  AwsKmsKeyBackend,
  buildPayoutTree,
  chainDirectoryOf,
  DEV_ORACLE_KEYS,
  DistributionManager__factory,
  LOCAL_CHAIN_IDS,
  orderSignatures,
  RemoteSigner,
  type ConnectedChain,
  type IdempotencyStore,
  type Publication,
} from '@tranche/chain';
import { parseWaterfallRules } from '@tranche/engine';
import {
  chainTransactionStore,
  failpoint,
  recordAudit,
  type Config,
  type Gate,
  type JobHandler,
  type JobSet,
  type Logger,
  type Principal,
} from '@tranche/platform';
import { Wallet } from 'ethers';
import { DealWaterfallState, PayoutStatus, ServicerReport, TranchePayout } from './payout.entity.js';
import { Oracle, OracleDisagreement } from './payout.oracle.js';
import { reconcile, reconciliationEvidence } from './payout.reconcile.js';
import { EXECUTE_TASK, PayoutService } from './payout.service.js';

/** Daily: returns what holders left unclaimed after a deadline to the treasury. */
export const SWEEP_TASK = 'distributions:sweep';

const PAYING = { subject: 'distribution-payer', clientId: 'distribution-payer', roles: new Set<never>() };

/**
 * The k-of-n oracles of a chain, one per key: the AWS KMS keys of ORACLE_KMS_KEY_IDS (each through
 * a RemoteSigner, so no key leaves KMS), else the private keys of ORACLE_SIGNER_KEYS, else the
 * development oracles on a local chain. Their addresses must be DistributionManager's oracle signers
 * or `publish` reverts. Throws, naming the variables, when KMS keys are set without their region or
 * credentials, or when no oracle key is configured off a local chain (never the dev keys there).
 */
export function oraclesFor(config: Config, chain: ConnectedChain): Oracle[] {
  if (config.ORACLE_KMS_KEY_IDS) {
    const { ORACLE_KMS_REGION: region, AWS_ACCESS_KEY_ID: accessKeyId } = config;
    const { AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = config;
    if (!region || !accessKeyId || !secretAccessKey)
      throw new Error(
        'ORACLE_KMS_KEY_IDS is set: ORACLE_KMS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are required',
      );
    return config.ORACLE_KMS_KEY_IDS.map((keyId) => {
      const backend = new AwsKmsKeyBackend({
        keyId,
        region,
        endpoint: config.ORACLE_KMS_ENDPOINT,
        credentials: { accessKeyId, secretAccessKey, sessionToken },
      });
      return new Oracle(new RemoteSigner(backend, chain.provider), chain.provider);
    });
  }
  const keys =
    config.ORACLE_SIGNER_KEYS ?? (LOCAL_CHAIN_IDS.includes(chain.chainId) ? [...DEV_ORACLE_KEYS] : undefined);
  if (!keys)
    throw new Error(
      `no oracle keys for chain ${chain.chainId}: set ORACLE_KMS_KEY_IDS (AWS KMS) or ORACLE_SIGNER_KEYS`,
    );
  return keys.map((k) => new Oracle(new Wallet(k), chain.provider));
}

/**
 * The distributions' queue task: executes an approved distribution, tranche by tranche, each step a
 * keyed transaction (`payout:<payoutId>:fund|publish|batch:<n>`), so a run stopped anywhere — after
 * funding, after publishing, mid-batch, or with the node down — resumes without paying anyone twice
 * (and the contract refuses a second claim of an index regardless):
 * 1. have the oracles sign the publication — each recomputes the waterfall and the holders itself;
 *    one disagreement and nothing is funded or published (FAILED, with the oracle's reason);
 * 2. fund the escrow from the treasury with the payout's total;
 * 3. publish the Merkle root with the k signatures;
 * 4. push the claims to holders in batches of DISTRIBUTION_BATCH_SIZE;
 * 5. reconcile against the chain: RECONCILED when every holder's payment ties, EXECUTED with the
 *    differences otherwise (the next period is blocked); the deal's waterfall state advances.
 */
export function payoutJobs(orm: MikroORM, config: Config, logger: Logger, gate: Gate): JobSet {
  const directory = chainDirectoryOf(config, chainTransactionStore(orm) as IdempotencyStore);

  const execute: JobHandler = async (payload, ctx) => {
    const { reportId } = payload as { reportId: string };
    const em = orm.em.fork();
    const report = await em.findOne(ServicerReport, { id: reportId });
    if (!report || report.status !== PayoutStatus.APPROVED) return;
    const principal: Principal = { ...PAYING, tenantId: report.tenantId };
    const setProgress = (progress: number) =>
      em.fork().nativeUpdate(ServicerReport, { id: reportId }, { progress });
    try {
      gate.checkJob(report.tenantId, { capability: 'distribution.execute', dealId: report.dealId });
      const service = new PayoutService(em, principal);
      const payouts = (await service.payouts(report.id)).filter((p) => p.total > 0n);
      const inputs = await service.inputsOf(report);
      const digits = parseWaterfallRules(inputs.rules).currency.minorDigits;
      const steps =
        payouts.reduce((n, p) => n + 2 + Math.ceil(p.recipients / config.DISTRIBUTION_BATCH_SIZE), 0) || 1;
      let done = 0;
      let chain: ConnectedChain | undefined;
      for (const payout of payouts) {
        chain = await directory.connect(payout.chainId);
        const stablecoin = chain.manifest.contracts.stablecoin?.address;
        if (!stablecoin) throw new Error(`chain ${payout.chainId} has no stablecoin in its manifest`);
        const dmAddress = chain.manifest.contracts.distributionManager.address;
        const dm = DistributionManager__factory.connect(dmAddress, chain.provider);
        const send = (step: string, data: string) =>
          chain!.sender.send({ idempotencyKey: `payout:${payout.id}:${step}`, to: dmAddress, data });

        // 1. the oracles sign first: if they disagree, not a cent moves
        const publication: Publication = {
          distributionId: payout.distributionId,
          token: payout.token,
          stablecoin,
          merkleRoot: payout.merkleRoot,
          total: payout.total,
          recordBlock: BigInt(report.recordBlock!),
          claimDeadline: BigInt(Math.floor(payout.claimDeadline.getTime() / 1000)),
        };
        const onChain = await dm.distribution(payout.distributionId);
        let publishTx = payout.publishTx;
        if (onChain.publishedAt === 0n) {
          const oracles = oraclesFor(config, chain);
          const threshold = Number(await dm.oracleThreshold());
          const signatures: { signer: string; signature: string }[] = [];
          for (const oracle of oracles) {
            if (signatures.length >= threshold) break;
            signatures.push(
              await oracle.attest({
                inputs,
                classId: payout.classId,
                minorDigits: digits,
                fromBlock: payout.fromBlock,
                publication,
                chainId: chain.chainId,
                distributionManager: dmAddress,
              }),
            );
          }
          // 2. fund
          const funded = await send(
            'fund',
            dm.interface.encodeFunctionData('fund', [payout.distributionId, stablecoin, payout.total]),
          );
          failpoint('payout:after-fund');
          await em.nativeUpdate(TranchePayout, { id: payout.id }, { fundTx: funded.txHash });
          await setProgress(Math.floor((++done * 100) / steps));
          // 3. publish
          publishTx = (
            await send(
              'publish',
              dm.interface.encodeFunctionData('publish', [publication, orderSignatures(signatures)]),
            )
          ).txHash;
          failpoint('payout:after-publish');
          await em.nativeUpdate(TranchePayout, { id: payout.id }, { publishTx });
        } else done++;
        await setProgress(Math.floor((++done * 100) / steps));

        // 4. push claims in batches (each batch keyed; the contract skips what is already claimed)
        const tree = buildPayoutTree(
          payout.leaves.map(([, account, amount]) => ({ account, amount: BigInt(amount) })),
        );
        if (tree.root !== payout.merkleRoot)
          throw new Error(`payout ${payout.id}: its leaves no longer make its root`);
        const claims = tree.claims.filter((c) => c.amount > 0n);
        for (let i = 0, batch = 0; i < claims.length; i += config.DISTRIBUTION_BATCH_SIZE, batch++) {
          if (ctx.signal.aborted) throw new Error('the worker is stopping: the job resumes at this batch');
          const slice = claims.slice(i, i + config.DISTRIBUTION_BATCH_SIZE);
          await send(
            `batch:${batch}`,
            dm.interface.encodeFunctionData('batchClaimFor', [
              payout.distributionId,
              slice.map((c) => ({ index: c.index, account: c.account, amount: c.amount, proof: c.proof })),
            ]),
          );
          failpoint('payout:after-batch');
          await em.nativeUpdate(
            TranchePayout,
            { id: payout.id },
            { pushed: Math.min(i + slice.length, claims.length) },
          );
          await setProgress(Math.floor((++done * 100) / steps));
        }
      }

      // 5. reconcile, advance the deal's state
      const all = await new PayoutService(em.fork(), principal).payouts(report.id);
      const paid = all.filter((p) => p.total > 0n);
      const result = chain ? await reconcile(chain, paid) : { ties: true, tranches: [] };
      await orm.em.fork().transactional(async (tx) => {
        const row = await tx.findOneOrFail(
          ServicerReport,
          { id: report.id },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (row.status !== PayoutStatus.APPROVED) return;
        row.status = result.ties ? PayoutStatus.RECONCILED : PayoutStatus.EXECUTED;
        row.reconciliation = JSON.stringify(result);
        row.progress = 100;
        row.executedAt = new Date();
        row.error = null;
        for (const t of result.tranches)
          await tx.nativeUpdate(
            TranchePayout,
            { distributionId: t.distributionId },
            { paidTotal: BigInt(t.paid) },
          );
        const state = await tx.findOne(DealWaterfallState, { dealId: row.dealId });
        if (state) {
          state.period = row.period;
          state.state = row.nextState;
          state.reportId = row.id;
          state.updatedAt = new Date();
        } else
          tx.create(DealWaterfallState, {
            dealId: row.dealId,
            tenantId: row.tenantId,
            period: row.period,
            state: row.nextState,
            reportId: row.id,
          });
        await recordAudit(tx, 'distributions', principal, {
          action: result.ties ? 'distribution.reconciled' : 'distribution.executed_with_differences',
          aggregateType: 'ServicerReport',
          aggregateId: row.id,
          // the evidence auditors re-check against the chain (@tranche/verify)
          payload: chain
            ? { ...reconciliationEvidence(chain, row, paid, result) }
            : { dealId: row.dealId, period: row.period, tranches: [] },
        });
      });
      logger.info({ reportId, ties: result.ties }, 'distribution executed');
    } catch (err) {
      const disagreement = err instanceof OracleDisagreement;
      const last = disagreement || ctx.attempt >= ctx.maxAttempts;
      await em
        .fork()
        .nativeUpdate(
          ServicerReport,
          { id: reportId },
          { error: (err as Error).message, ...(last ? { status: PayoutStatus.FAILED } : {}) },
        );
      if (disagreement) {
        logger.error({ err, reportId }, 'oracles disagree: nothing published');
        return;
      }
      throw err;
    }
  };

  /**
   * Daily: each published payout past its claim deadline and not yet swept has what holders left
   * unclaimed returned to the treasury (`sweep`, a keyed step), recorded with the amount.
   */
  const sweep: JobHandler = async () => {
    const em = orm.em.fork();
    const due = await em.find(
      TranchePayout,
      { claimDeadline: { $lt: new Date() }, publishTx: { $ne: null }, sweptTx: null },
      { limit: 500 },
    );
    for (const payout of due) {
      try {
        gate.checkJob(payout.tenantId, { capability: 'distribution.execute' });
        const chain = await directory.connect(payout.chainId);
        const dmAddress = chain.manifest.contracts.distributionManager.address;
        const dm = DistributionManager__factory.connect(dmAddress, chain.provider);
        const onChain = await dm.distribution(payout.distributionId);
        if (BigInt((await chain.provider.getBlock('latest'))!.timestamp) <= onChain.claimDeadline) continue;
        const amount = onChain.funded - onChain.claimed;
        const sent = onChain.swept
          ? null
          : await chain.sender.send({
              idempotencyKey: `payout:${payout.id}:sweep`,
              to: dmAddress,
              data: dm.interface.encodeFunctionData('sweep', [payout.distributionId]),
            });
        await orm.em.fork().transactional(async (tx) => {
          await tx.nativeUpdate(
            TranchePayout,
            { id: payout.id },
            { sweptTx: sent?.txHash ?? 'already swept', swept: amount },
          );
          await recordAudit(
            tx,
            'distributions',
            { ...PAYING, tenantId: payout.tenantId },
            {
              action: 'distribution.swept',
              aggregateType: 'TranchePayout',
              aggregateId: payout.id,
              payload: {
                distributionId: payout.distributionId,
                amount: amount.toString(),
                txHash: sent?.txHash ?? null,
              },
            },
          );
        });
      } catch (err) {
        logger.warn({ err, payoutId: payout.id }, 'sweep deferred');
      }
    }
  };

  return {
    handlers: { [EXECUTE_TASK]: execute, [SWEEP_TASK]: sweep },
    crontab: `30 3 * * * ${SWEEP_TASK}`,
  };
}
