/**
 * Socket Mode for the Slack adapter: Bolt's SocketModeReceiver (`apps.connections.open` with the
 * app-level token, then a WebSocket; it reconnects after Slack's `disconnect` or a lost link),
 * with one change: an envelope is acknowledged only once its listener is done, as
 * `processBeforeResponse` does over HTTP. Bolt acks Events API envelopes before the listener
 * runs; that ack is held here, so a line that could not be recorded stays unacked and Slack
 * redelivers it (`retry_attempt`), where the usual de-duplication takes over.
 */
import { SocketModeReceiver, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';
import { AppError } from '../../src/errors.ts';
import { boltLogger } from './bolt-logger.ts';
import { mapSlackError } from './map-slack-error.ts';

export interface SlackSocketModeOptions {
  appToken: string;
  /** The Web API base for `apps.connections.open`, e.g. the fake's `…/api/`; Slack's own by default. */
  apiUrl?: string;
  logger: Logger;
}

export interface SlackSocketMode {
  /** Hand this to Bolt's App. */
  receiver: Receiver;
  /** Opens the connection and resolves on Slack's `hello`; a refused app token is a CONFIG_INVALID AppError. */
  start(): Promise<void>;
  /** Closes the connection; no reconnection follows. */
  stop(): Promise<void>;
}

/** Slack's answers to `apps.connections.open` that mean the app token itself is wrong. */
const tokenRefusals = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'missing_scope',
  'user_removed_from_team',
  'team_disabled',
]);

export function createSlackSocketMode(options: SlackSocketModeOptions): SlackSocketMode {
  if (!options.appToken.startsWith('xapp-')) {
    throw new AppError('CONFIG_INVALID', 'The Slack app-level token for Socket Mode must start with xapp-.', {
      hint: "Set SLACK_APP_TOKEN (slack.appToken) to an app-level token with the connections:write scope, from the Slack app's Basic Information page.",
    });
  }
  const log = options.logger.child({ component: 'slack-socket-mode' });
  const inner = new SocketModeReceiver({
    appToken: options.appToken,
    logger: boltLogger(options.logger),
    installerOptions: {
      clientOptions: {
        ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
        // While Slack cannot be reached, keep asking for a connection, at most 30 s apart.
        retryConfig: { forever: true, factor: 1.6, minTimeout: 1000, maxTimeout: 30_000 },
      },
    },
  });
  inner.client.on('connected', () => log.info('slack socket mode connected'));
  inner.client.on('reconnecting', () => log.info('slack socket mode reconnecting'));

  const receiver: Receiver = {
    init(app) {
      inner.init(ackWhenProcessed(app));
    },
    start: () => inner.start(),
    stop: () => inner.stop(),
  };

  return {
    receiver,
    async start() {
      try {
        await inner.start();
      } catch (error) {
        throw startError(error);
      }
    },
    async stop() {
      await inner.client.disconnect();
    },
  };
}

/** The App as the receiver sees it, with acks held until the listeners are done. */
function ackWhenProcessed(app: App): App {
  const view = Object.create(app) as App;
  view.processEvent = async (event: ReceiverEvent) => {
    let held: { response: unknown } | undefined;
    await app.processEvent({
      ...event,
      ack: async (response?: unknown) => {
        held ??= { response };
      },
    });
    if (held) await event.ack(held.response);
  };
  return view;
}

function startError(error: unknown): AppError {
  const e = error as { code?: string; data?: { error?: string } };
  const slackError = e.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
  if (slackError && tokenRefusals.has(slackError)) {
    return new AppError(
      'CONFIG_INVALID',
      `Slack refused the app-level token when opening a Socket Mode connection (apps.connections.open: ${slackError}).`,
      {
        details: { method: 'apps.connections.open', slackError },
        cause: error,
        hint: "Set SLACK_APP_TOKEN (slack.appToken) to the app's app-level token (xapp-…) with the connections:write scope, and enable Socket Mode in the app settings.",
      },
    );
  }
  return mapSlackError(error, 'apps.connections.open');
}
