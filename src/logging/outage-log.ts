/**
 * A dependency's connection errors, said once per outage rather than once per reconnect attempt
 * (ioredis retries every few hundred milliseconds): the first error of a quiet spell is logged,
 * the others within `quietMs` are counted and the count is said with the next one logged.
 */
import type { Logger } from 'pino';

export function createOutageLog(logger: Logger, message: string, quietMs = 30_000): (error: unknown) => void {
  let lastLoggedAt = -Infinity;
  let unsaid = 0;
  return (error) => {
    const now = Date.now();
    if (now - lastLoggedAt < quietMs) {
      unsaid++;
      return;
    }
    logger.warn({ err: error, ...(unsaid > 0 ? { alsoSince: unsaid } : {}) }, message);
    lastLoggedAt = now;
    unsaid = 0;
  };
}
