import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  actorOf,
  ConflictError,
  enqueueJob,
  isUuid,
  NotFoundError,
  OPEN_CHANGE_REQUEST_TASK,
  payloadHash,
  STAFF_ROLES,
  TenantService,
  ValidationError,
  type OpenChangeRequestPayload,
  type Role,
} from '@tranche/platform';
import countries from 'i18n-iso-countries';
import {
  covenantsOf,
  storedCovenants,
  validateCovenants,
  type CovenantChanges,
  type Covenants,
} from '../deal/covenants.js';
import { Deal, DealStatus, RegulatoryFramework } from '../deal/deal.entity.js';
import { Tranche } from '../deal/tranche.entity.js';
import { DealDocument, DocumentKind } from './deal-document.entity.js';
import { issuanceTerms, type IssuanceTerms } from './issuance-terms.js';

/** Who may read a deal's documents and review state: staff (investors see the deal, not its file). */
export const LIFECYCLE_READERS: readonly Role[] = STAFF_ROLES;

/** Queue task: register a document added after issuance in DealRegistry (issuance domain). */
export const REGISTER_DOCUMENTS_TASK = 'deals:register-documents';

const MAX_AMOUNT = 10n ** 17n;
const JURISDICTION = /^([A-Z]{2})(-[A-Z0-9]{1,3})?$/;
const SHA256 = /^[0-9a-f]{64}$/;
const URI = /^(https|s3|ipfs|ar|file):\/\/\S{1,1000}$/;

/** A deal's legal terms; absent fields are left as they are, null clears one. */
export interface DealTermsChanges {
  spvName?: string | null;
  spvJurisdiction?: string | null;
  regulatoryFramework?: RegulatoryFramework | null;
  accreditedOnly?: boolean | null;
  allowedCountries?: string[] | null;
  minimumInvestment?: bigint | null;
  lockUpDays?: number | null;
  chainId?: number | null;
  /** The fields given replace the deal's; null restores the defaults (`DEFAULT_COVENANTS`). */
  covenants?: CovenantChanges | null;
}

/** A document to add to a deal. */
export interface NewDealDocument {
  kind: DocumentKind;
  title: string;
  sha256: string;
  uri: string;
}

/** The chain ids a deal may name (the configured chains). */
export type KnownChainIds = readonly number[];

/**
 * The deal's way to issuance: its legal terms and documents (editable while PROPOSED), the
 * submission for review that opens a change request in the audit subgraph (the approval binds to
 * the SHA-256 of the terms as submitted, so issuing anything else is refused), and termination
 * through a CRITICAL change request. The decisions come back through {@link followUpDecision}.
 */
export class LifecycleService extends TenantService {
  /** The documents of many deals in one statement, oldest first. */
  documentsOf(dealIds: readonly string[]): Promise<DealDocument[][]> {
    return this.findGrouped(DealDocument, 'deal', dealIds, (d) => d.deal.id, { createdAt: 'asc', id: 'asc' });
  }

