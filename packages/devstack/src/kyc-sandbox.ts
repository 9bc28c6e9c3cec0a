// A local KYC provider for development and tests, behaving like an inquiry-style vendor's documented
// API (Persona's shape): JSON:API resources behind a bearer API key, inquiries created for a
// reference id, a one-time link to a hosted page where the check is passed or failed, approve and
// decline endpoints, and webhooks signed HMAC-SHA256 over `<t>.<body>` in `Persona-Signature`,
// delivered with retries until the receiver answers 2xx (or 409: it already has the event).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Status = 'created' | 'pending' | 'completed' | 'approved' | 'declined' | 'expired';

interface Inquiry {
  id: string;
  status: Status;
  templateId: string;
  referenceId: string | null;
  fields: Record<string, string>;
  createdAt: string;
  completedAt: string | null;
  decisionedAt: string | null;
  documents: string[];
  verifications: string[];
  /** Outstanding one-time codes for the hosted page. */
  codes: string[];
}

export interface WebhookDelivery {
  eventId: string;
  name: string;
  inquiryId: string;
  attempts: number;
  lastStatus: number | null;
  delivered: boolean;
}

export interface KycSandboxOptions {
  port?: number;
  host?: string;
  apiKey: string;
  webhookSecret: string;
  /** Where events are delivered (our webhook, through the gateway); none: events are only listed. */
  webhookUrl?: string;
  /** Persist inquiries here across restarts. */
  stateFile?: string;
  /** Delay before the n-th retry (ms); default 500 · 2^n, at most 6 attempts. */
  retryDelayMs?: (attempt: number) => number;
  maxAttempts?: number;
}

