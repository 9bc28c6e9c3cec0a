/**
 * One place that turns what the gateway answers (GraphQL errors with `extensions.code`, or an HTTP
 * status) into the errors react-admin understands: an HttpError with status 401 logs out, 403 shows a
 * "not allowed" notification, 400 with `body.errors` puts the server's messages on the form fields.
 */
import { HttpError } from 'ra-core';
import { i18nProvider } from '../i18n/i18nProvider';

/** HTTP status react-admin sees for the API's other `extensions.code` values. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  KILL_SWITCH_ACTIVE: 423,
  APPROVAL_REQUIRED: 403,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

export type ErrorKind = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'OTHER';

interface FormattedGraphQLError {
  message: string;
  code: string | undefined;
  fields: Record<string, unknown> | undefined;
  extensions: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const toFormattedErrors = (list: unknown): FormattedGraphQLError[] =>
  Array.isArray(list)
    ? list.filter(isObject).map((entry) => {
        const extensions = isObject(entry.extensions) ? entry.extensions : {};
        return {
          message: typeof entry.message === 'string' ? entry.message : '',
          code: typeof extensions.code === 'string' ? extensions.code : undefined,
          fields: isObject(extensions.fields) ? extensions.fields : undefined,
          extensions,
        };
      })
    : [];

/**
 * Collects GraphQL errors from an ApolloError, an HttpError wrapping one (ra-data-graphql puts it in
 * `body`), or a network error whose response body carried `errors`.
 */
export const graphQLErrorsOf = (error: unknown): FormattedGraphQLError[] => {
  if (!isObject(error)) return [];
  const sources = [error, isObject(error.body) ? error.body : undefined];
  const found: FormattedGraphQLError[] = [];
  for (const source of sources) {
    if (source === undefined) continue;
    found.push(...toFormattedErrors(source.graphQLErrors));
    found.push(...toFormattedErrors(source.errors));
    const network = source.networkError;
    if (isObject(network) && isObject(network.result))
      found.push(...toFormattedErrors(network.result.errors));
  }
  return found;
};

const statusOf = (error: unknown): number | undefined => {
  if (!isObject(error)) return undefined;
  if (typeof error.status === 'number') return error.status;
  if (isObject(error.networkError) && typeof error.networkError.statusCode === 'number') {
    return error.networkError.statusCode;
  }
  return undefined;
};

/**
 * Refusals of the enforcement gate: their message carries the reason (which switch, which
 * approval is missing), so they are shown as the server wrote them, never as a generic error.
 */
export const GATE_CODES: readonly string[] = [
  'KILL_SWITCH_ACTIVE',
  'APPROVAL_REQUIRED',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
];

const detail = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

/**
 * The notification text of a gate refusal, built from its `extensions` (scope, target and reason of
 * the kill switch; the missing approval; the capability and wait of a rate limit) and translated
 * here, because react-admin notifies `error.message` without arguments. Falls back to the server's
 * message when `extensions` carry no reason.
 */
export const gateMessageOf = (error: FormattedGraphQLError): string => {
  const ext = error.extensions;
  const reason = detail(ext.reason);
  const key = `tranche.errors.gate.${error.code ?? ''}`;
  switch (error.code) {
    case 'KILL_SWITCH_ACTIVE': {
      const target = detail(ext.target);
      return reason
        ? i18nProvider.translate(key, {
            scope: detail(ext.scope),
            target: target ? ` (${target})` : '',
            reason,
          })
        : error.message;
    }
    case 'APPROVAL_REQUIRED':
      return reason ? i18nProvider.translate(key, { reason }) : error.message;
    case 'RATE_LIMITED': {
      const ms = Number(ext.retryAfterMs);
      return i18nProvider.translate(key, {
        capability: detail(ext.capability) || reason,
        seconds: Number.isFinite(ms) ? Math.max(1, Math.ceil(ms / 1000)) : '?',
      });
    }
    case 'SERVICE_UNAVAILABLE':
      return i18nProvider.translate(key, { reason: reason || error.message });
    default:
      return error.message;
  }
};

/** Classifies an error by HTTP status first (401, 403), then by the GraphQL `extensions.code`. */
export const classifyError = (error: unknown): ErrorKind => {
  const status = statusOf(error);
  const codes = graphQLErrorsOf(error).map((e) => e.code);
  if (codes.some((code) => code !== undefined && GATE_CODES.includes(code))) return 'OTHER';
  if (status === 401 || codes.includes('UNAUTHENTICATED')) return 'UNAUTHENTICATED';
  if (status === 403 || codes.includes('FORBIDDEN')) return 'FORBIDDEN';
  if (codes.includes('BAD_USER_INPUT')) return 'BAD_USER_INPUT';
  return 'OTHER';
};

/**
 * Maps a server field path to the form's path: drops a leading `input.` (the mutation argument) and
 * turns `tranches[0].name` into `tranches.0.name`, the shape react-hook-form uses.
 */
export const toFormPath = (fieldPath: string): string =>
  fieldPath
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^\.+/, '')
    .replace(/^input\./, '');

/**
 * The `{ path: message }` map of a BAD_USER_INPUT error, with form paths, plus `root.serverError`
 * for react-admin's "form invalid" notification.
 */
export const validationErrorsOf = (error: unknown): Record<string, unknown> | undefined => {
  const badInput = graphQLErrorsOf(error).filter((e) => e.code === 'BAD_USER_INPUT');
  const fields: Record<string, string> = {};
  for (const entry of badInput) {
    for (const [path, message] of Object.entries(entry.fields ?? {})) {
      const text = Array.isArray(message) ? message.join(' ') : String(message);
      fields[toFormPath(path)] = text;
    }
  }
  if (Object.keys(fields).length === 0) return undefined;
  // The field messages sit under their inputs; the notification only says where to look.
  return { ...fields, root: { serverError: 'tranche.errors.invalid_input' } };
};

/**
 * Rewrites any data-provider failure into an HttpError react-admin acts on (see the module comment).
 * Other errors keep the server's first GraphQL message, or the original message.
 */
export const normalizeError = (error: unknown): HttpError => {
  // ra-data-graphql wraps whatever buildQuery/parseResponse threw as the body of a status-200 HttpError.
  if (error instanceof HttpError && error.body instanceof HttpError) return normalizeError(error.body);
  const kind = classifyError(error);
  const first = graphQLErrorsOf(error)[0];
  if (kind === 'UNAUTHENTICATED') return new HttpError('tranche.errors.unauthenticated', 401, { code: kind });
  if (kind === 'FORBIDDEN') return new HttpError('tranche.errors.forbidden', 403, { code: kind });
  if (kind === 'BAD_USER_INPUT') {
    const errors = validationErrorsOf(error);
    return new HttpError(first?.message || 'tranche.errors.invalid_input', 400, { code: kind, errors });
  }
  if (error instanceof HttpError && first === undefined) return error;
  const gate = graphQLErrorsOf(error).find((e) => e.code !== undefined && GATE_CODES.includes(e.code));
  if (gate?.code !== undefined) {
    return new HttpError(gateMessageOf(gate), STATUS_BY_CODE[gate.code] ?? 500, {
      code: gate.code,
      extensions: gate.extensions,
    });
  }
  if (first?.code === 'NOT_FOUND')
    return new HttpError('ra.notification.item_doesnt_exist', 404, { code: first.code });
  const message = first?.message || (error instanceof Error && error.message) || 'ra.notification.http_error';
  const status =
    (first?.code === undefined ? undefined : STATUS_BY_CODE[first.code]) ?? statusOf(error) ?? 500;
  return new HttpError(message, status, { code: first?.code });
};
