import type { SubgraphContext } from '@tranche/platform';
import { ledgerLoaders } from './ledger.loaders.js';

/** Federation references of the audit ledger: batched, tenant-scoped, audit readers only. */
export const ledgerReferences = {
  AuditEvent: (ref: { id: string }, ctx: SubgraphContext) => ledgerLoaders(ctx).auditEvent.load(ref.id),
};