export interface RunningKycSandbox {
  url: string;
  /** The API base (`<url>/api/v1`). */
  apiUrl: string;
  deliveries: WebhookDelivery[];
  /** Resolves once every queued delivery has ended (delivered or given up). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Signs as the vendor does (the receiver's check is in the investors subgraph's kyc/provider.ts). */
export function sandboxSignature(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** Starts the sandbox. */
export async function startKycSandbox(options: KycSandboxOptions): Promise<RunningKycSandbox> {
  const inquiries = new Map<string, Inquiry>();
  if (options.stateFile) {
    try {
      for (const q of JSON.parse(readFileSync(options.stateFile, 'utf8')) as Inquiry[])
        inquiries.set(q.id, q);
    } catch {
      // no state yet
    }
  }
  const save = () => {
    if (options.stateFile) writeFileSync(options.stateFile, JSON.stringify([...inquiries.values()]));
  };
  const deliveries: WebhookDelivery[] = [];
  const pending = new Set<Promise<void>>();
  const maxAttempts = options.maxAttempts ?? 6;
  const delay = options.retryDelayMs ?? ((n: number) => 500 * 2 ** n);
  let closed = false;

  const resource = (q: Inquiry) => ({
    type: 'inquiry',
    id: q.id,
    attributes: {
      status: q.status,
      'reference-id': q.referenceId,
      'inquiry-template-id': q.templateId,
      fields: q.fields,
      'created-at': q.createdAt,
      'completed-at': q.completedAt,
      'decisioned-at': q.decisionedAt,
    },
    relationships: {
      documents: { data: q.documents.map((d) => ({ type: 'document/government-id', id: d })) },
      verifications: { data: q.verifications.map((v) => ({ type: 'verification/government-id', id: v })) },
    },
  });

  const deliver = (name: string, q: Inquiry) => {
    const event = {
      data: {
        type: 'event',
        id: id('evt'),
        attributes: { name, 'created-at': new Date().toISOString(), payload: { data: resource(q) } },
      },
    };
    const record: WebhookDelivery = {
      eventId: event.data.id,
      name,
      inquiryId: q.id,
      attempts: 0,
      lastStatus: null,
      delivered: false,
    };
    deliveries.push(record);
    if (!options.webhookUrl) return;
    const body = JSON.stringify(event);
    const run = (async () => {
      while (!closed && record.attempts < maxAttempts) {
        record.attempts++;
        try {
          const res = await fetch(options.webhookUrl!, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'persona-signature': sandboxSignature(options.webhookSecret, body),
            },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          record.lastStatus = res.status;
          await res.arrayBuffer();
          if (res.ok || res.status === 409) {
            record.delivered = true;
            return;
          }
        } catch {
          record.lastStatus = null;
        }
        await new Promise((r) => setTimeout(r, delay(record.attempts - 1)).unref());
      }
    })();
    pending.add(run);
    void run.finally(() => pending.delete(run));
  };

  const decide = (q: Inquiry, outcome: 'approved' | 'declined') => {
    const now = new Date().toISOString();
    if (q.status === 'created' || q.status === 'pending') {
      q.status = 'completed';
      q.completedAt = now;
      q.documents = [id('doc')];
      q.verifications = [id('ver')];
      deliver('inquiry.completed', q);
    }
    q.status = outcome;
    q.decisionedAt = now;
    q.codes = [];
    save();
    deliver(`inquiry.${outcome}`, q);
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  };
  const apiError = (res: ServerResponse, status: number, title: string) =>
    json(res, status, { errors: [{ title }] });
  const html = (res: ServerResponse, status: number, title: string, body: string) => {
    res.statusCode = status;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>` +
        '<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem}' +
        'button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}label{display:block;margin:.75rem 0}</style>' +
        `</head><body><h1>${esc(title)}</h1>${body}</body></html>`,
    );
  };
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > 64 * 1024) throw new Error('too large');
      chunks.push(c);
    }
    return Buffer.concat(chunks).toString('utf8');
  };
  const authorized = (req: IncomingMessage) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${options.apiKey}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  let publicUrl = '';
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) apiError(res, 500, 'internal error');
      else res.end();
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/health') return json(res, 200, { ok: true });
    if (path === '/verify') {
      if (req.method === 'GET') {
        const q = inquiries.get(url.searchParams.get('inquiry-id') ?? '');
        const code = url.searchParams.get('code') ?? '';
        if (!q || !q.codes.includes(code))
          return html(
            res,
            404,
            'Link not valid',
            '<p>This verification link is not valid or was already used.</p>',
          );
        if (q.status === 'created') {
          q.status = 'pending';
          save();
        }
        return html(
          res,
          200,
          'Identity verification',
          `<p>Verifying <strong>${esc(q.fields['legal-name'] ?? 'the investor')}</strong> (${esc(q.fields['address-country-code'] ?? '')}).</p>` +
            '<p>This is the local KYC sandbox: no document is uploaded; choose the outcome the provider would reach.</p>' +
            `<form method="post" action="/verify"><input type="hidden" name="inquiry-id" value="${esc(q.id)}">` +
            `<input type="hidden" name="code" value="${esc(code)}">` +
            '<label>Document number <input name="document-number" autocomplete="off"></label>' +
            '<button name="outcome" value="pass" type="submit">Pass verification</button>' +
            '<button name="outcome" value="fail" type="submit">Fail verification</button></form>',
        );
      }
      if (req.method === 'POST') {
        const form = new URLSearchParams(await readBody(req));
        const q = inquiries.get(form.get('inquiry-id') ?? '');
        const code = form.get('code') ?? '';
        if (!q || !q.codes.includes(code))
          return html(
            res,
            404,
            'Link not valid',
            '<p>This verification link is not valid or was already used.</p>',
          );
        const outcome = form.get('outcome') === 'pass' ? 'approved' : 'declined';
        decide(q, outcome);
        return html(
          res,
          200,
          outcome === 'approved' ? 'Verification passed' : 'Verification failed',
          '<p>You can close this page. The platform is being told the outcome.</p>',
        );
      }
    }
    if (path === '/sandbox/deliveries' && req.method === 'GET') return json(res, 200, deliveries);
    if (!path.startsWith('/api/v1/')) return apiError(res, 404, 'not found');
    if (!authorized(req)) return apiError(res, 401, 'invalid API key');
    const parts = path.slice('/api/v1/'.length).split('/').map(decodeURIComponent);
    if (parts[0] !== 'inquiries') return apiError(res, 404, 'not found');
    if (parts.length === 1 && req.method === 'POST') {
      let attrs: Record<string, unknown> = {};
      try {
        attrs =
          (JSON.parse(await readBody(req)) as { data?: { attributes?: Record<string, unknown> } }).data
            ?.attributes ?? {};
      } catch {
        return apiError(res, 400, 'body is not JSON');
      }
      const templateId = attrs['inquiry-template-id'];
      if (typeof templateId !== 'string' || !templateId.startsWith('itmpl_'))
        return apiError(res, 422, 'inquiry-template-id is required');
      const fields = Object.fromEntries(
        Object.entries((attrs.fields as Record<string, unknown>) ?? {}).filter(
          ([, v]) => typeof v === 'string',
        ),
      ) as Record<string, string>;
      const q: Inquiry = {
        id: id('inq'),
        status: 'created',
        templateId,
        referenceId: typeof attrs['reference-id'] === 'string' ? attrs['reference-id'] : null,
        fields,
        createdAt: new Date().toISOString(),
        completedAt: null,
        decisionedAt: null,
        documents: [],
        verifications: [],
        codes: [],
      };
      inquiries.set(q.id, q);
      save();
      deliver('inquiry.created', q);
      return json(res, 201, { data: resource(q) });
    }
    const q = inquiries.get(parts[1] ?? '');
    if (!q) return apiError(res, 404, `inquiry ${parts[1] ?? ''} not found`);
    if (parts.length === 2 && req.method === 'GET') return json(res, 200, { data: resource(q) });
    if (parts.length === 3 && req.method === 'POST') {
      if (parts[2] === 'generate-one-time-link') {
        if (!['created', 'pending'].includes(q.status)) return apiError(res, 409, `inquiry is ${q.status}`);
        const code = randomBytes(16).toString('hex');
        q.codes.push(code);
        save();
        return json(res, 200, {
          data: resource(q),
          meta: { 'one-time-link': `${publicUrl}/verify?inquiry-id=${q.id}&code=${code}` },
        });
      }
      if (parts[2] === 'approve' || parts[2] === 'decline') {
        if (['approved', 'declined', 'expired'].includes(q.status))
          return apiError(res, 409, `inquiry is ${q.status}`);
        decide(q, parts[2] === 'approve' ? 'approved' : 'declined');
        return json(res, 200, { data: resource(q) });
      }
      if (parts[2] === 'expire') {
        if (!['created', 'pending'].includes(q.status)) return apiError(res, 409, `inquiry is ${q.status}`);
        q.status = 'expired';
        q.codes = [];
        save();
        deliver('inquiry.expired', q);
        return json(res, 200, { data: resource(q) });
      }
    }
    return apiError(res, 404, 'not found');
  };

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  publicUrl = `http://127.0.0.1:${port}`;
  return {
    url: publicUrl,
    apiUrl: `${publicUrl}/api/v1`,
    deliveries,
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async close() {
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
