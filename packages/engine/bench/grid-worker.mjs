// Worker of the grid benchmark: prepares the deal once, projects its share of the scenarios and
// returns only their WALs (the engine's time, not the cost of copying 25 results back).
import { parentPort, workerData } from 'node:worker_threads';

import { prepareDeal, projectPrepared } from '../dist/index.js';

const { loans, rules, scenarios } = workerData;
const prepared = prepareDeal({ loans }, rules);
const wals = scenarios.map((s) => projectPrepared(prepared, s).classes.map((c) => c.wal));
parentPort.postMessage(wals);
