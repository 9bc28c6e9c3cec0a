import { perRequest, serviceFor, type SubgraphContext } from '@tranche/platform';
import type { AuditEvent } from './audit-event.entity.js';
import { LEDGER_READERS, LedgerService } from './ledger.service.js';

/** The request's batched, tenant-scoped loaders of the audit ledger (readers only). */
export const ledgerLoaders = perRequest((ctx: SubgraphContext) => {
  const service = serviceFor(LedgerService, ctx, LEDGER_READERS);
  return {
    auditEvent: ctx.loaders.get<string, AuditEvent | null>('auditEvent', (ids) => service.getMany(ids)),
  };
});
