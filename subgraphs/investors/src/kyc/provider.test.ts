import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startKycSandbox, type RunningKycSandbox } from '@tranche/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkWebhookSignature,
  HttpKycProvider,
  KycProviderError,
  parseInquiry,
  parseWebhookEvent,
  signWebhook,
} from './provider.js';

const SECRET = 'wbhsec_test_secret_0123456789';
const NOW = 1_800_000_000;

describe('webhook signatures (HMAC-SHA256 over timestamp and body)', () => {
  const body = '{"data":{"type":"event","id":"evt_1"}}';

  it('accepts the vendor’s signature of the exact body within the tolerance', () => {
    expect(checkWebhookSignature(signWebhook(SECRET, body, NOW - 60), body, SECRET, NOW, 300)).toBeNull();
  });

  it('refuses a signature made with another secret, of another body, or missing', () => {
    expect(
      checkWebhookSignature(signWebhook('another-secret-000000', body, NOW), body, SECRET, NOW, 300),
    ).toBe('BAD_SIGNATURE');
    expect(checkWebhookSignature(signWebhook(SECRET, body, NOW), body + ' ', SECRET, NOW, 300)).toBe(
      'BAD_SIGNATURE',
    );
    expect(checkWebhookSignature(undefined, body, SECRET, NOW, 300)).toBe('MISSING_SIGNATURE');
    expect(checkWebhookSignature('garbage', body, SECRET, NOW, 300)).toBe('MISSING_SIGNATURE');
    expect(checkWebhookSignature(`t=${NOW},v1=zz`, body, SECRET, NOW, 300)).toBe('BAD_SIGNATURE');
  });

  it('refuses an authentic signature whose timestamp is older (or further ahead) than the tolerance', () => {
    expect(checkWebhookSignature(signWebhook(SECRET, body, NOW - 301), body, SECRET, NOW, 300)).toBe(
      'STALE_TIMESTAMP',
    );
    expect(checkWebhookSignature(signWebhook(SECRET, body, NOW + 301), body, SECRET, NOW, 300)).toBe(
      'STALE_TIMESTAMP',
    );
  });

  it('accepts either signature while the vendor rotates its secret', () => {
    const header = `${signWebhook('the-old-secret-000000', body, NOW)} ${signWebhook(SECRET, body, NOW)}`;
    expect(checkWebhookSignature(header, body, SECRET, NOW, 300)).toBeNull();
  });
});

describe('vendor payloads', () => {
  it('parses an inquiry event and refuses what is not one', () => {
    const event = {
      data: {
        type: 'event',
        id: 'evt_abc123',
        attributes: {
          name: 'inquiry.approved',
          'created-at': '2026-12-04T00:00:00.000Z',
          payload: { data: { type: 'inquiry', id: 'inq_1' } },
        },
      },
    };
    expect(parseWebhookEvent(event)).toMatchObject({
      id: 'evt_abc123',
      name: 'inquiry.approved',
      inquiryId: 'inq_1',
    });
    expect(parseWebhookEvent({ data: { ...event.data, type: 'inquiry' } })).toBeNull();
    expect(parseWebhookEvent({ data: { ...event.data, id: 'evt_../../x' } })).toBeNull();
    expect(
      parseWebhookEvent({
        data: { ...event.data, attributes: { ...event.data.attributes, name: 'account.created' } },
      }),
    ).toBeNull();
    expect(parseWebhookEvent(null)).toBeNull();
    expect(parseWebhookEvent([])).toBeNull();
  });

  it('refuses an inquiry with an unknown status', () => {
    expect(() =>
      parseInquiry({ data: { type: 'inquiry', id: 'inq_1', attributes: { status: 'maybe' } } }),
    ).toThrow(KycProviderError);
  });
});

describe('the HTTP adapter against the local sandbox', () => {
  let sandbox: RunningKycSandbox;
  const received: { signature: string; body: string }[] = [];
  let receiver: ReturnType<typeof createServer>;
  let provider: HttpKycProvider;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ signature: String(req.headers['persona-signature']), body });
        res.statusCode = received.length === 1 ? 500 : 200; // the first delivery fails: it is retried
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    sandbox = await startKycSandbox({
      apiKey: 'sk_test_key',
      webhookSecret: SECRET,
      webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/kyc`,
      retryDelayMs: () => 20,
    });
    provider = new HttpKycProvider({
      name: 'kyc-sandbox',
      baseUrl: sandbox.apiUrl,
      apiKey: 'sk_test_key',
      templateId: 'itmpl_test',
    });
  });
  afterAll(async () => {
    await sandbox?.close();
    receiver?.close();
  });

  it('creates an inquiry with a one-time link, approves it, and signs every webhook it delivers', async () => {
    const inquiry = await provider.createInquiry('investor-1', { 'legal-name': 'Jane Roe' });
    expect(inquiry).toMatchObject({ status: 'created', referenceId: 'investor-1' });
    expect(inquiry.hostedUrl).toMatch(new RegExp(`^${sandbox.url}/verify\\?inquiry-id=${inquiry.id}&code=`));
    const page = await fetch(inquiry.hostedUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Jane Roe');

    const approved = await fetch(`${sandbox.apiUrl}/inquiries/${inquiry.id}/approve`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_key' },
    });
    expect(approved.status).toBe(200);
    const read = await provider.retrieveInquiry(inquiry.id);
    expect(read.status).toBe('approved');
    expect(read.decidedAt).toBeInstanceOf(Date);
    expect(read.evidence.documents).toHaveLength(1);

    await sandbox.idle();
    const names = received.map((r) => parseWebhookEvent(JSON.parse(r.body))?.name);
    expect(names).toContain('inquiry.approved');
    for (const r of received)
      expect(
        checkWebhookSignature(r.signature, r.body, SECRET, Math.floor(Date.now() / 1000), 300),
      ).toBeNull();
    // the failed first delivery was retried: every event ends delivered
    expect(sandbox.deliveries.every((d) => d.delivered)).toBe(true);
    expect(sandbox.deliveries[0]!.attempts).toBe(2);
  });

  it('refuses a wrong API key and an unknown inquiry, and reports an unreachable vendor', async () => {
    const wrongKey = new HttpKycProvider({
      name: 'x',
      baseUrl: sandbox.apiUrl,
      apiKey: 'sk_wrong',
      templateId: 'itmpl_test',
    });
    await expect(wrongKey.createInquiry('r', {})).rejects.toMatchObject({ status: 401 });
    await expect(provider.retrieveInquiry('inq_nope')).rejects.toMatchObject({ status: 404 });
    const down = new HttpKycProvider({
      name: 'x',
      baseUrl: 'http://127.0.0.1:9/api/v1',
      apiKey: 'k',
      templateId: 'itmpl_test',
    });
    await expect(down.createInquiry('r', {})).rejects.toThrow(/unreachable/);
  });

  it('spends the hosted page’s one-time code once', async () => {
    const inquiry = await provider.createInquiry('investor-2', {});
    const url = new URL(inquiry.hostedUrl!);
    const form = new URLSearchParams({
      'inquiry-id': url.searchParams.get('inquiry-id')!,
      code: url.searchParams.get('code')!,
      outcome: 'fail',
    });
    const first = await fetch(`${sandbox.url}/verify`, { method: 'POST', body: form });
    expect(first.status).toBe(200);
    expect((await provider.retrieveInquiry(inquiry.id)).status).toBe('declined');
    const again = await fetch(`${sandbox.url}/verify`, { method: 'POST', body: form });
    expect(again.status).toBe(404);
  });
});
