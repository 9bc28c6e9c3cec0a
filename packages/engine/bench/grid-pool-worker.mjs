// Worker of the warm-pool grid benchmark: a long-lived thread, as in the distributions
// subgraph's projection pool. It prepares the deal it is given once (the pool keeps the last
// structure it prepared), then projects each share of scenarios it is sent and answers with
// their WALs.
import { parentPort, workerData } from 'node:worker_threads';

import { prepareDeal, projectPrepared } from '../dist/index.js';

const prepared = prepareDeal({ loans: workerData.loans }, workerData.rules);
parentPort.on('message', (scenarios) => {
  parentPort.postMessage(scenarios.map((s) => projectPrepared(prepared, s).classes.map((c) => c.wal)));
});
