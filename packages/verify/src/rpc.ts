// Reading the chain for the verifier over any JSON-RPC endpoint the auditor chooses (in the page,
// straight from the browser: the endpoint must allow cross-origin requests, as Hardhat's and
// hosted providers' do).
import {
  AuditAnchor__factory,
  DealRegistry__factory,
  DistributionManager__factory,
  PoolAttestationVerifier__factory,
} from '@tranche/chain/browser';
import { isError, JsonRpcProvider, Network } from 'ethers';
import type { BundleChainReader, ClaimLog, RangeAnchoredLog } from './verify-bundle.js';

/** A JSON-RPC chain reader for {@link verifyBundle}; `close()` releases the connection. */
export interface RpcChainReader extends BundleChainReader {
  close(): void;
}

/**
 * Reads AuditAnchor over JSON-RPC at `rpcUrl`. The chain id is asked once up front (with a
 * timeout), so an unreachable endpoint fails at once rather than retrying forever.
 *
 * @throws Error when the endpoint does not answer `eth_chainId`.
 */
export async function rpcChainReader(rpcUrl: string, timeoutMs = 10_000): Promise<RpcChainReader> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { result?: string };
  if (!body.result) throw new Error(`${rpcUrl} did not answer eth_chainId`);
  const chainId = Number(BigInt(body.result));
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: Network.from(chainId) });
  const iface = AuditAnchor__factory.createInterface();
  return {
    chainId: async () => chainId,
    anchorAt: async (contract, ledgerId, index) => {
      if ((await provider.getCode(contract)) === '0x') return null;
      const count = await AuditAnchor__factory.connect(contract, provider).anchorCount(ledgerId);
      if (BigInt(index) >= count) return null;
      const a = await AuditAnchor__factory.connect(contract, provider).anchorAt(ledgerId, index);
      return { merkleRoot: a.merkleRoot, firstSeq: Number(a.firstSeq), lastSeq: Number(a.lastSeq) };
    },
    transaction: async (txHash) => {
      const receipt = await provider.getTransactionReceipt(txHash);
      if (!receipt) return null;
      const logs: RangeAnchoredLog[] = [];
      for (const log of receipt.logs) {
        const parsed = (() => {
          try {
            return iface.parseLog(log);
          } catch {
            return null;
          }
        })();
        if (parsed?.name !== 'RangeAnchored') continue;
        logs.push({
          contract: log.address,
          ledgerId: String(parsed.args.ledgerId),
          index: Number(parsed.args.index as bigint),
          root: String(parsed.args.merkleRoot),
          firstSeq: Number(parsed.args.firstSeq as bigint),
          lastSeq: Number(parsed.args.lastSeq as bigint),
        });
      }
      return { blockNumber: receipt.blockNumber, succeeded: receipt.status === 1, logs };
    },
    isOperator: async (contract, account) => {
      if ((await provider.getCode(contract)) === '0x') return false;
      const anchor = AuditAnchor__factory.connect(contract, provider);
      return anchor.hasRole(await anchor.OPERATOR_ROLE(), account);
    },
    datasetRoot: async (registry, dealId, period) => {
      if ((await provider.getCode(registry)) === '0x') return null;
      const r = DealRegistry__factory.connect(registry, provider);
      if (!(await r.isDatasetAnchored(dealId, period))) return null;
      return (await r.datasetAnchor(dealId, period)).poseidonRoot;
    },
    attestationAt: async (verifier, dealId, period) => {
      if ((await provider.getCode(verifier)) === '0x') return null;
      const v = PoolAttestationVerifier__factory.connect(verifier, provider);
      if (!(await v.isAttested(dealId, period))) return null;
      const a = await v.attestation(dealId, period);
      return {
        poolRoot: a.poolRoot,
        capacity: Number(a.capacity),
        thresholds: {
          maxDelinquencyBps: Number(a.thresholds.maxDelinquencyBps),
          delinquencyDays: Number(a.thresholds.delinquencyDays),
          maxWaLtvBps: Number(a.thresholds.maxWaLtvBps),
          minBalance: a.thresholds.minBalance,
        },
      };
    },
    distributionAt: async (manager, distributionId) => {
      if ((await provider.getCode(manager)) === '0x') return null;
      try {
        const d = await DistributionManager__factory.connect(manager, provider).distribution(distributionId);
        if (d.publishedAt === 0n) return null;
        return {
          token: d.token,
          merkleRoot: d.merkleRoot,
          total: d.total,
          funded: d.funded,
          claimed: d.claimed,
          swept: d.swept,
        };
      } catch (err) {
        if (isError(err, 'CALL_EXCEPTION')) return null;
        throw err;
      }
    },
    claims: async (manager, distributionId, fromBlock) => {
      const dm = DistributionManager__factory.connect(manager, provider);
      const logs = await dm.queryFilter(dm.filters.PayoutClaimed(distributionId), fromBlock);
      return logs.map((e): ClaimLog => ({
        index: Number(e.args.index),
        account: e.args.account,
        amount: e.args.amount,
      }));
    },
    close: () => provider.destroy(),
  };
}
