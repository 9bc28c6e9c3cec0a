import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The structured logger every service uses: JSON lines on stdout, one `service` field, and
 * request-scoped children carrying `requestId` (see {@link requestLogger}).
 */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: ['req.headers.authorization', 'authorization', 'password'], censor: '[redacted]' },
  });
}

/** A child logger bound to one request id. */
export function requestLogger(logger: Logger, requestId: string): Logger {
  return logger.child({ requestId });
}
