/**
 * The gate in front of Bolt: buffers the body (onto `req.rawBody`, where Bolt's receiver picks it
 * up again), verifies Slack's signature and timestamp window, and refuses a signed request seen
 * before in the window unless Slack marks it as its own retry. Every refusal is logged with its
 * reason; nothing refused reaches Bolt, the intake or the queue.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import {
  slackSignatureWindowSeconds,
  verifySlackSignature,
  type SlackSignatureRefusal,
} from './verify-slack-signature.ts';

export type SlackGuardRefusal = SlackSignatureRefusal | 'replayed' | 'too_large' | 'unreadable';

export type SlackGuardVerdict =
  { ok: true; retryNum?: number } | { ok: false; status: 400 | 401 | 413; reason: SlackGuardRefusal };

export interface SlackRequestGuard {
  check(req: IncomingMessage): Promise<SlackGuardVerdict>;
}

export function createSlackRequestGuard(options: {
  signingSecret: string;
  logger: Logger;
  now?: () => number;
  bodyLimitBytes?: number;
  windowSeconds?: number;
  /** How many signatures to remember for replay detection (a window's worth of traffic). */
  maxRemembered?: number;
}): SlackRequestGuard {
  const now = options.now ?? Date.now;
  const limit = options.bodyLimitBytes ?? 1024 * 1024;
  const windowMs = (options.windowSeconds ?? slackSignatureWindowSeconds) * 1000;
  const maxRemembered = options.maxRemembered ?? 50_000;
  // signature → when it leaves the window; insertion order is time order, so pruning stops early.
  const seen = new Map<string, number>();

  function prune(at: number): void {
    for (const [signature, until] of seen) {
      if (until > at && seen.size <= maxRemembered) break;
      seen.delete(signature);
    }
  }

  function refuse(
    req: IncomingMessage,
    status: 400 | 401 | 413,
    reason: SlackGuardRefusal,
  ): SlackGuardVerdict {
    options.logger.warn(
      { reason, path: req.url, remote: req.socket.remoteAddress, retryNum: header(req, 'x-slack-retry-num') },
      'slack request refused',
    );
    return { ok: false, status, reason };
  }

  return {
    async check(req) {
      let raw: Buffer;
      try {
        raw = await readBody(req, limit);
      } catch (error) {
        const tooLarge = (error as { tooLarge?: boolean }).tooLarge === true;
        return refuse(req, tooLarge ? 413 : 400, tooLarge ? 'too_large' : 'unreadable');
      }
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
      const rawBody = raw.toString('utf8');
      // Slack's unsigned SSL check carries nothing else (Bolt strips anything smuggled with it).
      if (/^ssl_check=1(&|$)/.test(rawBody) && !rawBody.includes('payload=')) return { ok: true };
      const signature = header(req, 'x-slack-signature');
      const verdict = verifySlackSignature({
        signingSecret: options.signingSecret,
        rawBody,
        timestamp: header(req, 'x-slack-request-timestamp'),
        signature,
        nowMs: now(),
        ...(options.windowSeconds === undefined ? {} : { windowSeconds: options.windowSeconds }),
      });
      if (!verdict.ok) return refuse(req, 401, verdict.reason);
      const retryHeader = header(req, 'x-slack-retry-num');
      const retryNum =
        retryHeader !== undefined && /^\d{1,3}$/.test(retryHeader) ? Number(retryHeader) : undefined;
      const at = now();
      prune(at);
      if (signature !== undefined) {
        if (seen.has(signature) && retryNum === undefined) return refuse(req, 401, 'replayed');
        seen.set(signature, at + windowMs);
      }
      return retryNum === undefined ? { ok: true } : { ok: true, retryNum };
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is drained and dropped, so the 413 can still be written.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () =>
      size > limit
        ? reject(Object.assign(new Error('body too large'), { tooLarge: true }))
        : resolve(Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}
