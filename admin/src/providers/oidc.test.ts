import { describe, expect, it } from 'vitest';
import { discoveryUrl, parseDiscovery, parseTokenResponse, passwordGrantBody } from './oidc';

describe('oidc', () => {
  it('finds the discovery document under the issuer', () => {
    expect(discoveryUrl('http://127.0.0.1:4005/')).toBe(
      'http://127.0.0.1:4005/.well-known/openid-configuration',
    );
    expect(parseDiscovery({ token_endpoint: 'http://i/token', jwks_uri: 'http://i/jwks' })).toEqual({
      tokenEndpoint: 'http://i/token',
    });
    expect(() => parseDiscovery({ issuer: 'x' })).toThrow('tranche.auth.issuer_unavailable');
  });

  it('builds the password grant for the tranche-admin client', () => {
    expect(passwordGrantBody('arranger@acme.test', 'p&ss w').toString()).toBe(
      'grant_type=password&username=arranger%40acme.test&password=p%26ss+w&client_id=tranche-admin&scope=openid+profile',
    );
  });

  it('parses a bearer token response', () => {
    expect(
      parseTokenResponse(200, {
        access_token: 'a.b.c',
        id_token: 'i',
        token_type: 'Bearer',
        expires_in: 900,
      }),
    ).toEqual({ accessToken: 'a.b.c', idToken: 'i', expiresIn: 900 });
  });

  it('reports invalid_grant (400 or 401) as wrong credentials, anything else as issuer trouble', () => {
    const bad = { error: 'invalid_grant', error_description: 'wrong password' };
    expect(() => parseTokenResponse(400, bad)).toThrow('tranche.auth.invalid_credentials');
    expect(() => parseTokenResponse(401, bad)).toThrow('tranche.auth.invalid_credentials');
    expect(() => parseTokenResponse(500, {})).toThrow('tranche.auth.issuer_unavailable');
    expect(() => parseTokenResponse(200, { token_type: 'Bearer' })).toThrow(
      'tranche.auth.issuer_unavailable',
    );
    expect(() => parseTokenResponse(200, { access_token: 'x', token_type: 'DPoP' })).toThrow(
      'tranche.auth.issuer_unavailable',
    );
  });
});