  /**
   * Sets the deal's legal terms (PROPOSED only), checked the way counsel would: a known
   * jurisdiction and countries, Reg D 506(c) only to accredited investors, Reg S never to US
   * residents, a configured chain, covenants the attestation circuit can prove.
   *
   * @throws ValidationError naming each bad field; NotFoundError.
   */
  async setTerms(id: string, input: DealTermsChanges, chains: KnownChainIds): Promise<Deal> {
    return this.em.transactional(async (tx) => {
      const deal = await lockDeal(tx, this.tenantId, id);
      const next = { ...termsOf(deal) };
      for (const [key, value] of Object.entries(input)) {
        if (value !== undefined && key !== 'covenants') (next as Record<string, unknown>)[key] = value;
      }
      if (input.covenants === null) next.covenants = covenantsOf(null);
      else if (input.covenants) {
        const given = Object.entries(input.covenants).filter(([, v]) => v !== undefined && v !== null);
        next.covenants = { ...next.covenants, ...(Object.fromEntries(given) as Partial<Covenants>) };
      }
      if (typeof next.spvName === 'string') next.spvName = next.spvName.trim() || null;
      next.accreditedOnly ??= true;
      next.allowedCountries = (next.allowedCountries ?? []).map((c) => c.trim().toUpperCase());
      next.spvJurisdiction = next.spvJurisdiction?.trim().toUpperCase() || null;
      next.lockUpDays ??= 0;
      const fields = validateTerms(next, chains);
      if (deal.status !== DealStatus.PROPOSED)
        fields.status = `the terms of a ${deal.status} deal are frozen (only PROPOSED deals change)`;
      if (Object.keys(fields).length) throw new ValidationError(fields);
      const changes: Record<string, unknown> = {};
      const current = termsOf(deal);
      for (const [key, value] of Object.entries(next)) {
        const before = current[key as keyof DealTermsChanges];
        if (JSON.stringify(before, bigintJson) !== JSON.stringify(value, bigintJson)) changes[key] = value;
      }
      if (!Object.keys(changes).length) return deal;
      Object.assign(deal, { ...next, covenants: storedCovenants(next.covenants) });
      deal.updatedAt = new Date();
      await this.audit(tx, {
        action: 'deal.terms_set',
        aggregateType: 'Deal',
        aggregateId: deal.id,
        payload: { changes: JSON.parse(JSON.stringify(changes, bigintJson)) as unknown },
      });
      return deal;
    });
  }

