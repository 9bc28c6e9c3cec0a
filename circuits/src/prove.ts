// SPDX-License-Identifier: GPL-3.0-or-later
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fork } from 'node:child_process';
import { instanceArtifacts } from './artifacts.js';
import { poolLeaves, poolRoot, type PoolLoan } from './commitment.js';
import { instanceForPool, type CircuitInstance } from './instances.js';
import {
  circuitInput,
  evaluatePool,
  type AttestationIds,
  type CovenantThresholds,
  type PoolMetrics,
} from './statements.js';
import type { Groth16Proof } from './verify.js';

/** Progress of a proof: the stage, and snarkjs' own step message while proving. */
export interface ProveProgress {
  readonly stage: 'commitment' | 'witness' | 'proving' | 'done';
  readonly message: string;
  readonly elapsedMs: number;
}

export interface ProveOptions {
  /** Circuit instance; default: the smallest that holds the pool (as at ingest). */
  readonly instance?: CircuitInstance;
  /** Witness generator and proving key; default: the instance's last build (`instanceArtifacts`). */
  readonly wasmPath?: string;
  readonly zkeyPath?: string;
  readonly onProgress?: (progress: ProveProgress) => void;
}

export interface PoolAttestation {
  /** The instance that produced the proof (its capacity selects the on-chain verifier). */
  readonly instance: CircuitInstance;
  readonly root: bigint;
  readonly proof: Groth16Proof;
  /** Decimal strings in PUBLIC_SIGNALS order. */
  readonly publicSignals: string[];
  readonly metrics: PoolMetrics;
}

/** Thrown before proving when the pool does not meet a covenant (no proof could exist). */
export class CovenantNotMetError extends Error {
  constructor(
    readonly covenant: 'delinquency' | 'waLtv' | 'minBalance',
    readonly metrics: PoolMetrics,
  ) {
    super(`pool does not meet the ${covenant} covenant`);
    this.name = 'CovenantNotMetError';
  }
}

function workerUrl(): URL {
  const sibling = new URL('./prove-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  // running from src/ (tests): use the compiled worker
  return new URL('../dist/prove-worker.js', import.meta.url);
}

/**
 * Proves that a pool meets its covenant thresholds, bound to the deal, period and the pool's Poseidon
 * root (the value anchored on-chain at ingest). Loans, salts and thresholds are validated first
 * (RangeError naming the field) and the covenants evaluated (CovenantNotMetError: no proof can exist);
 * the witness and proof are then computed in a separate prover process (see prove-worker.ts), so the
 * caller's event loop stays free,
 * with `onProgress` reporting each step. Takes seconds to a minute depending on the instance.
 *
 * @throws RangeError, CovenantNotMetError, or Error when the instance is not built or proving fails
 */
export async function provePoolAttestation(
  loans: readonly PoolLoan[],
  salts: readonly bigint[],
  thresholds: CovenantThresholds,
  ids: AttestationIds,
  options: ProveOptions = {},
): Promise<PoolAttestation> {
  const started = Date.now();
  const report = (stage: ProveProgress['stage'], message: string): void =>
    options.onProgress?.({ stage, message, elapsedMs: Date.now() - started });

  const instance = options.instance ?? instanceForPool(loans.length);
  if (loans.length > instance.capacity) {
    throw new RangeError(`${loans.length} loans exceed ${instance.name}'s capacity of ${instance.capacity}`);
  }
  report('commitment', 'computing the pool root');
  const root = await poolRoot(await poolLeaves(loans, salts), instance.capacity);
  const input = circuitInput(loans, salts, thresholds, ids, root, instance.capacity);
  const metrics = evaluatePool(loans, thresholds);
  if (!metrics.delinquencyOk) throw new CovenantNotMetError('delinquency', metrics);
  if (!metrics.waLtvOk) throw new CovenantNotMetError('waLtv', metrics);
  if (!metrics.minBalanceOk) throw new CovenantNotMetError('minBalance', metrics);

  const artifacts =
    options.wasmPath && options.zkeyPath
      ? { wasmPath: options.wasmPath, zkeyPath: options.zkeyPath }
      : instanceArtifacts(instance);

  const { proof, publicSignals } = await new Promise<{ proof: Groth16Proof; publicSignals: string[] }>(
    (resolvePromise, reject) => {
      const worker = fork(fileURLToPath(workerUrl()), [], { execArgv: [], serialization: 'advanced' });
      worker.send({ input, wasmPath: artifacts.wasmPath, zkeyPath: artifacts.zkeyPath });
      let settled = false;
      worker.on('message', (msg: WorkerMessage) => {
        if (msg.kind === 'progress') {
          report(msg.message === 'witness' ? 'witness' : 'proving', msg.message);
        } else if (msg.kind === 'result') {
          settled = true;
          resolvePromise({ proof: msg.proof, publicSignals: msg.publicSignals });
        } else {
          settled = true;
          reject(new Error(`proving failed: ${msg.message}`));
        }
      });
      worker.on('error', (err) => {
        settled = true;
        reject(err);
      });
      worker.on('exit', (code) => {
        if (!settled) reject(new Error(`prover worker exited with code ${code}`));
      });
    },
  );
  report('done', 'proof ready');
  return { instance, root, proof, publicSignals, metrics };
}

type WorkerMessage =
  | { kind: 'progress'; message: string }
  | { kind: 'result'; proof: Groth16Proof; publicSignals: string[] }
  | { kind: 'error'; message: string };
