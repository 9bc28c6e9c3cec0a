import { describe, expect, it } from 'vitest';
import { decodeAccessToken, isExpired } from './session';
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

  it('returns null for things that are not JWTs', () => {
    expect(decodeAccessToken('opaque-token')).toBeNull();
    expect(decodeAccessToken('a.!!!.c')).toBeNull();
    expect(decodeAccessToken(fakeAccessToken({ email: 'no-sub' }))).toBeNull();
  });
});
