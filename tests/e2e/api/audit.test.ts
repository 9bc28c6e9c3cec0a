/**
 * The audit subgraph through the gateway (on a platform of this file's own): who may read the
 * audit trail and verify the ledger, and tenant isolation of audit events and of their chains.
 */
import { describe, expect, it } from 'vitest';
import { useSeededApi } from '../../support/api.js';
import { eventually, graphql } from '../../support/platform.js';

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

  it("verifies the caller's tenant's own chain: exactly its events, up to its own head", async () => {
    const q =
      '{ verifyAuditChain { valid checked headHash } auditEvents(page: { limit: 1 }) { total items { seq hash } } }';
    interface Result {
      verifyAuditChain: { valid: boolean; checked: number; headHash: string | null };
      auditEvents: { total: number; items: { seq: number; hash: string }[] };
    }
    const chainOf = async (email: string) =>
      // The writer links asynchronously: wait until both reads saw the same linked events.
      eventually(async () => {
        const res = await graphql<Result>(api.platform.gatewayUrl, q, {}, await api.token(email));
        const data = res.data;
        return data && data.verifyAuditChain.checked === data.auditEvents.total ? data : undefined;
      });
    const acme = await chainOf('auditor@acme.test');
    const borealis = await chainOf('auditor@borealis.test');
    for (const chain of [acme, borealis]) {
      expect(chain.verifyAuditChain.valid).toBe(true);
      expect(chain.auditEvents.total).toBeGreaterThan(0);
      // The newest event of the tenant's list is the head of the tenant's chain, at its length.
      expect(chain.auditEvents.items[0]).toEqual({
        seq: chain.auditEvents.total,
        hash: chain.verifyAuditChain.headHash,
      });
    }
    expect(acme.verifyAuditChain.headHash).not.toBe(borealis.verifyAuditChain.headHash);
  });
});
