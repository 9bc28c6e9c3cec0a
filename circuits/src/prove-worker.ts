// SPDX-License-Identifier: GPL-3.0-or-later
// Prover process: computes the witness and the Groth16 proof off the caller's event loop, relaying
// snarkjs' log lines as progress, then terminates snarkjs' curve so the process exits.
//
// A child process rather than a worker_thread: snarkjs (ffjavascript) starts its own pool of worker
// threads through the `web-worker` shim, which cannot create workers from inside a worker_thread, so
// a thread would either fail or be limited to one core.
import { groth16 } from 'snarkjs';
import { releaseCurve } from './verify.js';

interface ProveJob {
  input: Record<string, unknown>;
  wasmPath: string;
  zkeyPath: string;
}

const post = (msg: unknown): void => {
  process.send?.(msg);
};
const progress = (message: string): void => post({ kind: 'progress', message });

process.once('message', (job: ProveJob) => {
  void (async () => {
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
      process.disconnect?.();
    }
  })();
});
