/**
 * The Slack side of sgops, on @slack/bolt: `/sgops` slash commands, app mentions, DMs and the
 * approval buttons arrive either on `/slack/events` (HTTPReceiver, `mode: 'http'`) or over a
 * Socket Mode WebSocket (`mode: 'socket'`); the same listeners serve both. Each line is checked
 * (over HTTP: signature, window, replay), handed to the ChatIntake (Postgres only: no cloud work),
 * and acknowledged only once committed, so a line is never lost behind an ack; the intake queues it
 * just after (and its reconciler, should that fail).
 * Over HTTP Bolt runs with `processBeforeResponse`; in Socket Mode acks are held the same way.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { webApi } from '@slack/bolt';
import { App, HTTPReceiver, type Receiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ChatIntake } from '../../src/ports/chat-intake.ts';
import type { ChatInbound } from '../../src/ports/chat-message.ts';
import type { Locale } from '../../src/domain/locale.ts';
import { normaliseRequestId } from '../../src/domain/request-id.ts';
import { AppError } from '../../src/errors.ts';
import {
  approvalBlockIdPrefix,
  approveActionId,
  denyActionId,
  reviewActionId,
} from './approval-card-blocks.ts';
import { boltLogger } from './bolt-logger.ts';
import { repairActionId } from './repair-button-block.ts';
import { offerActionId } from './offer-buttons-block.ts';
import { createSlackRequestGuard, type SlackRequestGuard } from './create-slack-request-guard.ts';
import { createSlackSocketMode, type SlackSocketMode } from './create-slack-socket-mode.ts';
import {
  denyReasonActionId,
  denyReasonBlockId,
  denyReasonCallbackId,
  denyReasonModal,
  parseDenyReasonMetadata,
} from './deny-reason-modal.ts';
import {
  inboundFromPress,
  inboundFromDenyReason,
  inboundFromMessageEvent,
  inboundFromSlashCommand,
} from './slack-inbound.ts';
import { slackLabels } from './slack-labels.ts';
import { rememberResponseUrl } from './response-url.ts';
import { slashCommandAck } from './slash-command-ack.ts';
import type { SlackThreadStore } from './slack-thread-store.ts';

export const slackEventsPath = '/slack/events';

export interface SlackAdapterOptions {
  /** `http` (the default): signed requests on /slack/events; `socket`: Socket Mode, no public endpoint. */
  mode?: 'http' | 'socket';
  /** Needed in `http` mode. */
  signingSecret?: string;
  /** The app-level token (`xapp-…`, scope connections:write); needed in `socket` mode. */
  appToken?: string;
  botToken: string;
  botUserId: string;
  botId: string;
  /** The Web API base, e.g. the fake's `http://127.0.0.1:PORT/api/`; Slack's own by default. */
  apiUrl?: string;
  intake: ChatIntake;
  logger: Logger;
  /**
   * Shared with the transport: the adapter keeps each slash command's response_url here, so a
   * command typed where the bot cannot post still gets its answer (response-url.ts).
   */
  threads?: SlackThreadStore;
  /**
   * Optional: maps a message in a thread to the request the thread belongs to. When it returns
   * an id and the line names no request, verbs that need one (`status`, `approve`, ...) get it.
   */
  resolveRequestThread?: (conversationId: string, threadTs: string) => Promise<string | undefined>;
  commandName?: string;
  now?: () => number;
  /** How many handled message ids to remember for skipping Slack's retries early. */
  rememberHandled?: number;
}

export interface SlackAdapter {
  mode: 'http' | 'socket';
  /** Mount this on any Node HTTP server; it serves POST /slack/events (http mode) and 404s the rest. */
  requestListener: (req: IncomingMessage, res: ServerResponse) => void;
  listen(port?: number, host?: string): Promise<{ url: string; eventsUrl: string; port: number }>;
  /** Socket Mode: opens the connection, resolving on Slack's `hello`; http mode: nothing to do. */
  start(): Promise<void>;
  /** Stops listening (http) or closes the Socket Mode connection. */
  close(): Promise<void>;
  /** Bolt's Web API client (pointed at `apiUrl`), for the transport. */
  client: webApi.WebClient;
}

