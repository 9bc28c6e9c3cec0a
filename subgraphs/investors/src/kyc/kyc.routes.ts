import type { IncomingMessage, ServerResponse } from 'node:http';
import { enqueueJob, type SubgraphRouteDeps } from '@tranche/platform';
import { KycInquiry } from './kyc-inquiry.entity.js';
import { KYC_EVENT_TASK } from './kyc.jobs.js';
import { checkWebhookSignature, parseWebhookEvent, WEBHOOK_SIGNATURE_HEADER } from './provider.js';

/** Where the KYC provider delivers its webhooks (through the gateway). */
export const KYC_WEBHOOK_PATH = '/webhooks/kyc';
/** A provider event is a few kilobytes; anything far larger is not one. */
const MAX_WEBHOOK_BYTES = 256 * 1024;

function answer(res: ServerResponse, status: number, code: string, message: string): true {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ code, message }));
  return true;
}

async function readRaw(req: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `POST /webhooks/kyc`: the KYC provider's events. Authenticated by signature, not by a bearer
 * token: HMAC-SHA256 of `<t>.<raw body>` with KYC_WEBHOOK_SECRET in the `Persona-Signature` header,
 * `t` within KYC_WEBHOOK_TOLERANCE_SECONDS. Answers
 * - 503 when no secret is configured (fail closed: nothing is accepted unchecked);
 * - 401 for a missing or bad signature or a stale timestamp, 400 for a body that is not an inquiry
 *   event, 413 beyond 256 KiB;
 * - 409 for an event id already accepted (a replay, or a redelivery of what we hold): nothing runs
 *   twice;
 * - 200 once the event is recorded and its processing queued (`investors:kyc-event`), in one
 *   transaction; 404 for an inquiry we do not hold (yet: the provider delivers it again).
 */
export function kycRoutes(deps: SubgraphRouteDeps) {
  const { config, orm, logger } = deps;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname !== KYC_WEBHOOK_PATH) return false;
    if (req.method !== 'POST') {
      res.statusCode = 405;
      res.setHeader('allow', 'POST');
      res.end();
      return true;
    }
    const secret = config.KYC_WEBHOOK_SECRET;
    if (!secret) {
      req.resume();
      return answer(res, 503, 'WEBHOOK_NOT_CONFIGURED', 'no KYC webhook secret is configured');
    }
    const body = await readRaw(req, MAX_WEBHOOK_BYTES);
    if (body === null) {
      res.setHeader('connection', 'close');
      return answer(res, 413, 'PAYLOAD_TOO_LARGE', `a webhook is at most ${MAX_WEBHOOK_BYTES} bytes`);
    }
    const header = req.headers[WEBHOOK_SIGNATURE_HEADER];
    const refusal = checkWebhookSignature(
      Array.isArray(header) ? header.join(' ') : header,
      body,
      secret,
      Math.floor(Date.now() / 1000),
      config.KYC_WEBHOOK_TOLERANCE_SECONDS,
    );
    if (refusal) {
      logger.warn({ refusal }, 'kyc webhook refused');
      return answer(res, 401, refusal, `webhook refused: ${refusal.toLowerCase().replaceAll('_', ' ')}`);
    }
    let event;
    try {
      event = parseWebhookEvent(JSON.parse(body));
    } catch {
      event = null;
    }
    if (!event) return answer(res, 400, 'BAD_EVENT', 'the body is not an inquiry event');
    const em = orm.em.fork();
    const inquiry = await em.findOne(KycInquiry, { providerInquiryId: event.inquiryId });
    if (!inquiry) {
      // not (yet) ours: the provider may call before the transaction that records the inquiry
      // commits; a non-2xx answer makes it deliver again later
      logger.warn({ eventId: event.id, inquiry: event.inquiryId }, 'kyc webhook for an unknown inquiry');
      return answer(res, 404, 'UNKNOWN_INQUIRY', `no inquiry ${event.inquiryId}`);
    }
    const accepted = await em.transactional(async (tx) => {
      const inserted = await tx.execute<{ event_id: string }[]>(
        `insert into "investors"."kyc_webhook_event" (event_id, tenant_id, name, provider_inquiry_id, received_at)
         values (?, ?, ?, ?, now()) on conflict (event_id) do nothing returning event_id`,
        [event.id, inquiry.tenantId, event.name, event.inquiryId],
      );
      if (!inserted.length) return false;
      await enqueueJob(
        tx,
        KYC_EVENT_TASK,
        { eventId: event.id },
        { jobKey: `${KYC_EVENT_TASK}:${event.id}` },
      );
      return true;
    });
    if (!accepted) return answer(res, 409, 'REPLAYED_EVENT', `event ${event.id} was already received`);
    return answer(res, 200, 'ACCEPTED', `event ${event.id} accepted`);
  };
}
