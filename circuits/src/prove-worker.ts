// SPDX-License-Identifier: GPL-3.0-or-later
// Worker thread: computes the witness and the Groth16 proof off the caller's event loop, relaying
// snarkjs' log lines as progress, and terminates snarkjs' curve so the worker can exit.
import { parentPort, workerData } from 'node:worker_threads';
import { groth16 } from 'snarkjs';
import { releaseCurve } from './verify.js';

interface ProveJob {
  input: Record<string, unknown>;
  wasmPath: string;
  zkeyPath: string;
}

const job = workerData as ProveJob;
const post = (msg: unknown): void => parentPort?.postMessage(msg);
const progress = (message: string): void => post({ kind: 'progress', message });

try {
  progress('witness');
  const { proof, publicSignals } = await groth16.fullProve(job.input, job.wasmPath, job.zkeyPath, {
    debug: progress,
    info: progress,
    warn: progress,
    error: progress,
  });
  post({ kind: 'result', proof, publicSignals });
} catch (err) {
  post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
} finally {
  await releaseCurve();
}
