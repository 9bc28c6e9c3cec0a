import { describe, expect, it, vi } from 'vitest';
import { createAuthorizedFetch } from './authorizedFetch';

const answering = (...statuses: number[]) => {
  const seen: (string | null)[] = [];
  const fetchImpl = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
    seen.push(new Headers(init?.headers).get('Authorization'));
    return new Response('{}', { status: statuses[seen.length - 1] ?? 200 });
  });
  return { fetchImpl: fetchImpl as unknown as typeof fetch, seen };
};

describe('createAuthorizedFetch', () => {
  it('sends the current token as a bearer token, keeping the other headers', async () => {
    const { fetchImpl, seen } = answering(200);
    const renew = vi.fn(async () => 'new');
    const authorized = createAuthorizedFetch(() => 'current', renew, fetchImpl);
    const response = await authorized('http://gw/graphql', { method: 'POST', headers: { 'x-a': '1' } });
    expect(response.status).toBe(200);
    expect(seen).toEqual(['Bearer current']);
    expect(renew).not.toHaveBeenCalled();
    expect(new Headers(vi.mocked(fetchImpl).mock.calls[0]?.[1]?.headers).get('x-a')).toBe('1');
  });

  it('renews an expired token before sending', async () => {
    const { fetchImpl, seen } = answering(200);
    await createAuthorizedFetch(
      () => null,
      async () => 'renewed',
      fetchImpl,
    )('http://gw/graphql');
    expect(seen).toEqual(['Bearer renewed']);
  });

  it('on a 401 renews once and sends the request again with the new token', async () => {
    const { fetchImpl, seen } = answering(401, 200);
    const renew = vi.fn(async () => 'renewed');
    const response = await createAuthorizedFetch(
      () => 'revoked',
      renew,
      fetchImpl,
    )('http://gw/graphql', {
      method: 'POST',
      body: '{"query":"{ deals { total } }"}',
    });
    expect(response.status).toBe(200);
    expect(seen).toEqual(['Bearer revoked', 'Bearer renewed']);
    expect(renew).toHaveBeenCalledTimes(1);
    expect(vi.mocked(fetchImpl).mock.calls[1]?.[1]?.body).toBe('{"query":"{ deals { total } }"}');
  });

  it('hands the 401 back when no new token can be had, so the user is sent to sign in', async () => {
    const { fetchImpl, seen } = answering(401, 200);
    const response = await createAuthorizedFetch(
      () => 'revoked',
      async () => null,
      fetchImpl,
    )('http://gw/graphql');
    expect(response.status).toBe(401);
    expect(seen).toEqual(['Bearer revoked']);
    const same = answering(401, 200);
    expect(
      (
        await createAuthorizedFetch(
          () => 't',
          async () => 't',
          same.fetchImpl,
        )('http://gw/graphql')
      ).status,
    ).toBe(401);
    expect(same.seen).toHaveLength(1);
  });

  it('sends no Authorization header when signed out, and retries nothing but 401', async () => {
    const { fetchImpl, seen } = answering(403);
    const renew = vi.fn(async () => null);
    const response = await createAuthorizedFetch(() => null, renew, fetchImpl)('http://gw/graphql');
    expect(response.status).toBe(403);
    expect(seen).toEqual([null]);
    expect(renew).toHaveBeenCalledTimes(1);
  });
});
