import { describe, expect, it } from 'vitest';
import { decodeAccessToken, isExpired, Session } from './session';
import { fakeAccessToken } from './testTokens';

describe('session', () => {
  it('decodes the display claims, including non-ASCII names, and drops unknown roles', () => {
    const claims = decodeAccessToken(
      fakeAccessToken({
        sub: 'u1',
        email: 'auditor@borealis.test',
        name: 'Åsa Ødegård',
        roles: ['AUDITOR', 'ROOT'],
        tenant: 't-b',
        tenant_name: 'Borealis Bank',
        exp: 100,
      }),
    );
    expect(claims).toEqual({
      sub: 'u1',
      email: 'auditor@borealis.test',
      name: 'Åsa Ødegård',
      roles: ['AUDITOR'],
      tenant: 't-b',
      tenantName: 'Borealis Bank',
      exp: 100,
    });
    expect(claims && isExpired(claims, 100_000)).toBe(true);
    expect(claims && isExpired(claims, 99_999)).toBe(false);
  });

  it('reads roles and tenant from the configured claims, as an Entra ID access token carries them', () => {
    const claims = decodeAccessToken(
      fakeAccessToken({
        sub: 'entra-object-id',
        preferred_username: 'ada@acme.example',
        name: 'Ada',
        roles: ['ARRANGER'],
        tid: 'tenant-guid',
      }),
      { roles: 'roles', tenant: 'tid' },
    );
    expect(claims).toMatchObject({ email: 'ada@acme.example', roles: ['ARRANGER'], tenant: 'tenant-guid' });
  });

  it('returns null for things that are not JWTs', () => {
    expect(decodeAccessToken('opaque-token')).toBeNull();
    expect(decodeAccessToken('a.!!!.c')).toBeNull();
    expect(decodeAccessToken(fakeAccessToken({ email: 'no-sub' }))).toBeNull();
  });

  it('holds the current token and stops handing it out once it has expired', () => {
    let now = 1_000_000;
    const session = new Session(() => now);
    expect(session.hasToken()).toBe(false);
    const token = fakeAccessToken({ sub: 'u1', roles: ['ADMIN'], exp: 2_000 });
    session.set(token);
    expect(session.token()).toBe(token);
    expect(session.claims()?.roles).toEqual(['ADMIN']);
    now = 2_000_000;
    expect(session.token()).toBeNull();
    expect(session.claims()).toBeNull();
    expect(session.hasToken()).toBe(true);
    session.set(null);
    expect(session.hasToken()).toBe(false);
  });
});
