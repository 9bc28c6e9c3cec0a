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

/**
 * What the pool posts: a task, or the same task without its documents when the thread was last
 * sent this very structure (a grid's 25 scenarios would otherwise copy the collateral, 0.74 MB
 * for 10,000 loans, to the threads 25 times on the event loop's thread).
 */
export type ProjectionMessage =
  ProjectionTask | (Omit<ProjectionTask, 'rules' | 'collateral'> & { sameStructure: true });

/** The worker's answer: the projection, the engine's input issues, or an unexpected failure. */
export type ProjectionReply =
  | { ok: true; result: ProjectionResult }
  | { ok: true; projection: DealProjection }
  | { ok: false; issues: InputIssue[] }
  | { ok: false; message: string };

// Projections are batch work: on Linux a thread's nice value is its own, so this thread (at the
// lowest priority, 19) yields a busy core to the event loops (this subgraph's, the gateway's, the
// other subgraphs', PostgreSQL's) that answer short requests. Where the OS refuses, the thread
// just runs at normal priority.
try {
  setPriority(19);
} catch {
  // not permitted here: keep the default priority
}

// A grid asks for the same structure once per scenario: parsing and compiling 10,000 loans costs
// more than a fast scenario, so each thread keeps the documents it was last sent and the deal it
// last prepared from them.
let documents: { rules: string; collateral: string } | undefined;
let last: { rules: string; collateral: string; prepared: PreparedDeal } | undefined;

function project(message: ProjectionMessage): ProjectionReply {
  try {
    if (!('sameStructure' in message)) documents = { rules: message.rules, collateral: message.collateral };
    if (!documents) return { ok: false, message: 'no structure was sent to this projection thread' };
    if (!last || last.rules !== documents.rules || last.collateral !== documents.collateral) {
      last = undefined;
      const prepared = prepareDeal(JSON.parse(documents.collateral) as never, documents.rules);
      last = { ...documents, prepared };
    }
    const result = projectPrepared(last.prepared, message.scenario);
    // Shaped here, so only what the caller selected is copied back to the event loop's thread.
    return message.shape
      ? { ok: true, projection: toDealProjection(result, message.shape) }
      : { ok: true, result };
  } catch (err) {
    if (err instanceof EngineInputError) return { ok: false, issues: err.issues };
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on('message', (message: ProjectionMessage) => {
  parentPort?.postMessage(project(message));
});
