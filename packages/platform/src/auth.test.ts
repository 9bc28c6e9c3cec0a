import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, requireRole, type Principal } from './auth.js';
import { ForbiddenError, ServiceUnavailableError, UnauthenticatedError } from './errors.js';

// A real issuer contract (discovery + JWKS over HTTP) served locally, so the verifier is
// exercised exactly as against Entra ID or the development issuer.
let server: Server;
let issuer = '';
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration')
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const sign = (claims: Record<string, unknown>, opts: { aud?: string; iss?: string; exp?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(opts.iss ?? issuer)
    .setAudience(opts.aud ?? 'tranche-api')
    .setSubject('u1')
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '5m')
    .sign(privateKey);

const verifier = (claims: { roles?: string; tenant?: string } = {}) =>
  createTokenVerifier({
    issuer,
    audience: 'tranche-api',
    rolesClaim: claims.roles ?? 'roles',
    tenantClaim: claims.tenant ?? 'tenant',
  });

describe('createTokenVerifier', () => {
  it('remembers a verified token only until it expires, and never a refused one', async () => {
    const verify = verifier();
    const token = await sign({ roles: ['ARRANGER'], tenant: 'acme' }, { exp: '2s' });
    const first = await verify(`Bearer ${token}`);
    expect(await verify(`Bearer ${token}`)).toBe(first); // answered from memory
    const [h, p, sig] = token.split('.');
    const forged = `${h}.${p}.${sig?.startsWith('A') ? 'B' : 'A'}${sig?.slice(1)}`;
    await expect(verify(`Bearer ${forged}`)).rejects.toBeInstanceOf(UnauthenticatedError);
    await new Promise((r) => setTimeout(r, 2100));
    await expect(verify(`Bearer ${token}`)).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('maps verified claims to a principal, ignoring unknown roles', async () => {
    const p = await verifier()(
      `Bearer ${await sign({ roles: ['arranger', 'ROOT'], tenant: 'acme', email: 'a@acme.test' })}`,
    );
    expect(p).toMatchObject({ subject: 'u1', tenantId: 'acme', email: 'a@acme.test' });
    expect([...p.roles]).toEqual(['ARRANGER']);
  });

  it('reads Entra ID claim names by configuration alone', async () => {
    const token = await sign({ roles: ['AUDITOR'], tid: '72f988bf-86f1-41af-91ab-2d7cd011db47' });
    const p = await verifier({ tenant: 'tid' })(`Bearer ${token}`);
    expect(p.tenantId).toBe('72f988bf-86f1-41af-91ab-2d7cd011db47');
    expect(p.roles.has('AUDITOR')).toBe(true);
  });

  it('rejects missing, malformed, expired, wrong-audience, wrong-issuer and tenantless tokens', async () => {
    const verify = verifier();
    await expect(verify(undefined)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(verify('Basic abc')).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(verify(`Bearer ${await sign({ tenant: 'acme' }, { exp: '-1m' })}`)).rejects.toThrow(
      /invalid token/,
    );
    await expect(verify(`Bearer ${await sign({ tenant: 'acme' }, { aud: 'other-api' })}`)).rejects.toThrow(
      /invalid token/,
    );
    await expect(verify(`Bearer ${await sign({ tenant: 'acme' }, { iss: 'http://evil' })}`)).rejects.toThrow(
      /invalid token/,
    );
    await expect(verify(`Bearer ${await sign({ roles: ['ADMIN'] })}`)).rejects.toThrow(/no tenant/);
  });

  it('fails closed with SERVICE_UNAVAILABLE when the issuer cannot be reached', async () => {
    const verify = createTokenVerifier({
      issuer: 'http://127.0.0.1:1',
      audience: 'x',
      rolesClaim: 'roles',
      tenantClaim: 'tenant',
    });
    await expect(verify(`Bearer ${await sign({ tenant: 'acme' })}`)).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
  });
});

describe('requireRole', () => {
  const principal: Principal = { subject: 's', tenantId: 't', roles: new Set(['SERVICER']) };
  it('returns the caller holding one of the roles', () => {
    expect(requireRole({ principal }, 'ARRANGER', 'SERVICER')).toBe(principal);
    expect(requireRole({ principal })).toBe(principal);
  });
  it('throws FORBIDDEN for the wrong role and UNAUTHENTICATED without a caller', () => {
    expect(() => requireRole({ principal }, 'ADMIN')).toThrow(ForbiddenError);
    expect(() => requireRole({ principal: null }, 'ADMIN')).toThrow(UnauthenticatedError);
  });
});