  /**
   * Adds a document by its SHA-256 (PROPOSED, or after issuance, when a job registers it
   * on-chain at once; never while the review looks at a fixed set).
   *
   * @throws ValidationError; ConflictError for a document the deal already has; NotFoundError.
   */
  async addDocument(dealId: string, input: NewDealDocument): Promise<DealDocument> {
    const fields: Record<string, string> = {};
    const sha256 = input.sha256.trim().toLowerCase().replace(/^0x/, '');
    if (!SHA256.test(sha256)) fields.sha256 = 'a SHA-256: 64 hex digits';
    if (!URI.test(input.uri.trim())) fields.uri = 'an https://, s3://, ipfs://, ar:// or file:// URI';
    if (!input.title.trim()) fields.title = 'give the document a title';
    try {
      return await this.em.transactional(async (tx) => {
        const deal = await lockDeal(tx, this.tenantId, dealId);
        const open = [DealStatus.PROPOSED, DealStatus.DEPLOYED, DealStatus.ACTIVE, DealStatus.LOCKED];
        if (!open.includes(deal.status)) fields.status = `documents cannot be added to a ${deal.status} deal`;
        if (Object.keys(fields).length) throw new ValidationError(fields);
        const document = tx.create(DealDocument, {
          tenantId: this.tenantId,
          deal,
          kind: input.kind,
          title: input.title.trim(),
          sha256,
          uri: input.uri.trim(),
          addedBy: actorOf(this.principal),
        });
        await this.audit(tx, {
          action: 'deal.document_added',
          aggregateType: 'Deal',
          aggregateId: deal.id,
          payload: { documentId: document.id, kind: document.kind, sha256, uri: document.uri },
        });
        await tx.flush();
        if (deal.status !== DealStatus.PROPOSED) {
          await enqueueJob(
            tx,
            REGISTER_DOCUMENTS_TASK,
            { dealId: deal.id },
            { jobKey: `${REGISTER_DOCUMENTS_TASK}:${deal.id}` },
          );
        }
        return document;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException)
        throw new ConflictError('the deal already has a document with this SHA-256');
      throw err;
    }
  }

  /**
   * Submits a PROPOSED deal for review: checks it is complete, freezes it (IN_REVIEW), and asks the
   * audit subgraph, in the same transaction, to open a `deal.issue` change request whose payload
   * is the deal's issuance terms (an APPROVED deal whose approval expired may be submitted again).
   *
   * @throws ValidationError naming what is missing; NotFoundError.
   */
  async submitForReview(id: string, chains: KnownChainIds): Promise<Deal> {
    return this.em.transactional(async (tx) => {
      const deal = await lockDeal(tx, this.tenantId, id, ['waterfallRules']);
      const fields: Record<string, string> = {};
      if (deal.status !== DealStatus.PROPOSED && deal.status !== DealStatus.APPROVED)
        fields.status = `a ${deal.status} deal cannot be submitted for review`;
      Object.assign(fields, validateTerms(termsOf(deal), chains, true));
      if (!deal.waterfallRules) fields.waterfallRules = 'set the deal’s structure first (setDealStructure)';
      const documents = await tx.find(DealDocument, { deal }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      if (!documents.some((d) => d.kind === DocumentKind.OFFERING_MEMORANDUM))
        fields.documents = 'add the offering memorandum';
      if (Object.keys(fields).length) throw new ValidationError(fields);
      const terms = await issuanceTerms(tx, deal);
      const request: OpenChangeRequestPayload = {
        id: randomUUID(),
        tenantId: this.tenantId,
        type: 'deal.issue',
        dealId: deal.id,
        title: `Issue ${deal.name}`,
        rationale: `Issue ${terms.tranches.length} tranche token(s) of ${deal.name} on chain ${deal.chainId ?? '?'}`,
        payload: terms,
        requestedBy: {
          subject: this.principal.subject,
          ...(this.principal.email ? { email: this.principal.email } : {}),
          ...(this.principal.clientId ? { clientId: this.principal.clientId } : {}),
          roles: [...this.principal.roles],
        },
      };
      deal.status = DealStatus.IN_REVIEW;
      deal.reviewChangeRequestId = request.id;
      deal.updatedAt = new Date();
      await this.audit(tx, {
        action: 'deal.submitted_for_review',
        aggregateType: 'Deal',
        aggregateId: deal.id,
        payload: { changeRequestId: request.id, termsSha256: payloadHash(terms) },
      });
      await enqueueJob(tx, OPEN_CHANGE_REQUEST_TASK, request, {
        jobKey: `${OPEN_CHANGE_REQUEST_TASK}:${request.id}`,
      });
      return deal;
    });
  }

  /**
   * Asks for the deal's termination: a CRITICAL `deal.terminate` change request bound to this deal;
   * the deal becomes TERMINATED when it is approved.
   *
   * @throws ValidationError for a deal already terminated or a missing reason; ConflictError when a
   *   termination is already pending; NotFoundError.
   */
  async requestTermination(id: string, reason: string): Promise<Deal> {
    return this.em.transactional(async (tx) => {
      const deal = await lockDeal(tx, this.tenantId, id);
      const fields: Record<string, string> = {};
      if (deal.status === DealStatus.TERMINATED) fields.status = 'the deal is already terminated';
      if (!reason.trim()) fields.reason = 'say why the deal ends';
      if (Object.keys(fields).length) throw new ValidationError(fields);
      if (deal.terminationChangeRequestId) {
        throw new ConflictError(`a termination was already asked for (${deal.terminationChangeRequestId})`);
      }
      const request: OpenChangeRequestPayload = {
        id: randomUUID(),
        tenantId: this.tenantId,
        type: 'deal.terminate',
        dealId: deal.id,
        title: `Terminate ${deal.name}`,
        rationale: reason.trim(),
        payload: terminationPayload(deal.id),
        requestedBy: {
          subject: this.principal.subject,
          ...(this.principal.email ? { email: this.principal.email } : {}),
          roles: [...this.principal.roles],
        },
      };
      deal.terminationChangeRequestId = request.id;
      await this.audit(tx, {
        action: 'deal.termination_requested',
        aggregateType: 'Deal',
        aggregateId: deal.id,
        payload: { changeRequestId: request.id, reason: reason.trim() },
      });
      await enqueueJob(tx, OPEN_CHANGE_REQUEST_TASK, request, {
        jobKey: `${OPEN_CHANGE_REQUEST_TASK}:${request.id}`,
      });
      return deal;
    });
  }
}

/** What a termination's approval binds to: this deal. */
export function terminationPayload(dealId: string): { dealId: string; action: 'terminate' } {
  return { dealId, action: 'terminate' };
}

export type { IssuanceTerms };

/** The deal's current terms, as {@link DealTermsChanges}. */
function termsOf(deal: Deal): Required<DealTermsChanges> & { covenants: Covenants } {
  return {
    spvName: deal.spvName,
    spvJurisdiction: deal.spvJurisdiction,
    regulatoryFramework: deal.regulatoryFramework,
    accreditedOnly: deal.accreditedOnly,
    allowedCountries: deal.allowedCountries,
    minimumInvestment: deal.minimumInvestment,
    lockUpDays: deal.lockUpDays,
    chainId: deal.chainId,
    covenants: covenantsOf(deal.covenants),
  };
}

const bigintJson = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

/** The field errors of a deal's terms; `complete` also requires what issuance needs. */
export function validateTerms(
  terms: DealTermsChanges,
  chains: KnownChainIds,
  complete = false,
): Record<string, string> {
  const fields: Record<string, string> = {};
  if (terms.spvName && terms.spvName.length > 200) fields.spvName = 'at most 200 characters';
  const jurisdiction = terms.spvJurisdiction ? JURISDICTION.exec(terms.spvJurisdiction) : null;
  if (terms.spvJurisdiction && (!jurisdiction || !countries.isValid(jurisdiction[1]!)))
    fields.spvJurisdiction = 'an ISO 3166 country or subdivision, e.g. US-DE, IE, KY';
  const allowed = terms.allowedCountries ?? [];
  const unknown = allowed.filter((c) => !/^[A-Z]{2}$/.test(c) || !countries.isValid(c));
  if (unknown.length) fields.allowedCountries = `not ISO 3166-1 alpha-2 countries: ${unknown.join(', ')}`;
  else if (new Set(allowed).size !== allowed.length) fields.allowedCountries = 'a country is listed twice';
  if (
    terms.minimumInvestment != null &&
    (terms.minimumInvestment < 0n || terms.minimumInvestment > MAX_AMOUNT)
  )
    fields.minimumInvestment = 'minor units between 0 and 10^17';
  if (
    terms.lockUpDays != null &&
    (!Number.isInteger(terms.lockUpDays) || terms.lockUpDays < 0 || terms.lockUpDays > 3650)
  )
    fields.lockUpDays = 'whole days between 0 and 3650';
  if (terms.chainId != null && !chains.includes(terms.chainId))
    fields.chainId = `not a configured chain (configured: ${chains.join(', ') || 'none'})`;
  if (terms.regulatoryFramework === RegulatoryFramework.REG_D_506C && terms.accreditedOnly === false)
    fields.accreditedOnly = 'Rule 506(c) offerings are sold to accredited investors only';
  if (terms.regulatoryFramework === RegulatoryFramework.REG_S && allowed.includes('US'))
    fields.allowedCountries = 'a Regulation S offering excludes US residents';
  if (terms.covenants) {
    const given = Object.entries(terms.covenants).filter(([, v]) => v != null);
    Object.assign(
      fields,
      validateCovenants({ ...covenantsOf(null), ...(Object.fromEntries(given) as Partial<Covenants>) }),
    );
  }
  if (complete) {
    if (!terms.spvName) fields.spvName ??= 'name the issuing SPV';
    if (!terms.spvJurisdiction) fields.spvJurisdiction ??= 'say where the SPV is organised';
    if (!terms.regulatoryFramework)
      fields.regulatoryFramework ??= 'say which regime the notes are offered under';
    if (!allowed.length) fields.allowedCountries ??= 'list the countries whose residents may hold the notes';
    if (terms.chainId == null) fields.chainId ??= 'choose the chain the tokens live on';
  }
  return fields;
}

/** The tenant's deal, locked for update in `tx`. @throws NotFoundError */
export async function lockDeal(
  tx: EntityManager,
  tenantId: string,
  id: string,
  populate: ('waterfallRules' | 'collateral')[] = [],
): Promise<Deal> {
  const deal = isUuid(id)
    ? await tx.findOne(Deal, { id, tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate })
    : null;
  if (!deal) throw new NotFoundError('Deal', id);
  return deal;
}

/** The tranches of a deal, most senior first. */
export function tranchesOfDeal(tx: EntityManager, deal: Deal): Promise<Tranche[]> {
  return tx.find(Tranche, { deal }, { orderBy: { seniority: 'asc' } });
}
