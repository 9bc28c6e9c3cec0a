import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The KYC provider adapter: one interface over an inquiry-style vendor API (the shape Persona
 * documents, and the local sandbox of `@tranche/devstack` implements): we create an inquiry for an
 * investor, the investor completes it on the vendor's hosted page (opened through a one-time link),
 * and the vendor tells us the outcome by a signed webhook; we then read the inquiry back from the
 * API, which — not the webhook body — is the record we act on.
 */
export interface KycProvider {
  /** The name recorded as the investor's `kycProvider`. */
  readonly name: string;
  /** Opens an inquiry for `referenceId` (our investor id) and returns it with its hosted-page link. */
  createInquiry(referenceId: string, fields: Record<string, string>): Promise<ProviderInquiry>;
  /** The inquiry as the vendor holds it now. */
  retrieveInquiry(inquiryId: string): Promise<ProviderInquiry>;
}

/** Inquiry states of the vendor's API. */
export type ProviderInquiryStatus =
  'created' | 'pending' | 'completed' | 'needs_review' | 'approved' | 'declined' | 'failed' | 'expired';

const STATUSES = new Set<string>([
  'created',
  'pending',
  'completed',
  'needs_review',
  'approved',
  'declined',
  'failed',
  'expired',
]);

export interface ProviderInquiry {
  id: string;
  status: ProviderInquiryStatus;
  referenceId: string | null;
  /** The one-time link to the hosted page (only when just created). */
  hostedUrl: string | null;
  decidedAt: Date | null;
  /** What the vendor checked (document and verification ids), never the documents themselves. */
  evidence: { documents: string[]; verifications: string[] };
}

/** A vendor API call that failed: unreachable, refused, or answered with something unexpected. */
export class KycProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'KycProviderError';
  }
}

interface JsonApiInquiry {
  data?: {
    id?: unknown;
    type?: unknown;
    attributes?: Record<string, unknown>;
    relationships?: Record<string, { data?: { id?: unknown; type?: unknown }[] }>;
  };
  meta?: Record<string, unknown>;
}

/** Parses an inquiry resource of the vendor's JSON:API answers. */
export function parseInquiry(body: unknown, hostedUrl: string | null = null): ProviderInquiry {
  const data = (body as JsonApiInquiry | null)?.data;
  const attrs = data?.attributes ?? {};
  const status = attrs.status;
  if (
    typeof data?.id !== 'string' ||
    data.type !== 'inquiry' ||
    typeof status !== 'string' ||
    !STATUSES.has(status)
  )
    throw new KycProviderError('the provider answered with something that is not an inquiry');
  const ids = (rel: string) =>
    (data.relationships?.[rel]?.data ?? []).flatMap((r) => (typeof r.id === 'string' ? [r.id] : []));
  const decided = attrs['decisioned-at'] ?? attrs['completed-at'];
  return {
    id: data.id,
    status: status as ProviderInquiryStatus,
    referenceId: typeof attrs['reference-id'] === 'string' ? attrs['reference-id'] : null,
    hostedUrl,
    decidedAt: typeof decided === 'string' ? new Date(decided) : null,
    evidence: { documents: ids('documents'), verifications: ids('verifications') },
  };
}

export interface HttpKycProviderOptions {
  name: string;
  /** The API's base, e.g. `https://vendor.example/api/v1` or the sandbox's. */
  baseUrl: string;
  apiKey: string;
  templateId: string;
  /** Per call; default 10 s. */
  timeoutMs?: number;
}

