// AWS Signature Version 4 (HMAC-SHA256), as documented in "Signing AWS API requests": a canonical
// request, a string to sign over its hash and the credential scope, and a signing key derived from
// the secret through the date, region and service. The KMS client signs with it and the local KMS
// sandbox verifies with it; `sigv4.test.ts` pins it to AWS's published example.
import { createHash, createHmac } from 'node:crypto';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials (STS) carry a session token, sent as X-Amz-Security-Token. */
  sessionToken?: string;
}

export interface SigV4Request {
  method: string;
  /** The absolute request URL (its path and query are canonicalised; its host is signed). */
  url: string;
  /** Headers to send and sign besides host and x-amz-date (names in any case). */
  headers: Record<string, string>;
  body: string;
}

export interface SigV4Scope {
  region: string;
  service: string;
}

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** `YYYYMMDD'T'HHMMSS'Z'`, the X-Amz-Date format. */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters percent-encoded. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

function canonicalQuery(search: URLSearchParams): string {
  return [...search.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/**
 * The canonical request and its signed-header list for `headers` (which must already include host
 * and x-amz-date): header names lower-cased, values trimmed with inner runs of spaces collapsed,
 * sorted by name; the path's segments URI-encoded; the payload's SHA-256 in hex.
 */
export function canonicalRequest(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string,
): { request: string; signedHeaders: string } {
  const u = new URL(url);
  const path = u.pathname
    .split('/')
    .map((segment) => uriEncode(decodeURIComponent(segment)))
    .join('/');
  const entries = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim().replace(/\s+/g, ' ')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = entries.map(([name]) => name).join(';');
  const request = [
    method.toUpperCase(),
    path || '/',
    canonicalQuery(u.searchParams),
    entries.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaders,
    sha256Hex(body),
  ].join('\n');
  return { request, signedHeaders };
}

/** The signing key: HMAC chain "AWS4"+secret → date (YYYYMMDD) → region → service → "aws4_request". */
export function signingKey(secretAccessKey: string, day: string, scope: SigV4Scope): Buffer {
  const kDate = hmac('AWS4' + secretAccessKey, day);
  const kRegion = hmac(kDate, scope.region);
  const kService = hmac(kRegion, scope.service);
  return hmac(kService, 'aws4_request');
}

/**
 * The hex signature of a canonical request made at `xAmzDate` (the request's X-Amz-Date) in
 * `scope`, with the secret: HMAC(signing key, string to sign).
 */
export function sigV4Signature(
  canonical: string,
  xAmzDate: string,
  scope: SigV4Scope,
  secretAccessKey: string,
): string {
  const day = xAmzDate.slice(0, 8);
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [SIGV4_ALGORITHM, xAmzDate, credentialScope, sha256Hex(canonical)].join('\n');
  return hmac(signingKey(secretAccessKey, day, scope), stringToSign).toString('hex');
}

/**
 * Signs `request` for AWS with SigV4 and returns the headers to send: the given ones plus host,
 * x-amz-date, x-amz-security-token (with a session token) and Authorization. `date` is the signing
 * time (now by default); AWS refuses a signature more than 5 minutes off its clock.
 */
export function signAwsRequest(
  request: SigV4Request,
  scope: SigV4Scope,
  credentials: AwsCredentials,
  date: Date = new Date(),
): Record<string, string> {
  const xAmzDate = amzDate(date);
  const headers: Record<string, string> = {
    ...request.headers,
    host: new URL(request.url).host,
    'x-amz-date': xAmzDate,
  };
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const { request: canonical, signedHeaders } = canonicalRequest(
    request.method,
    request.url,
    headers,
    request.body,
  );
  const signature = sigV4Signature(canonical, xAmzDate, scope, credentials.secretAccessKey);
  const credential = `${credentials.accessKeyId}/${xAmzDate.slice(0, 8)}/${scope.region}/${scope.service}/aws4_request`;
  headers.authorization = `${SIGV4_ALGORITHM} Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
