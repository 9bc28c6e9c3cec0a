import { HttpError } from 'ra-core';
import { describe, expect, it } from 'vitest';
import { classifyError, normalizeError, toFormPath } from './errors';

const apolloError = (errors: unknown[]) => ({ message: 'x', graphQLErrors: errors, networkError: null });
// What ra-data-graphql rejects with: the ApolloError as the body of a status-200 HttpError.
const wrapped = (errors: unknown[]) => new HttpError('x', 200, apolloError(errors));

describe('errors', () => {
  it('classifies UNAUTHENTICATED by code and by HTTP 401', () => {
    expect(classifyError(wrapped([{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }]))).toBe(
      'UNAUTHENTICATED',
    );
    expect(classifyError(new HttpError('Response not successful', 401))).toBe('UNAUTHENTICATED');
    expect(classifyError({ networkError: { statusCode: 401 } })).toBe('UNAUTHENTICATED');
  });

  it('classifies FORBIDDEN by code and by HTTP 403', () => {
    expect(classifyError(wrapped([{ message: 'no', extensions: { code: 'FORBIDDEN' } }]))).toBe('FORBIDDEN');
    expect(classifyError(new HttpError('x', 403))).toBe('FORBIDDEN');
    expect(classifyError(new Error('boom'))).toBe('OTHER');
  });

  it('maps server field paths to react-hook-form paths', () => {
    expect(toFormPath('input.tranches[1].originalBalance')).toBe('tranches.1.originalBalance');
    expect(toFormPath('tranches.0.name')).toBe('tranches.0.name');
    expect(toFormPath('name')).toBe('name');
  });

  it('turns BAD_USER_INPUT fields into form errors react-admin sets on the inputs', () => {
    const error = normalizeError(
      wrapped([
        {
          message: 'Invalid deal',
          extensions: {
            code: 'BAD_USER_INPUT',
            fields: { name: 'must not be empty', 'input.tranches[0].couponBps': 'must be >= 0' },
          },
        },
      ]),
    );
    expect(error.status).toBe(400);
    expect(error.body).toEqual({
      code: 'BAD_USER_INPUT',
      errors: {
        name: 'must not be empty',
        'tranches.0.couponBps': 'must be >= 0',
        root: { serverError: 'tranche.errors.invalid_input' },
      },
    });
  });

  it('gives 401 and 403 statuses the auth provider acts on', () => {
    expect(normalizeError(wrapped([{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }])).status).toBe(
      401,
    );
    const forbidden = normalizeError(wrapped([{ message: 'x', extensions: { code: 'FORBIDDEN' } }]));
    expect([forbidden.status, forbidden.message]).toEqual([403, 'tranche.errors.forbidden']);
  });

  it('unwraps errors thrown while parsing a response and keeps other server messages', () => {
    const notFound = new HttpError('ra.notification.item_doesnt_exist', 404);
    expect(normalizeError(new HttpError('x', 200, notFound))).toBe(notFound);
    const other = normalizeError(wrapped([{ message: 'Deal is closed', extensions: { code: 'CONFLICT' } }]));
    expect([other.message, other.status]).toEqual(['Deal is closed', 409]);
    const missing = normalizeError(
      wrapped([{ message: 'Deal x not found', extensions: { code: 'NOT_FOUND' } }]),
    );
    expect([missing.message, missing.status]).toEqual(['ra.notification.item_doesnt_exist', 404]);
  });
});

describe('refusals of the enforcement gate', () => {
  it('keep the server message with the reason and their own status, never a generic one', () => {
    const killed = normalizeError({
      graphQLErrors: [
        {
          message: 'stopped by a GLOBAL kill switch: suspected key compromise',
          extensions: { code: 'KILL_SWITCH_ACTIVE', http: { status: 423 } },
        },
      ],
      networkError: { statusCode: 403 },
    });
    expect(killed.message).toBe('stopped by a GLOBAL kill switch: suspected key compromise');
    expect(killed.status).toBe(423);
    const approval = normalizeError({
      graphQLErrors: [
        { message: 'approval required: deal.issue at HIGH risk', extensions: { code: 'APPROVAL_REQUIRED' } },
      ],
      status: 403,
    });
    expect(approval.message).toMatch(/approval required/);
    expect(approval.body).toMatchObject({ code: 'APPROVAL_REQUIRED' });
  });
});

describe('gate refusals read from extensions', () => {
  const gate = (code: string, extensions: Record<string, unknown>, message = 'server text') =>
    normalizeError(wrapped([{ message, extensions: { code, ...extensions } }]));

  it('names the kill switch scope, target and reason', () => {
    const error = gate('KILL_SWITCH_ACTIVE', { scope: 'DEAL', target: 'd-1', reason: 'tape dispute' });
    expect(error.message).toBe('Stopped by a DEAL kill switch (d-1): tape dispute');
    expect(error.status).toBe(423);
    expect(error.body).toMatchObject({ code: 'KILL_SWITCH_ACTIVE', extensions: { target: 'd-1' } });
    expect(gate('KILL_SWITCH_ACTIVE', { scope: 'GLOBAL', target: null, reason: 'drill' }).message).toBe(
      'Stopped by a GLOBAL kill switch: drill',
    );
  });

  it('gives the missing approval, the rate-limit wait and the fail-closed reason', () => {
    expect(gate('APPROVAL_REQUIRED', { reason: 'deal.issue needs 2 approvals' }).message).toBe(
      'Approval required: deal.issue needs 2 approvals',
    );
    expect(gate('RATE_LIMITED', { capability: 'token.mint', retryAfterMs: 1500 }).message).toBe(
      'Too many token.mint requests. Try again in 2 s.',
    );
    expect(gate('SERVICE_UNAVAILABLE', {}, 'gate state unreadable').message).toBe(
      'Refused for safety: the governance check is unavailable (gate state unreadable).',
    );
  });

  it('falls back to the server message when extensions carry no reason, and wins over FORBIDDEN', () => {
    expect(gate('APPROVAL_REQUIRED', {}, 'approval required: x').message).toBe('approval required: x');
    const mixed = normalizeError(
      wrapped([
        { message: 'no', extensions: { code: 'FORBIDDEN' } },
        { message: 'm', extensions: { code: 'KILL_SWITCH_ACTIVE', scope: 'GLOBAL', reason: 'drill' } },
      ]),
    );
    expect(mixed.message).toBe('Stopped by a GLOBAL kill switch: drill');
  });
});
