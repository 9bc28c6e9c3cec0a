import type { Capability } from './capabilities.js';

/**
 * Queue tasks one subgraph enqueues for another (the graphile-worker queue is shared; a worker
 * only runs the tasks it registers). Their names and payloads live here so that neither subgraph
 * imports the other.
 */

/** The audit subgraph opens a change request a workflow asked for (e.g. a deal's review). */
export const OPEN_CHANGE_REQUEST_TASK = 'audit:open-change-request';

/** Who asked, as the change request records it (four-eyes compares `requestedBy`). */
export interface WorkflowRequester {
  subject: string;
  email?: string;
  clientId?: string;
  roles: string[];
}

export interface OpenChangeRequestPayload {
  /** The request's id, chosen by the workflow so it can refer to it before it exists. */
  id: string;
  tenantId: string;
  type: Capability;
  dealId: string | null;
  title: string;
  rationale: string;
  /** What the approval binds to: its canonical SHA-256 is the request's payload hash. */
  payload: unknown;
  requestedBy: WorkflowRequester;
}

/** The deals subgraph follows up on decided deal change requests (review, termination). */
export const DEAL_CHANGE_DECIDED_TASK = 'deals:change-decided';

/** The task told when a change request of a type is decided (approved, rejected, cancelled, expired). */
export const CHANGE_DECIDED_TASKS: Partial<Record<Capability, string>> = {
  'deal.issue': DEAL_CHANGE_DECIDED_TASK,
  'deal.terminate': DEAL_CHANGE_DECIDED_TASK,
};

export interface ChangeDecidedPayload {
  changeRequestId: string;
  tenantId: string;
  dealId: string | null;
}
