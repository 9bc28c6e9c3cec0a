import {
  actorOf,
  ConflictError,
  ForbiddenError,
  isCapability,
  isUuid,
  NotFoundError,
  TenantService,
  ValidationError,
  type Page,
  type PageRequest,
  type Role,
} from '@tranche/platform';
import { BreakGlassGrant } from './break-glass-grant.entity.js';

/** The longest a break-glass grant may last. */
export const MAX_BREAK_GLASS_MINUTES = 240;
/** Who may grant break-glass to someone else, and review a self-granted one. */
export const BREAK_GLASS_GRANTORS: readonly Role[] = ['ADMIN'];
export const BREAK_GLASS_REVIEWERS: readonly Role[] = ['ADMIN', 'COMPLIANCE'];

/** A break-glass grant to make. */
export interface NewBreakGlass {
  /** The grantee's email (default: the caller, a self-grant). */
  grantee?: string | null;
  capability: string;
  reason: string;
  minutes: number;
}

/**
 * Break-glass: an emergency grant of one capability to one person for at most
 * {@link MAX_BREAK_GLASS_MINUTES} minutes. An ADMIN grants it to anyone; any staff member may
 * self-grant, which a second person (not the grantee) must then review.
 */
export class BreakGlassService extends TenantService {
  /** The tenant's grants, newest first; `activeOnly` keeps those not expired or revoked. */
  list(activeOnly: boolean, page?: PageRequest | null): Promise<Page<BreakGlassGrant>> {
    const where = activeOnly ? { revokedAt: null, expiresAt: { $gt: new Date() } } : {};
    return this.findPage(BreakGlassGrant, where, { grantedAt: 'desc' }, page);
  }

  /**
   * Grants break-glass and records `breakglass.granted`.
   *
   * @throws ValidationError for an unknown capability or a duration out of bounds;
   *   ForbiddenError when a non-ADMIN grants to someone else.
   */
  async grant(input: NewBreakGlass): Promise<BreakGlassGrant> {
    const me = actorOf(this.principal);
    const grantee = input.grantee?.trim() ? `user:${input.grantee.trim().toLowerCase()}` : me;
    const fields: Record<string, string> = {};
    if (!isCapability(input.capability)) fields.capability = `unknown capability "${input.capability}"`;
    if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > MAX_BREAK_GLASS_MINUTES) {
      fields.minutes = `between 1 and ${MAX_BREAK_GLASS_MINUTES}`;
    }
    if (!input.reason.trim()) fields.reason = 'say why';
    if (Object.keys(fields).length) throw new ValidationError(fields);
    const selfGranted = grantee === me;
    if (!selfGranted && !BREAK_GLASS_GRANTORS.some((r) => this.principal.roles.has(r))) {
      throw new ForbiddenError(
        'only an ADMIN grants break-glass to someone else; self-grant in an emergency instead',
      );
    }
    return this.em.transactional(async (tx) => {
      const grant = tx.create(BreakGlassGrant, {
        tenantId: this.tenantId,
        grantee,
        capability: input.capability,
        reason: input.reason.trim(),
        grantedBy: me,
        selfGranted,
        expiresAt: new Date(Date.now() + input.minutes * 60_000),
      });
      await this.audit(tx, {
        action: 'breakglass.granted',
        aggregateType: 'BreakGlassGrant',
        aggregateId: grant.id,
        payload: {
          grantee,
          capability: grant.capability,
          reason: grant.reason,
          selfGranted,
          expiresAt: grant.expiresAt.toISOString(),
        },
      });
      return grant;
    });
  }

  /**
   * Records the after-the-fact review of a self-granted grant by a second person.
   *
   * @throws NotFoundError; ForbiddenError for the grantee or a role that may not review;
   *   ConflictError when it needs no review or was reviewed.
   */
  async review(id: string, comment: string): Promise<BreakGlassGrant> {
    if (!BREAK_GLASS_REVIEWERS.some((r) => this.principal.roles.has(r))) {
      throw new ForbiddenError(
        `reviewing break-glass requires one of the roles ${BREAK_GLASS_REVIEWERS.join(', ')}`,
      );
    }
    return this.em.transactional(async (tx) => {
      const grant = isUuid(id) ? await tx.findOne(BreakGlassGrant, { id, tenantId: this.tenantId }) : null;
      if (!grant) throw new NotFoundError('BreakGlassGrant', id);
      const me = actorOf(this.principal);
      if (grant.grantee === me) throw new ForbiddenError('a second person reviews a break-glass grant');
      if (!grant.selfGranted) throw new ConflictError('an ADMIN granted it: it needs no review');
      if (grant.reviewedAt) throw new ConflictError('already reviewed');
      grant.reviewedBy = me;
      grant.reviewedAt = new Date();
      grant.reviewComment = comment.trim();
      await this.audit(tx, {
        action: 'breakglass.reviewed',
        aggregateType: 'BreakGlassGrant',
        aggregateId: grant.id,
        payload: { comment: grant.reviewComment },
      });
      return grant;
    });
  }
}
