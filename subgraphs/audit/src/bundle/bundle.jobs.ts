import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config, JobHandler, JobSet, Logger } from '@tranche/platform';
import { Wallet } from 'ethers';
import { lazyChainConnection, operatorKeyOf } from '../anchor/chain-connection.js';
import { AuditBundle, BundleStatus } from './audit-bundle.entity.js';
import {
  BUILD_BUNDLE_TASK,
  BundleRefusedError,
  buildAuditBundle,
  type BuildBundleOptions,
} from './bundle.service.js';

/**
 * The bundle domain's queue task: builds one bundle's archive (`buildAuditBundle`) with the
 * platform key. With a chain configured, the anchors are those of its AuditAnchor deployment and
 * the key is the operator key (CHAIN_OPERATOR_KEY, the dev deployer on a local chain), so the
 * verifier can check the signer's OPERATOR_ROLE on-chain; without one, CHAIN_OPERATOR_KEY alone
 * signs and no event is anchored. A bundle too large to build fails at once; any other error
 * (database, chain unreachable) is retried with backoff and fails the bundle on the last attempt.
 * It asks no gate: exporting evidence changes nothing on-chain or in the business data, and an
 * incident (a kill switch) is when auditors need it most.
 */
export function bundleJobs(orm: MikroORM, config: Config, logger: Logger): JobSet {
  const connection = lazyChainConnection(orm, config);

  const platformKey = async (): Promise<Pick<BuildBundleOptions, 'target' | 'signer'>> => {
    if (config.CHAIN_RPC_URL) {
      const { chainId, manifest } = await connection();
      return {
        target: { chainId, contractAddress: manifest.contracts.auditAnchor.address },
        signer: new Wallet(operatorKeyOf(config, chainId)),
      };
    }
    if (config.CHAIN_OPERATOR_KEY) return { target: null, signer: new Wallet(config.CHAIN_OPERATOR_KEY) };
    throw new BundleRefusedError(
      'no platform key: set CHAIN_RPC_URL (anchors and key) or CHAIN_OPERATOR_KEY',
    );
  };

  const build: JobHandler = async (payload, ctx) => {
    const { bundleId } = payload as { bundleId: string };
    const fail = (error: string) =>
      orm.em
        .fork()
        .nativeUpdate(
          AuditBundle,
          { id: bundleId },
          { status: BundleStatus.FAILED, error, finishedAt: new Date() },
        );
    try {
      const built = await buildAuditBundle(orm.em.fork(), bundleId, {
        ...(await platformKey()),
        signal: ctx.signal,
      });
      if (built?.status === BundleStatus.READY)
        logger.info({ bundleId, sha256: built.sha256, events: built.eventCount }, 'audit bundle built');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof BundleRefusedError) {
        await fail(message);
        return;
      }
      if (ctx.attempt >= ctx.maxAttempts) await fail(message);
      else await orm.em.fork().nativeUpdate(AuditBundle, { id: bundleId }, { error: message });
      throw err;
    }
  };

  return { handlers: { [BUILD_BUNDLE_TASK]: build } };
}
