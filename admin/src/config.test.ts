import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

const ORIGIN = 'http://127.0.0.1:4006';
const minimal = { gatewayUrl: 'http://127.0.0.1:4000/graphql', issuerUrl: 'http://127.0.0.1:4005' };

describe('parseConfig', () => {
  it('fills in the development issuer’s sign-in defaults around the gateway and issuer URLs', () => {
    expect(parseConfig(minimal, ORIGIN)).toEqual({
      ...minimal,
      issuerName: '127.0.0.1:4005',
      clientId: 'tranche-admin',
      scope: 'openid profile offline_access',
      redirectUri: `${ORIGIN}/auth/callback`,
      postLogoutRedirectUri: `${ORIGIN}/`,
      rolesClaim: 'roles',
      tenantClaim: 'tenant',
      chainRpcUrl: null,
    });
  });

  it('takes Microsoft Entra ID settings from configuration alone', () => {
    const entra = {
      gatewayUrl: 'https://api.tranche.example/graphql',
      issuerUrl: 'https://login.microsoftonline.com/0b1c2d3e-0000-4000-8000-000000000001/v2.0',
      issuerName: 'Microsoft Entra ID',
      clientId: '6f1e2d3c-0000-4000-8000-000000000002',
      scope: 'openid profile offline_access api://6f1e2d3c-0000-4000-8000-000000000003/access_as_user',
      rolesClaim: 'roles',
      tenantClaim: 'tid',
    };
    expect(parseConfig(entra, 'https://admin.tranche.example')).toEqual({
      ...entra,
      redirectUri: 'https://admin.tranche.example/auth/callback',
      postLogoutRedirectUri: 'https://admin.tranche.example/',
      chainRpcUrl: null,
    });
  });

  it('names the field that is missing, not an http(s) URL, or unusable for sign-in', () => {
    expect(() => parseConfig({ issuerUrl: 'http://x' }, ORIGIN)).toThrow('gatewayUrl must be a string');
    expect(() => parseConfig({ gatewayUrl: 'http://x', issuerUrl: 'javascript:alert(1)' }, ORIGIN)).toThrow(
      'issuerUrl must be http(s)',
    );
    expect(() => parseConfig(null, ORIGIN)).toThrow('expected an object');
    expect(() => parseConfig({ ...minimal, chainRpcUrl: 'ftp://node' }, ORIGIN)).toThrow(
      'chainRpcUrl must be http(s)',
    );
    expect(() => parseConfig({ ...minimal, clientId: '' }, ORIGIN)).toThrow(
      'clientId must be a non-empty string',
    );
    expect(() => parseConfig({ ...minimal, scope: 'profile offline_access' }, ORIGIN)).toThrow(
      'scope must include openid',
    );
    // The app itself completes the sign-in, so the code must come back to this origin.
    expect(() => parseConfig({ ...minimal, redirectUri: 'https://evil.test/auth/callback' }, ORIGIN)).toThrow(
      'redirectUri must be on this origin',
    );
  });
});
