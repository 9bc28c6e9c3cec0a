/** Whether an RPC error is worth retrying: network failures, timeouts, rate limits, 5xx gateways. */
export function isTransientRpcError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    code?: unknown;
    message?: unknown;
    shortMessage?: unknown;
    error?: unknown;
    info?: unknown;
  };
  if (e.code === 'NETWORK_ERROR' || e.code === 'TIMEOUT' || e.code === 'SERVER_ERROR') return true;
  // Drop hex payloads (raw transactions, calldata) so their digits are never read as HTTP statuses.
  const text = [e.message, e.shortMessage]
    .filter((m): m is string => typeof m === 'string')
    .join(' ')
    .replace(/0x[0-9a-fA-F]+/g, '0x');
  if (
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|socket hang up|fetch failed|timeout|\b(429|502|503|504)\b|Too Many Requests|Bad Gateway|Service Unavailable/i.test(
      text,
    )
  ) {
    return true;
  }
  return e.error !== undefined && e.error !== error ? isTransientRpcError(e.error) : false;
}

/** Whether a send failed because the same transaction (or its nonce) is already known to the node. */
export function isAlreadyKnownError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; message?: unknown };
  if (e.code === 'NONCE_EXPIRED') return true;
  const text = typeof e.message === 'string' ? e.message : '';
  return /already known|known transaction|nonce too low|nonce has already been used|already imported/i.test(
    text,
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn`, retrying transient RPC errors with exponential backoff (`baseMs`, doubling, capped at
 * 5 s) up to `retries` times; other errors are thrown at once.
 */
export async function withRetries<T>(fn: () => Promise<T>, retries: number, baseMs: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= retries || !isTransientRpcError(error)) throw error;
      await sleep(Math.min(5_000, baseMs * 2 ** attempt));
    }
  }
}
