/**
 * The audit subgraph through the gateway (on a platform of this file's own): who may read the
 * audit trail and verify the ledger, and tenant isolation of audit events.
 */
import { describe, expect, it } from 'vitest';
import { useSeededApi } from '../../support/api.js';
import { graphql } from '../../support/platform.js';

const api = useSeededApi();

describe('the audit trail', () => {
  it('forbids a servicer from reading the audit trail', async () => {
    const audit = await graphql(
      api.platform.gatewayUrl,
      '{ auditEvents { total } }',
      {},
      await api.token('servicer@acme.test'),
    );
    expect(audit.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('forbids a compliance officer from verifying the chain but lets an auditor', async () => {
    const q = '{ verifyAuditChain { valid } }';
    const denied = await graphql(api.platform.gatewayUrl, q, {}, await api.token('compliance@acme.test'));
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const allowed = await graphql<{ verifyAuditChain: { valid: boolean } }>(
      api.platform.gatewayUrl,
      q,
      {},
      await api.token('auditor@acme.test'),
    );
    expect(allowed.data?.verifyAuditChain.valid).toBe(true);
  });

  it("hides another tenant's audit events", async () => {
    const audit = await graphql<{ auditEvents: { total: number } }>(
      api.platform.gatewayUrl,
      'query($id: String) { auditEvents(filter: { aggregateId: $id }) { total } }',
      { id: api.acmeDealId },
      await api.token('auditor@borealis.test'),
    );
    expect(audit.data?.auditEvents.total).toBe(0);
  });
});
