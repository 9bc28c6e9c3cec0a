import type { EntityManager } from '@mikro-orm/postgresql';
import { actorOf, enqueueJob, recordAudit, TOPOLOGY, type Principal } from '@tranche/platform';
import { TokenAction, TokenActionKind } from './token-action.entity.js';
import { TOKEN_ACTION_TASK } from './tokenops.service.js';

const SCHEMA = TOPOLOGY.subgraphs.investors.dbSchema;
const DEALS = TOPOLOGY.subgraphs.deals.dbSchema;

/** Why the platform restricts an investor on-chain by itself. */
export type RestrictionReason = 'SANCTIONS_HIT' | 'KYC_EXPIRED' | 'ACCREDITATION_EXPIRED';

/**
 * Restricts an investor on every deployed tranche token they are registered for or hold: each wallet
 * is frozen (it can neither send nor receive) and the platform's claims are removed from its
 * ONCHAINID (the identity registry no longer verifies it). Records one token action per token and
 * kind (reason given, no approval: a protective measure the policy takes itself) in `tx`, the
 * transaction of the status change that calls for it, and queues each; the token-action job sends
 * them, keyed by action, so a re-run sends nothing twice. Returns the actions.
 */
export async function restrictInvestorOnChain(
  tx: EntityManager,
  principal: Principal,
  investorId: string,
  reason: RestrictionReason,
): Promise<TokenAction[]> {
  const positions = await tx.execute<{ tranche_id: string; wallet: string }[]>(
    `select distinct s.tranche_id, s.wallet from "${SCHEMA}".subscription s
      where s.tenant_id = ? and s.investor_id = ? and s.status in ('MINTING', 'MINTED')
     union
     select distinct t.tranche_id, i.wallet_address from "${SCHEMA}".investor i
       join "${SCHEMA}".token_transfer t on t.tenant_id = i.tenant_id and lower(t.to_address) = lower(i.wallet_address)
      where i.tenant_id = ? and i.id = ? and i.wallet_address is not null`,
    [principal.tenantId, investorId, principal.tenantId, investorId],
  );
  if (!positions.length) return [];
  // the deployed tokens among them, from what the deals subgraph publishes
  const deployed = await tx.execute<{ tranche_id: string; deal_id: string }[]>(
    `select tranche_id, deal_id from "${DEALS}".published_tranche
      where tenant_id = ? and token_address is not null
        and tranche_id = any(string_to_array(?, ',')::uuid[])`,
    [principal.tenantId, [...new Set(positions.map((p) => p.tranche_id))].join(',')],
  );
  const dealOf = new Map(deployed.map((d) => [d.tranche_id, d.deal_id]));
  const targets = positions
    .filter((p) => dealOf.has(p.tranche_id))
    .map((p) => ({ ...p, deal_id: dealOf.get(p.tranche_id)! }))
    .sort((a, b) => `${a.tranche_id}${a.wallet}`.localeCompare(`${b.tranche_id}${b.wallet}`));
  const actions: TokenAction[] = [];
  for (const target of targets) {
    for (const kind of [TokenActionKind.FREEZE, TokenActionKind.REVOKE_CLAIMS]) {
      actions.push(
        tx.create(TokenAction, {
          tenantId: principal.tenantId,
          kind,
          dealId: target.deal_id,
          trancheId: target.tranche_id,
          wallet: target.wallet,
          requestedBy: actorOf(principal),
          reason,
        }),
      );
    }
  }
  if (!actions.length) return actions;
  await recordAudit(tx, SCHEMA, principal, {
    action: 'investor.restricted',
    aggregateType: 'Investor',
    aggregateId: investorId,
    payload: {
      reason,
      actions: actions.map((a) => ({ id: a.id, kind: a.kind, trancheId: a.trancheId, wallet: a.wallet })),
    },
  });
  await tx.flush();
  for (const action of actions)
    await enqueueJob(
      tx,
      TOKEN_ACTION_TASK,
      { actionId: action.id },
      { jobKey: `${TOKEN_ACTION_TASK}:${action.id}` },
    );
  return actions;
}
