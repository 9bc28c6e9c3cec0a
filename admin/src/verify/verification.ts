/**
 * The verification the page runs, all of it in the auditor's browser: the bundle is read and
 * checked by `@tranche/verify` (the same code as `npm run audit:verify-bundle`), the proofs by
 * snarkjs against the committed verification keys, and the chain is read straight from the
 * JSON-RPC endpoint the auditor names. Nothing is asked of the platform's servers.
 */
import type { VerificationKey } from '@tranche/circuits/browser';
import { rpcChainReader, verifyBundle, type BundleReport, type RpcChainReader } from '@tranche/verify';

/** The committed verification keys (circuits/keys), loaded on first use. */
const KEY_FILES = import.meta.glob<VerificationKey>('../../../circuits/keys/*.vkey.json', {
  import: 'default',
});

let keys: Promise<Record<string, VerificationKey>> | null = null;

/** The verification keys by circuit instance name (`pool16`, …). */
export const verificationKeys = (): Promise<Record<string, VerificationKey>> => {
  keys ??= Promise.all(
    Object.entries(KEY_FILES).map(async ([path, load]) => {
      const name = /([^/]+)\.vkey\.json$/.exec(path)?.[1] ?? path;
      return [name, await load()] as const;
    }),
  ).then((entries) => Object.fromEntries(entries));
  return keys;
};

export interface VerificationRun {
  report: BundleReport;
  /** Wall time of the whole verification, in ms. */
  elapsedMs: number;
  /** The endpoint read, or null when the chain was not read. */
  rpcUrl: string | null;
  /** Why the chain could not be read, when it could not. */
  chainError: string | null;
}

/**
 * Verifies `archive` (an audit bundle's `.tar.gz`) against the chain at `rpcUrl` (none: the
 * on-chain checks are skipped, and the signer must be `expectedSigner`). Never throws for a bad
 * bundle or an unreachable chain: the report says what failed.
 */
export async function runVerification(
  archive: Uint8Array,
  rpcUrl: string | null,
  expectedSigner: string | null = null,
): Promise<VerificationRun> {
  const started = performance.now();
  let chain: RpcChainReader | null = null;
  let chainError: string | null = null;
  if (rpcUrl) {
    try {
      chain = await rpcChainReader(rpcUrl, 5_000);
    } catch (error) {
      chainError = `${rpcUrl} did not answer: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  try {
    const report = await verifyBundle(archive, {
      chain,
      expectedSigner,
      verificationKeys: await verificationKeys(),
      keepCurve: true,
    });
    if (chainError)
      report.checks.unshift({ status: 'FAIL', section: 'bundle', name: 'chain', detail: chainError });
    return {
      report: { ...report, ok: report.ok && !chainError },
      elapsedMs: performance.now() - started,
      rpcUrl: chain ? rpcUrl : null,
      chainError,
    };
  } finally {
    chain?.close();
  }
}
