import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Stable machine-readable codes clients can branch on (`extensions.code`). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'KILL_SWITCH_ACTIVE'
  | 'APPROVAL_REQUIRED'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  KILL_SWITCH_ACTIVE: 423,
  APPROVAL_REQUIRED: 403,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

/** Base class of the errors services throw; resolvers never build GraphQL errors themselves. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'authentication required') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'forbidden') {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(entity: string, id: string) {
    super('NOT_FOUND', `${entity} ${id} not found`, { entity, id });
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

/** Invalid input; `fields` maps each offending input path to its message. */
export class ValidationError extends DomainError {
  constructor(readonly fields: Record<string, string>) {
    super(
      'BAD_USER_INPUT',
      `invalid input: ${Object.entries(fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')}`,
      { fields },
    );
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('SERVICE_UNAVAILABLE', message, details);
  }
}

/** A kill switch stops the side effect; `reason` and the switch are in `extensions`. */
export class KillSwitchActiveError extends DomainError {
  constructor(details: { scope: string; target: string | null; reason: string; killSwitchId: string }) {
    super(
      'KILL_SWITCH_ACTIVE',
      `stopped by a ${details.scope} kill switch${details.target ? ` on ${details.target}` : ''}: ${details.reason}`,
      details,
    );
  }
}

/** The side effect needs an approved change request that was not given or does not hold. */
export class ApprovalRequiredError extends DomainError {
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('APPROVAL_REQUIRED', `approval required: ${reason}`, { reason, ...details });
  }
}

/** Too many side effects of one kind by one caller in the window; retry after `retryAfterMs`. */
export class RateLimitedError extends DomainError {
  constructor(details: { capability: string; retryAfterMs: number }) {
    super('RATE_LIMITED', `too many ${details.capability} requests; retry in ${details.retryAfterMs} ms`, {
      reason: 'rate limit',
      ...details,
    });
  }
}

/** HTTP status for an error code (used for 401s react-admin acts on). */
export function httpStatusFor(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

interface ValidationFailure {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationFailure[];
}

function flattenValidation(errors: ValidationFailure[], prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) out[path] = Object.values(e.constraints).join(', ');
    if (e.children?.length) Object.assign(out, flattenValidation(e.children, path));
  }
  return out;
}

/**
 * The one place where errors become GraphQL errors: domain errors keep their code and
 * details; type-graphql's argument validation becomes BAD_USER_INPUT with `fields`; anything
 * else is an INTERNAL_SERVER_ERROR whose message is hidden unless `exposeInternal`.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  exposeInternal: boolean,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof DomainError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        ...formatted.extensions,
        code: original.code,
        ...original.details,
        http: { status: HTTP_STATUS[original.code] },
      },
    };
  }
  const validationErrors = (formatted.extensions as { validationErrors?: ValidationFailure[] } | undefined)
    ?.validationErrors;
  if (validationErrors) {
    const failures = validationErrors;
    const fields = flattenValidation(failures ?? []);
    return {
      message: `invalid input: ${Object.entries(fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')}`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', fields },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return formatted;
  if (exposeInternal) return formatted;
  return {
    message: 'internal server error',
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