const threadVerbs = /^(status|approve|cancel|retry|rollback|audit|状态|查询|批准|同意|取消|重试|回滚|审计)$/i;

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { intake, logger, botUserId } = options;
  const log = logger.child({ component: 'slack' });
  const commandName = options.commandName ?? '/sgops';
  const rememberHandled = options.rememberHandled ?? 10_000;
  const now = options.now ?? Date.now;
  const handled = new Map<string, true>();

  const mode = options.mode ?? 'http';
  let http: { guard: SlackRequestGuard; receiver: HTTPReceiver } | undefined;
  let socket: SlackSocketMode | undefined;
  let receiver: Receiver;
  if (mode === 'socket') {
    if (!options.appToken) throw missingSetting('appToken (SLACK_APP_TOKEN)', mode);
    socket = createSlackSocketMode({
      appToken: options.appToken,
      logger,
      ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
    });
    receiver = socket.receiver;
  } else {
    if (!options.signingSecret) throw missingSetting('signingSecret (SLACK_SIGNING_SECRET)', mode);
    const guard = createSlackRequestGuard({
      signingSecret: options.signingSecret,
      logger: log,
      ...(options.now ? { now: options.now } : {}),
    });
    const httpReceiver = new HTTPReceiver({
      signingSecret: options.signingSecret,
      endpoints: slackEventsPath,
      processBeforeResponse: true,
      logger: boltLogger(logger),
      // A listener still busy after Bolt's 3 s: 503, so Slack retries an event (the intake de-duplicates).
      unhandledRequestHandler: ({ response }) => {
        log.error('slack request not answered within 3 s');
        if (!response.headersSent) response.writeHead(503).end();
      },
    });
    http = { guard, receiver: httpReceiver };
    receiver = httpReceiver;
  }
  const app = new App({
    receiver,
    token: options.botToken,
    botId: options.botId,
    botUserId: options.botUserId,
    convoStore: false,
    logger: boltLogger(logger),
    clientOptions: {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      // A trigger id lives 3 s: a retried views.open is useless, and the queue retries the rest.
      retryConfig: { retries: 0 },
    },
  });

  function remember(messageId: string): void {
    handled.delete(messageId);
    handled.set(messageId, true);
    if (handled.size > rememberHandled) {
      const oldest = handled.keys().next().value;
      if (oldest !== undefined) handled.delete(oldest);
    }
  }

  async function withThreadRequest(inbound: ChatInbound): Promise<ChatInbound> {
    if (!options.resolveRequestThread || !inbound.threadId || !threadVerbs.test(inbound.text.trim())) {
      return inbound;
    }
    const requestId = await options.resolveRequestThread(inbound.conversationId, inbound.threadId);
    return requestId ? { ...inbound, text: `${inbound.text.trim()} ${requestId}` } : inbound;
  }

  /**
   * Records the line (the intake de-duplicates by message id) and remembers it for early retry
   * skips; `alongside` is written with it, before it is queued.
   */
  async function hand(inbound: ChatInbound, alongside?: Promise<unknown>): Promise<void> {
    const line = await withThreadRequest(inbound);
    const fresh = await intake.receive(line, alongside ? { alongside } : undefined);
    remember(inbound.messageId);
    log.info(
      { messageId: inbound.messageId, user: inbound.platformUserId, channel: inbound.conversationId, fresh },
      'slack line received',
    );
  }

  function skipRetry(messageId: string, retryNum: number | undefined): boolean {
    if (retryNum === undefined || !handled.has(messageId)) return false;
    log.info({ messageId, retryNum }, 'slack retry of a handled message skipped');
    return true;
  }

  app.command(commandName, async ({ command, ack }) => {
    const inbound = inboundFromSlashCommand(command, botUserId);
    const locale = localeOf(inbound.text);
    try {
      // Kept before the line is queued (typed where the bot cannot post, it is the only way back),
      // written alongside the line rather than before it: one round trip before the ack, not two.
      const kept =
        options.threads && command.response_url
          ? rememberResponseUrl(options.threads, inbound.messageId, {
              url: command.response_url,
              user: command.user_id,
              channel: command.channel_id,
              at: now(),
            })
          : undefined;
      // Handled (logged) by the intake; this only keeps a failure before it gets there from going unhandled.
      kept?.catch(() => undefined);
      await hand(inbound, kept);
    } catch (error) {
      log.error({ err: error, messageId: inbound.messageId }, 'slack command not recorded');
      await ack({ response_type: 'ephemeral', text: slackLabels[locale].couldNotRecord });
      return;
    }
    await ack(slashCommandAck(inbound.text, locale));
  });

  app.event('app_mention', async ({ event, body, context }) => {
    if (!event.user || event.bot_id) return;
    const inbound = inboundFromMessageEvent(body.event_id, { ...event, user: event.user }, botUserId, {
      threadOnMessage: true,
    });
    if (skipRetry(inbound.messageId, context.retryNum)) return;
    await hand(inbound);
  });

  app.event('message', async ({ event, body, context }) => {
    // Only plain DMs from people: edits, joins, bot posts (our own included) are not commands.
    if (event.channel_type !== 'im' || event.subtype !== undefined) return;
    if (event.bot_id || !event.user || event.user === botUserId) return;
    const inbound = inboundFromMessageEvent(body.event_id, { ...event, user: event.user }, botUserId, {
      threadOnMessage: false,
    });
    if (skipRetry(inbound.messageId, context.retryNum)) return;
    await hand(inbound);
  });

  /**
   * A button whose press is the presser's own line, checked as if typed: Approve, a drift report's
   * Repair, an answer's offered line (Start). A press without a usable value is refused and logged.
   */
  const pressIsLine = (actionId: string | RegExp, lineOf: (value: string) => string | null, what: string) =>
    app.action({ type: 'block_actions', action_id: actionId }, async ({ ack, body, action }) => {
      const line = action.type === 'button' ? lineOf(action.value ?? '') : null;
      if (line === null || action.type !== 'button') {
        log.warn({ user: body.user.id, actionId: String(actionId) }, `slack ${what} click refused`);
        await ack();
        return;
      }
      const threadTs = body.message?.['thread_ts'] ?? body.message?.ts;
      const inbound = inboundFromPress({
        line,
        userId: body.user.id,
        actionTs: action.action_ts,
        channel: body.channel?.id ?? body.user.id,
        ...(typeof threadTs === 'string' ? { threadTs } : {}),
      });
      // Not acknowledged when this throws: Slack shows the click failed and it can be clicked again.
      await hand(inbound);
      await ack();
    });
  const withRequestId = (verb: string) => (value: string) => {
    const requestId = normaliseRequestId(value);
    return requestId ? `${verb} ${requestId}` : null;
  };
  pressIsLine(approveActionId, withRequestId('approve'), 'approve without a request id');
  pressIsLine(repairActionId, withRequestId('repair'), 'repair without a request id');
  pressIsLine(new RegExp(`^${offerActionId}\\.`), (value) => value.trim() || null, 'offer without a line');

  // The link opens the console in the browser; Slack still posts the click, which changes nothing.
  app.action({ type: 'block_actions', action_id: reviewActionId }, async ({ ack }) => {
    await ack();
  });

  app.action({ type: 'block_actions', action_id: denyActionId }, async ({ ack, body, action, client }) => {
    await ack();
    const requestId = action.type === 'button' ? normaliseRequestId(action.value ?? '') : null;
    if (!requestId || action.type !== 'button') {
      log.warn(
        { user: body.user.id, actionId: denyActionId },
        'slack deny click without a request id refused',
      );
      return;
    }
    const threadTs = body.message?.['thread_ts'] ?? body.message?.ts;
    const view = denyReasonModal({
      requestId,
      channel: body.channel?.id ?? body.user.id,
      ...(typeof threadTs === 'string' ? { threadTs } : {}),
      locale: action.block_id === `${approvalBlockIdPrefix}zh` ? 'zh' : 'en',
    });
    // Not awaited: the click's 200 must not wait for Slack's API; the trigger id is good for 3 s.
    client.views.open({ trigger_id: body.trigger_id, view }).catch((error: unknown) => {
      log.error({ err: error, requestId, user: body.user.id }, 'slack deny modal could not be opened');
    });
  });

  app.view(denyReasonCallbackId, async ({ ack, body, view }) => {
    const meta = parseDenyReasonMetadata(view.private_metadata);
    const requestId = meta ? normaliseRequestId(meta.requestId) : null;
    if (!meta || !requestId) {
      log.warn({ user: body.user.id, viewId: view.id }, 'slack deny submission without our metadata refused');
      await ack();
      return;
    }
    const reason = (view.state.values[denyReasonBlockId]?.[denyReasonActionId]?.value ?? '').trim();
    if (reason.length === 0) {
      await ack({
        response_action: 'errors',
        errors: { [denyReasonBlockId]: slackLabels[meta.locale].denyReasonRequired },
      });
      return;
    }
    const inbound = inboundFromDenyReason({
      requestId,
      reason,
      userId: body.user.id,
      viewId: view.id,
      channel: meta.channel,
      ...(meta.threadTs ? { threadTs: meta.threadTs } : {}),
    });
    await hand(inbound);
    await ack();
  });

  app.error(async (error) => {
    log.error({ err: error }, 'slack listener failed');
    // Rethrown so the receiver answers 500 and Slack retries an event that was not recorded.
    throw error;
  });

  const requestListener = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!http || req.method !== 'POST' || path !== slackEventsPath) {
      res.writeHead(404).end();
      return;
    }
    const { guard, receiver: httpReceiver } = http;
    guard
      .check(req)
      .then((verdict) => {
        if (!verdict.ok) {
          res.writeHead(verdict.status).end();
          return;
        }
        httpReceiver.requestListener(req, res);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, 'slack request failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
  };

  let server: Server | undefined;
  return {
    mode,
    requestListener,
    client: app.client,
    async start() {
      await socket?.start();
    },
    async listen(port = 0, host = '127.0.0.1') {
      if (server) throw new Error('the Slack adapter is already listening');
      const started = createServer(requestListener);
      await new Promise<void>((resolve, reject) => {
        started.once('error', reject);
        started.listen(port, host, () => resolve());
      });
      server = started;
      const address = started.address() as AddressInfo;
      const url = `http://${host}:${address.port}`;
      return { url, eventsUrl: `${url}${slackEventsPath}`, port: address.port };
    },
    async close() {
      await socket?.stop();
      const current = server;
      server = undefined;
      if (!current) return;
      current.closeAllConnections();
      await new Promise<void>((resolve, reject) => current.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

function missingSetting(setting: string, mode: 'http' | 'socket'): AppError {
  return new AppError('CONFIG_INVALID', `Slack in ${mode} mode needs ${setting}.`, {
    hint: 'See the Slack section of docs/operator-guide.md.',
  });
}

function localeOf(text: string): Locale {
  return /[\u3400-\u9fff]/.test(text) ? 'zh' : 'en';
}
