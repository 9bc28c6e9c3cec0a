// SPDX-License-Identifier: GPL-3.0-or-later
// Worker process of poolCommitment / PoolCommitmentBuilder: answers jobs until disconnected — leaf
// hashes of a slice of loans, or the root over leaf hashes.
import { poolLeaves, poolRoot, type PoolLoan } from './commitment.js';

type Job =
  | { id: number; kind: 'leaves'; loans: PoolLoan[]; salts: bigint[]; offset: number }
  | { id: number; kind: 'root'; leaves: bigint[]; capacity: number };

process.on('message', (job: Job) => {
  void (async () => {
    try {
      const value =
        job.kind === 'leaves'
          ? await poolLeaves(job.loans, job.salts).catch((err: Error) => {
              // name the loan by its place in the whole pool, not in this slice
              throw new RangeError(
                err.message.replace(/loans\[(\d+)\]/, (_, i) => `loans[${Number(i) + job.offset}]`),
              );
            })
          : await poolRoot(job.leaves, job.capacity);
      process.send?.({ id: job.id, ok: true, value, maxRssKb: process.resourceUsage().maxRSS });
    } catch (err) {
      process.send?.({ id: job.id, ok: false, error: (err as Error).message });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
