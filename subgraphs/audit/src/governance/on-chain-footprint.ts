import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent } from '../ledger/audit-event.entity.js';

/**
 * The audit action the deals subgraph records once a deal's contracts are live (issuance): the
 * ledger is where the audit subgraph learns, tamper-evidently, what a tenant has on-chain.
 */
export const DEAL_DEPLOYED_ACTION = 'deal.deployed';

/** What one deal has on-chain, from its `deal.deployed` event. */
export interface DeployedDeal {
  dealId: string;
  chainId: number;
  /** the DealRegistry the deal is registered in */
  dealRegistry: string;
  /** the deal's id in the registry (bytes32 hex) */
  onChainDealId: string;
  /** its tranche tokens (T-REX) */
  tokens: string[];
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** The footprint a `deal.deployed` payload describes, or undefined when it does not describe one. */
export function parseDeployedDeal(dealId: string, payload: string): DeployedDeal | undefined {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { chainId, dealRegistry, onChainDealId, tokens } = body as Record<string, unknown>;
  if (typeof chainId !== 'number' || !Number.isInteger(chainId)) return undefined;
  if (typeof dealRegistry !== 'string' || !ADDRESS.test(dealRegistry)) return undefined;
  if (typeof onChainDealId !== 'string' || !BYTES32.test(onChainDealId)) return undefined;
  if (!Array.isArray(tokens)) return undefined;
  const addresses = tokens.map((t: unknown) =>
    typeof t === 'string' ? t : (t as { address?: unknown } | null)?.address,
  );
  if (!addresses.every((a): a is string => typeof a === 'string' && ADDRESS.test(a))) return undefined;
  return { dealId, chainId, dealRegistry, onChainDealId, tokens: addresses };
}

/**
 * The tenant's deployed deals (or the one deal `dealId`), each from its latest `deal.deployed`
 * event in the tenant's ledger; events that do not describe a deployment are skipped.
 */
export async function deployedDeals(
  em: EntityManager,
  tenantId: string,
  dealId?: string | null,
): Promise<DeployedDeal[]> {
  const events = await em.find(
    AuditEvent,
    { tenantId, action: DEAL_DEPLOYED_ACTION, ...(dealId ? { aggregateId: dealId } : {}) },
    { orderBy: { seq: 'asc' }, fields: ['aggregateId', 'payload', 'seq'] },
  );
  const latest = new Map<string, DeployedDeal>();
  for (const event of events) {
    const deployed = parseDeployedDeal(event.aggregateId, event.payload);
    if (deployed) latest.set(event.aggregateId, deployed);
  }
  return [...latest.values()];
}
