/**
 * The WeCom callback URL: URL verification (GET) and encrypted message callbacks (POST).
 * A POST is checked (signature in constant time, timestamp, corp id, XML), answered at once with
 * an empty 200, and handed to the intake afterwards; WeCom retries slow answers, so retries are
 * de-duplicated here (recently seen keys) and in the intake (the durable chat inbox).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ChatIntake } from '../../src/ports/chat-intake.ts';
import type { DecisionLine } from '../../src/ports/decision-line.ts';
import type { ChatInbound } from '../../src/ports/chat-message.ts';
import { openWeComEnvelope, unauthenticatedRefusals } from './open-wecom-envelope.ts';
import { maxWeComXmlBytes, parseWeComXml } from './parse-wecom-xml.ts';
import { cardClickLine, readWeComMessage } from './read-wecom-message.ts';
import type { WeComMessage } from './read-wecom-message.ts';
import { createRecentKeys } from './recent-keys.ts';
import type { WeComCardStore } from './wecom-card-store.ts';
import { createInFlightWork } from '../../src/domain/in-flight-work.ts';

export type WeComCallbackLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface WeComCallbackOptions {
  token: string;
  encodingAESKey: string;
  corpId: string;
  agentId: string | number;
  intake: ChatIntake;
  /** How a card click is written as the line it stands for. */
  decisionLine: DecisionLine;
  logger: WeComCallbackLogger;
  /** Card clicks are recorded here (response codes for update_template_card). */
  cards?: WeComCardStore;
  now?: () => Date;
  /** How far a callback's timestamp may be from now; 300 s by default. */
  maxSkewSeconds?: number;
  /** The only path answered; `/wecom/callback` by default. */
  path?: string;
  /** How long a seen message id is remembered for de-duplication; 10 minutes by default. */
  dedupeTtlMs?: number;
}

export interface WeComCallbackServer {
  url: string;
  close(): Promise<void>;
}