/** The vendor's REST API (JSON:API, bearer key), as documented; the sandbox speaks the same. */
export class HttpKycProvider implements KycProvider {
  readonly name: string;
  constructor(private readonly options: HttpKycProviderOptions) {
    this.name = options.name;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new KycProviderError(`the KYC provider is unreachable: ${(err as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok)
      throw new KycProviderError(
        `the KYC provider answered ${res.status}: ${text.slice(0, 200)}`,
        res.status,
      );
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new KycProviderError('the KYC provider answered with something that is not JSON');
    }
  }

  async createInquiry(referenceId: string, fields: Record<string, string>): Promise<ProviderInquiry> {
    const created = parseInquiry(
      await this.call('POST', '/inquiries', {
        data: {
          attributes: { 'inquiry-template-id': this.options.templateId, 'reference-id': referenceId, fields },
        },
      }),
    );
    const link = (await this.call(
      'POST',
      `/inquiries/${encodeURIComponent(created.id)}/generate-one-time-link`,
    )) as JsonApiInquiry;
    const url = link.meta?.['one-time-link'];
    if (typeof url !== 'string') throw new KycProviderError('the provider gave no link to its hosted page');
    return { ...created, hostedUrl: url };
  }

  async retrieveInquiry(inquiryId: string): Promise<ProviderInquiry> {
    return parseInquiry(await this.call('GET', `/inquiries/${encodeURIComponent(inquiryId)}`));
  }
}

/** The header the vendor signs its webhooks in: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'persona-signature';

/** Signs a webhook body as the vendor does: HMAC-SHA256 over `<t>.<body>` with the shared secret. */
export function signWebhook(secret: string, body: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** Why a webhook was refused. */
export type WebhookRefusal = 'MISSING_SIGNATURE' | 'BAD_SIGNATURE' | 'STALE_TIMESTAMP';

/**
 * Checks a webhook's signature header against the raw body: one of its `v1` signatures (a vendor
 * sends two while a secret rotates) must be the HMAC of `<t>.<body>`, compared in constant time,
 * and `t` must be within `toleranceSeconds` of `nowSeconds` (so a captured request cannot be
 * replayed later). Returns null when the webhook is authentic, else the reason.
 */
export function checkWebhookSignature(
  header: string | undefined,
  body: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds: number,
): WebhookRefusal | null {
  if (!header) return 'MISSING_SIGNATURE';
  // "t=…,v1=… t=…,v1=…" during a rotation: each group signed at its own t
  const groups = header.trim().split(/\s+/);
  let authentic: number | null = null;
  for (const group of groups) {
    const parts = Object.fromEntries(
      group.split(',').map((kv) => {
        const i = kv.indexOf('=');
        return [kv.slice(0, i), kv.slice(i + 1)];
      }),
    );
    const t = Number(parts.t);
    const v1 = parts.v1;
    if (!Number.isSafeInteger(t) || typeof v1 !== 'string' || !/^[0-9a-f]{64}$/i.test(v1)) continue;
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
    if (timingSafeEqual(expected, Buffer.from(v1, 'hex'))) {
      authentic = t;
      break;
    }
  }
  if (authentic === null)
    return groups.some((g) => g.includes('v1=')) ? 'BAD_SIGNATURE' : 'MISSING_SIGNATURE';
  if (Math.abs(nowSeconds - authentic) > toleranceSeconds) return 'STALE_TIMESTAMP';
  return null;
}

/** A webhook event of the vendor: its id (unique, the replay key), name and inquiry. */
export interface WebhookEvent {
  id: string;
  name: string;
  createdAt: Date | null;
  inquiryId: string;
}

/**
 * Parses a webhook body (`{ data: { type: 'event', id, attributes: { name, payload: { data:
 * <inquiry> } } } }`); null when it is not an inquiry event.
 */
export function parseWebhookEvent(body: unknown): WebhookEvent | null {
  const data = (
    body as { data?: { type?: unknown; id?: unknown; attributes?: Record<string, unknown> } } | null
  )?.data;
  const attrs = data?.attributes;
  const inquiry = (attrs?.payload as { data?: { id?: unknown; type?: unknown } } | undefined)?.data;
  if (
    data?.type !== 'event' ||
    typeof data.id !== 'string' ||
    !/^evt_[A-Za-z0-9]{1,64}$/.test(data.id) ||
    typeof attrs?.name !== 'string' ||
    !attrs.name.startsWith('inquiry.') ||
    inquiry?.type !== 'inquiry' ||
    typeof inquiry.id !== 'string' ||
    inquiry.id.length > 80
  )
    return null;
  const created = attrs['created-at'];
  return {
    id: data.id,
    name: attrs.name,
    createdAt: typeof created === 'string' ? new Date(created) : null,
    inquiryId: inquiry.id,
  };
}
