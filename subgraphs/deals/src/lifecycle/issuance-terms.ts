import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { covenantsOf, storedCovenants, type StoredCovenants } from '../deal/covenants.js';
import type { Deal } from '../deal/deal.entity.js';
import { Tranche } from '../deal/tranche.entity.js';
import { DealDocument } from './deal-document.entity.js';

/**
 * Everything the review of a deal approves, as one canonical document: the change request's
 * payload. Issuing recomputes it from the stored deal, so a deal that changed after its approval
 * (a tranche, a term, a document, the structure) no longer matches the approval's hash and the
 * gate refuses it. `amount` (the deal's size, minor units) lets a tenant's policy route large
 * deals to a higher risk level.
 */
export interface IssuanceTerms {
  dealId: string;
  name: string;
  assetClass: string;
  currency: string;
  closingDate: string | null;
  amount: string;
  spv: { name: string | null; jurisdiction: string | null };
  regulatoryFramework: string | null;
  restrictions: {
    accreditedOnly: boolean;
    allowedCountries: string[];
    minimumInvestment: string | null;
    lockUpDays: number;
  };
  chainId: number | null;
  /** The pool's covenants (`covenants.ts`), the minimum balance as a decimal string. */
  covenants: StoredCovenants;
  tranches: { id: string; name: string; seniority: number; originalBalance: string; couponBps: number }[];
  structure: { waterfallRulesSha256: string | null };
  documents: { id: string; kind: string; sha256: string; uri: string }[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The deal's issuance terms as stored now (the deal's lazy rule document is loaded if needed). */
export async function issuanceTerms(em: EntityManager, deal: Deal): Promise<IssuanceTerms> {
  const [tranches, documents] = await Promise.all([
    em.find(Tranche, { deal }, { orderBy: { seniority: 'asc' } }),
    em.find(DealDocument, { deal }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
  ]);
  await em.populate(deal, ['waterfallRules']);
  return {
    dealId: deal.id,
    name: deal.name,
    assetClass: deal.assetClass,
    currency: deal.currency,
    closingDate: deal.closingDate,
    amount: deal.originalBalance.toString(),
    spv: { name: deal.spvName, jurisdiction: deal.spvJurisdiction },
    regulatoryFramework: deal.regulatoryFramework,
    restrictions: {
      accreditedOnly: deal.accreditedOnly,
      allowedCountries: [...deal.allowedCountries].sort(),
      minimumInvestment: deal.minimumInvestment?.toString() ?? null,
      lockUpDays: deal.lockUpDays,
    },
    chainId: deal.chainId,
    covenants: storedCovenants(covenantsOf(deal.covenants)),
    tranches: tranches.map((t) => ({
      id: t.id,
      name: t.name,
      seniority: t.seniority,
      originalBalance: t.originalBalance.toString(),
      couponBps: t.couponBps,
    })),
    structure: { waterfallRulesSha256: deal.waterfallRules ? sha256(deal.waterfallRules) : null },
    documents: documents.map((d) => ({ id: d.id, kind: d.kind, sha256: d.sha256, uri: d.uri })),
  };
}