export interface WeComCallback extends RequestListener {
  /** Serves the callback on its own HTTP server (127.0.0.1 and a free port by default). */
  listen(port?: number, host?: string): Promise<WeComCallbackServer>;
  /** Resolves when every accepted message has been handed to the intake. */
  idle(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body = ''): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function createWeComCallback(options: WeComCallbackOptions): WeComCallback {
  const { intake, logger, cards } = options;
  const now = options.now ?? (() => new Date());
  const maxSkewSeconds = options.maxSkewSeconds ?? 300;
  const path = options.path ?? '/wecom/callback';
  const agentId = String(options.agentId);
  const recent = createRecentKeys({ ttlMs: options.dedupeTtlMs ?? 10 * 60_000, maxKeys: 50_000, now });
  const inFlight = createInFlightWork();

  const open = (query: URLSearchParams, encrypted: string | null) =>
    openWeComEnvelope({
      token: options.token,
      encodingAESKey: options.encodingAESKey,
      corpId: options.corpId,
      signature: query.get('msg_signature'),
      timestamp: query.get('timestamp'),
      nonce: query.get('nonce'),
      encrypted,
      now: now(),
      maxSkewSeconds,
    });

  const refuse = (res: ServerResponse, status: number, reason: string, req: IncomingMessage) => {
    // The refusal is the audit trail of an attack or a misconfiguration: log it, never the secrets.
    logger.warn(
      { platform: 'wecom', reason, method: req.method, remote: req.socket.remoteAddress },
      'wecom callback refused',
    );
    answer(res, status, reason);
  };

  async function toInbound(message: Exclude<WeComMessage, { kind: 'ignored' }>): Promise<ChatInbound | null> {
    // A typed line, or a press of an offered line's Start: the person's own words, as they are.
    if (message.kind === 'text' || message.kind === 'offerClick') {
      return {
        platform: 'wecom',
        messageId: message.messageId,
        platformUserId: message.userId,
        conversationId: message.userId,
        text: message.kind === 'text' ? message.text : message.line,
      };
    }
    const card = cards ? await cards.get(message.taskId) : undefined;
    // A click must come from the card's own approver and name the card's request.
    if (card && (card.userId !== message.userId || card.requestId !== message.requestId)) {
      logger.warn(
        { platform: 'wecom', taskId: message.taskId, userId: message.userId, requestId: message.requestId },
        'wecom card click does not match its card; ignored',
      );
      return null;
    }
    // A Repair press decides nothing on a card: no approval card of the grant is to close for it.
    if (cards && message.taskId && message.responseCode && message.decision !== 'repair') {
      await cards.recordClick({
        taskId: message.taskId,
        requestId: message.requestId,
        userId: message.userId,
        responseCode: message.responseCode,
        messageId: message.messageId,
      });
    }
    return {
      platform: 'wecom',
      messageId: message.messageId,
      platformUserId: message.userId,
      conversationId: message.userId,
      text: cardClickLine(message.decision, message.requestId, card?.locale ?? 'en', options.decisionLine),
    };
  }

  async function handOver(message: Exclude<WeComMessage, { kind: 'ignored' }>): Promise<void> {
    try {
      const inbound = await toInbound(message);
      if (!inbound) return;
      const fresh = await intake.receive(inbound);
      logger.info(
        { platform: 'wecom', messageId: inbound.messageId, user: inbound.platformUserId, fresh },
        fresh ? 'wecom message received' : 'wecom message seen before',
      );
    } catch (err) {
      // Let WeCom's retry (or a later one) try again.
      recent.forget(message.dedupeKey);
      logger.error({ err, platform: 'wecom', dedupeKey: message.dedupeKey }, 'wecom hand-over failed');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) return answer(res, 404, 'not found');
    const query = url.searchParams;

    if (req.method === 'GET') {
      const opened = open(query, query.get('echostr'));
      if (!opened.ok)
        return refuse(res, unauthenticatedRefusals.has(opened.reason) ? 401 : 400, opened.reason, req);
      logger.info({ platform: 'wecom' }, 'wecom callback URL verified');
      return answer(res, 200, opened.message);
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return answer(res, 405, 'method not allowed');
    }

    let body: string;
    try {
      body = await readBody(req, maxWeComXmlBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) return refuse(res, 413, 'body_too_large', req);
      throw error;
    }
    const outer = parseWeComXml(body);
    if (!outer.ok) return refuse(res, 400, `malformed_envelope: ${outer.reason}`, req);
    const opened = open(query, outer.fields['Encrypt'] ?? null);
    if (!opened.ok)
      return refuse(res, unauthenticatedRefusals.has(opened.reason) ? 401 : 400, opened.reason, req);
    const inner = parseWeComXml(opened.message);
    if (!inner.ok) return refuse(res, 400, `malformed_message: ${inner.reason}`, req);

    const message = readWeComMessage(inner.fields, agentId);
    if (message.kind === 'ignored') {
      logger.debug({ platform: 'wecom', reason: message.reason }, 'wecom callback ignored');
      return answer(res, 200);
    }
    if (!recent.add(message.dedupeKey)) {
      logger.info({ platform: 'wecom', dedupeKey: message.dedupeKey }, 'wecom retry ignored');
      return answer(res, 200);
    }
    // Answer first: WeCom retries anything slower than a few seconds.
    answer(res, 200);
    inFlight.track(handOver(message));
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err, platform: 'wecom' }, 'wecom callback failed');
      if (!res.headersSent) answer(res, 500, 'internal error');
      else res.end();
    });
  };

  return Object.assign(listener, {
    async listen(port = 0, host = '127.0.0.1'): Promise<WeComCallbackServer> {
      const server = createServer(listener);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return {
        url: `http://${shownHost}:${address.port}${path}`,
        close: () =>
          new Promise<void>((resolve, reject) => {
            server.closeAllConnections();
            server.close((err) => (err ? reject(err) : resolve()));
          }),
      };
    },
    async idle(): Promise<void> {
      await inFlight.settled();
    },
  });
}
