import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import {
  EngineInputError,
  prepareDeal,
  projectPrepared,
  type InputIssue,
  type PreparedDeal,
  type ProjectionResult,
  type ScenarioInput,
} from '@tranche/engine';
import { toDealProjection, type ProjectionShape } from './projection.result.js';
import type { DealProjection } from './projection.types.js';

/** One scenario of one deal structure (the stored JSON documents, as saved). */
export interface ProjectionTask {
  rules: string;
  collateral: string;
  scenario: ScenarioInput;
  /** Answer in the API's shape, with only these per-period lists (else the engine's result). */
  shape?: ProjectionShape;
}

/** The worker's answer: the projection, the engine's input issues, or an unexpected failure. */
export type ProjectionReply =
  | { ok: true; result: ProjectionResult }
  | { ok: true; projection: DealProjection }
  | { ok: false; issues: InputIssue[] }
  | { ok: false; message: string };

// Projections are batch work: on Linux a thread's nice value is its own, so this thread yields a
// busy core to the event loops (this subgraph's, the gateway's, the other subgraphs') that answer
// short requests. Where the OS refuses, the thread just runs at normal priority.
try {
  setPriority(10);
} catch {
  // not permitted here: keep the default priority
}

// A grid sends the same structure once per scenario: parsing and compiling 10,000 loans costs
// more than a fast scenario, so each thread keeps the last structure it prepared.
let last: { rules: string; collateral: string; prepared: PreparedDeal } | undefined;

function project(task: ProjectionTask): ProjectionReply {
  try {
    if (!last || last.rules !== task.rules || last.collateral !== task.collateral) {
      last = undefined;
      const prepared = prepareDeal(JSON.parse(task.collateral) as never, task.rules);
      last = { rules: task.rules, collateral: task.collateral, prepared };
    }
    const result = projectPrepared(last.prepared, task.scenario);
    // Shaped here, so only what the caller selected is copied back to the event loop's thread.
    return task.shape ? { ok: true, projection: toDealProjection(result, task.shape) } : { ok: true, result };
  } catch (err) {
    if (err instanceof EngineInputError) return { ok: false, issues: err.issues };
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on('message', (task: ProjectionTask) => {
  parentPort?.postMessage(project(task));
});
