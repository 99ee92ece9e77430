/**
 * A fake Slack Web API for tests and the sandbox: the methods sgops calls, answered the way Slack
 * answers them (`{ok:true, ts, channel}`; `{ok:false, error}` for what Slack would refuse), and
 * every call recorded. `GET /calls` lists them as `{method, body, at}`; `POST /calls/reset`
 * clears them. User groups for `usergroups.users.list` are seeded with `setUserGroup` or
 * `POST /admin/usergroups` `{usergroup, users}` (they survive a reset, like a workspace would).
 * Form-encoded bodies (what @slack/web-api sends, with JSON-encoded `blocks` and `view`) and JSON
 * bodies are both read; the token is checked but never recorded. Socket Mode
 * (`apps.connections.open` and its WebSocket) is in fake-socket-mode.ts; tests and the sandbox
 * drive it in process (`socketMode`) or over HTTP under `/socket-mode/`.
 * Where the bot is not a member (a DM between two people, a private channel it was not invited
 * to: `keepOut`), posting answers `channel_not_found`; a slash command typed there is answered
 * through its `response_url`, which the fake mints (`responseUrl()`) and whose posts it records
 * (`GET /responses`), with Slack's limits: 5 posts within 30 minutes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createFakeSocketMode,
  FakeSocketModeError,
  type FakeSocketMode,
  type SocketDisconnectReason,
  type SocketEnvelopeType,
} from './fake-socket-mode.ts';

export interface FakeSlackCall {
  method: string;
  body: Record<string, unknown>;
  at: string;
}

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks: unknown[];
  updates: number;
}

/** What was posted to a minted response URL (`url`), in order. */
export interface FakeSlackResponse {
  url: string;
  body: Record<string, unknown>;
  at: string;
}

export interface FakeSlackApi {
  start(port?: number, host?: string): Promise<{ url: string; apiUrl: string }>;
  stop(): Promise<void>;
  calls(method?: string): FakeSlackCall[];
  reset(): void;
  /** Messages as they now stand (after updates), by channel and ts. */
  message(channel: string, ts: string): FakeSlackMessage | undefined;
  /** Every message as it now stands, in the order posted; of one channel when given. */
  messages(channel?: string): FakeSlackMessage[];
  /** The bot is no member of `channel`: posting, ephemerals and updates there answer `error`. */
  keepOut(channel: string, error?: 'channel_not_found' | 'not_in_channel'): void;
  /** A new slash command's `response_url` (the fake must be started). */
  responseUrl(): string;
  /** What was posted to response URLs, of one URL when given. */
  responses(url?: string): FakeSlackResponse[];
  /** The next call of `method` answers `{ok:false, error}` (e.g. `ratelimited`, `channel_not_found`). */
  failNext(method: string, error: string): void;
  /** Socket Mode: inject envelopes, read acks, redeliver, disconnect. */
  socketMode: FakeSocketMode;
  /** A user group (`S…`) and its member ids, as `usergroups.users.list` answers them; `null` deletes it. */
  setUserGroup(usergroup: string, users: string[] | null): void;
}

/** The fake's Socket Mode settings. */
export interface FakeSlackSocketModeOptions {
  /** Only this app-level token (`xapp-…`) opens Socket Mode connections; any `xapp-…` when absent. */
  appToken?: string;
  appId?: string;
  /** How often each Socket Mode connection is pinged. */
  pingIntervalMs?: number;
}

type Handler = (body: Record<string, unknown>) => Record<string, unknown>;

/** Slack's limits on a slash command's response URL. */
const maxResponses = 5;
const responseUrlLifetimeMs = 30 * 60 * 1000;

/** Fields the WebClient JSON-encodes inside a form body. */
const jsonFields = new Set(['blocks', 'attachments', 'view', 'metadata']);

export function createFakeSlackApi(
  options: {
    token?: string;
    now?: () => Date;
    userGroups?: Record<string, string[]>;
  } & FakeSlackSocketModeOptions = {},
): FakeSlackApi {
  const now = options.now ?? (() => new Date());
  const recorded: FakeSlackCall[] = [];
  const userGroups = new Map(Object.entries(options.userGroups ?? {}).map(([id, u]) => [id, [...u]]));
  const messages = new Map<string, FakeSlackMessage>();
  const failures = new Map<string, string[]>();
  const outside = new Map<string, string>();
  const responseUrls = new Map<string, { mintedAt: number; uses: number }>();
  const responses: FakeSlackResponse[] = [];
  let seq = 0;
  let baseUrl = '';
  let server: Server | undefined;
  let wsBase = '';
  const socketMode = createFakeSocketMode({
    ...(options.appToken !== undefined ? { appToken: options.appToken } : {}),
    appId: options.appId ?? 'A0FAKESGOPS',
    wsBase: () => wsBase,
    ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
    now,
  });

  const nextTs = () => {
    seq += 1;
    return `${Math.floor(now().getTime() / 1000)}.${String(seq).padStart(6, '0')}`;
  };
  const dmFor = (user: string) => `D${user.replace(/^[UW]/, '')}`;
  const channelOf = (value: unknown) => {
    const channel = typeof value === 'string' ? value : '';
    return /^[UW][A-Z0-9]+$/.test(channel) ? dmFor(channel) : channel;
  };
  const hasContent = (body: Record<string, unknown>) =>
    (typeof body['text'] === 'string' && body['text'].length > 0) || Array.isArray(body['blocks']);

  const handlers: Record<string, Handler> = {
    'chat.postMessage': (body) => {
      const channel = channelOf(body['channel']);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (!hasContent(body)) return { ok: false, error: 'no_text' };
      const ts = nextTs();
      const threadTs = typeof body['thread_ts'] === 'string' ? body['thread_ts'] : undefined;
      const message: FakeSlackMessage = {
        channel,
        ts,
        ...(threadTs ? { threadTs } : {}),
        text: String(body['text'] ?? ''),
        blocks: Array.isArray(body['blocks']) ? body['blocks'] : [],
        updates: 0,
      };
      messages.set(`${channel}/${ts}`, message);
      return {
        ok: true,
        channel,
        ts,
        message: { type: 'message', text: message.text, ts, thread_ts: threadTs },
      };
    },
    'chat.update': (body) => {
      const channel = channelOf(body['channel']);
      const ts = String(body['ts'] ?? '');
      const message = messages.get(`${channel}/${ts}`);
      if (!message) return { ok: false, error: 'message_not_found' };
      if (!hasContent(body)) return { ok: false, error: 'no_text' };
      message.text = String(body['text'] ?? '');
      message.blocks = Array.isArray(body['blocks']) ? body['blocks'] : [];
      message.updates += 1;
      return { ok: true, channel, ts, text: message.text };
    },
    'chat.postEphemeral': (body) => {
      if (!channelOf(body['channel'])) return { ok: false, error: 'channel_not_found' };
      if (typeof body['user'] !== 'string' || body['user'] === '')
        return { ok: false, error: 'user_not_found' };
      if (!hasContent(body)) return { ok: false, error: 'no_text' };
      return { ok: true, message_ts: nextTs() };
    },
    'views.open': (body) => {
      if (typeof body['trigger_id'] !== 'string' || body['trigger_id'] === '') {
        return { ok: false, error: 'invalid_trigger_id' };
      }
      const view = body['view'];
      if (typeof view !== 'object' || view === null) return { ok: false, error: 'invalid_arguments' };
      seq += 1;
      return { ok: true, view: { id: `V${String(seq).padStart(8, '0')}`, hash: `h${seq}`, ...view } };
    },
    'conversations.open': (body) => {
      const users = typeof body['users'] === 'string' ? body['users'].split(',') : [];
      const [user] = users;
      if (!user) return { ok: false, error: 'users_list_not_supplied' };
      return {
        ok: true,
        channel: { id: users.length === 1 ? dmFor(user) : `G${users.join('').slice(1, 11)}` },
      };
    },
    'users.info': (body) => {
      const user = typeof body['user'] === 'string' ? body['user'] : '';
      if (!user) return { ok: false, error: 'user_not_found' };
      return {
        ok: true,
        user: { id: user, name: user.toLowerCase(), real_name: user, tz: 'Asia/Shanghai', is_bot: false },
      };
    },
    'auth.test': () => ({ ok: true, user_id: 'UFAKEBOT', bot_id: 'BFAKEBOT', team_id: 'TFAKE' }),
    'usergroups.users.list': (body) => {
      const usergroup = typeof body['usergroup'] === 'string' ? body['usergroup'] : '';
      if (!usergroup) return { ok: false, error: 'invalid_arguments' };
      const users = userGroups.get(usergroup);
      return users ? { ok: true, users: [...users] } : { ok: false, error: 'no_such_subteam' };
    },
  };

  /** The methods that write into a channel, refused where the bot is no member. */
  const postsIn = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update']);

  /**
   * A post to a response URL, as Slack takes it: JSON `{text, blocks, response_type,
   * replace_original, thread_ts}`; at most 5 within 30 minutes of the command (404 `used_url` /
   * `expired_url` after), then `ok`.
   */
  async function respond(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    const minted = responseUrls.get(url);
    if (!minted || req.method !== 'POST') return text(res, 404, 'invalid_url');
    if (now().getTime() - minted.mintedAt > responseUrlLifetimeMs) return text(res, 404, 'expired_url');
    if (minted.uses >= maxResponses) return text(res, 404, 'used_url');
    let body: Record<string, unknown>;
    try {
      body = parseBody(req, await readBody(req));
    } catch {
      return text(res, 400, 'invalid_payload');
    }
    if (!hasContent(body)) return text(res, 400, 'no_text');
    minted.uses += 1;
    responses.push({ url, body, at: now().toISOString() });
    return text(res, 200, 'ok');
  }

  function text(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  }

  function mintResponseUrl(): string {
    if (!baseUrl) throw new Error('the fake Slack API is not started');
    seq += 1;
    const url = `${baseUrl}/response/T0FAKE/${seq}/${Math.random().toString(36).slice(2, 10)}`;
    responseUrls.set(url, { mintedAt: now().getTime(), uses: 0 });
    return url;
  }

  function setUserGroup(usergroup: string, users: string[] | null): void {
    if (users === null) userGroups.delete(usergroup);
    else userGroups.set(usergroup, [...users]);
  }

  function answer(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/calls' && req.method === 'GET') {
      const method = url.searchParams.get('method');
      return answer(res, 200, method ? recorded.filter((c) => c.method === method) : recorded);
    }
    if (url.pathname === '/calls/reset' && req.method === 'POST') {
      reset();
      return answer(res, 200, { ok: true });
    }
    if (url.pathname.startsWith('/socket-mode/')) return socketModeRoute(req, res, url);
    if (url.pathname.startsWith('/response/')) return respond(req, res, `${baseUrl}${url.pathname}`);
    if (url.pathname === '/responses' && req.method === 'GET') {
      const only = url.searchParams.get('url');
      return answer(res, 200, only ? responses.filter((r) => r.url === only) : responses);
    }
    if (url.pathname === '/messages' && req.method === 'GET') {
      const channel = url.searchParams.get('channel');
      return answer(res, 200, listMessages(channel ?? undefined));
    }
    if (url.pathname === '/admin/response-url' && req.method === 'POST') {
      return answer(res, 200, { ok: true, response_url: mintResponseUrl() });
    }
    if (url.pathname === '/admin/keep-out' && req.method === 'POST') {
      const body = parseBody(req, await readBody(req));
      if (typeof body['channel'] !== 'string' || body['channel'] === '')
        return answer(res, 400, { ok: false, error: 'expected {channel, error?}' });
      outside.set(
        body['channel'],
        body['error'] === 'not_in_channel' ? 'not_in_channel' : 'channel_not_found',
      );
      return answer(res, 200, { ok: true });
    }
    if (url.pathname === '/admin/usergroups' && req.method === 'POST') {
      const body = parseBody(req, await readBody(req));
      const users = body['users'];
      if (typeof body['usergroup'] !== 'string' || (users !== null && !isStringArray(users)))
        return answer(res, 400, { ok: false, error: 'expected {usergroup, users: string[] | null}' });
      setUserGroup(body['usergroup'], users);
      return answer(res, 200, { ok: true });
    }
    const match = /^\/api\/([A-Za-z]+\.[A-Za-z.]+)$/.exec(url.pathname);
    if (!match?.[1] || (req.method !== 'POST' && req.method !== 'GET'))
      return answer(res, 404, { ok: false });
    const method = match[1];
    const body = { ...Object.fromEntries(url.searchParams), ...parseBody(req, await readBody(req)) };
    const token = bearer(req) ?? (typeof body['token'] === 'string' ? body['token'] : undefined);
    delete body['token'];
    recorded.push({ method, body, at: now().toISOString() });
    // Slack wants the app-level token in the header here, and only here.
    if (method === 'apps.connections.open') return answer(res, 200, socketMode.open(bearer(req)));
    if (!token) return answer(res, 200, { ok: false, error: 'not_authed' });
    if (token.startsWith('xapp-')) return answer(res, 200, { ok: false, error: 'not_allowed_token_type' });
    if (options.token !== undefined && token !== options.token) {
      return answer(res, 200, { ok: false, error: 'invalid_auth' });
    }
    const failure = failures.get(method)?.shift();
    if (failure) return answer(res, 200, { ok: false, error: failure });
    const keptOut = postsIn.has(method) ? outside.get(channelOf(body['channel'])) : undefined;
    if (keptOut) return answer(res, 200, { ok: false, error: keptOut });
    const handler = handlers[method];
    answer(res, 200, handler ? handler(body) : { ok: false, error: 'unknown_method' });
  }

  /** The admin side of Socket Mode, for the sandbox and tests in other processes. */
  async function socketModeRoute(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let input: Record<string, unknown> = {};
    if (req.method === 'POST') {
      const raw = await readBody(req);
      try {
        const parsed: unknown = raw.length > 0 ? JSON.parse(raw) : {};
        if (typeof parsed === 'object' && parsed !== null) input = parsed as Record<string, unknown>;
      } catch {
        return answer(res, 400, { ok: false, error: 'invalid_json' });
      }
    }
    const route = `${req.method ?? 'GET'} ${url.pathname.slice('/socket-mode'.length)}`;
    const redeliver = /^POST \/envelopes\/([^/]+)\/redeliver$/.exec(route);
    try {
      if (route === 'POST /envelopes') {
        const envelope = socketMode.send({
          type: input['type'] as SocketEnvelopeType,
          payload: input['payload'] as Record<string, unknown>,
          ...(typeof input['accepts_response_payload'] === 'boolean'
            ? { accepts_response_payload: input['accepts_response_payload'] }
            : {}),
        });
        return answer(res, 200, { ok: true, envelope });
      }
      if (route === 'GET /envelopes') return answer(res, 200, socketMode.envelopes());
      if (redeliver?.[1]) {
        const reason = typeof input['reason'] === 'string' ? input['reason'] : undefined;
        return answer(res, 200, { ok: true, envelope: socketMode.redeliver(redeliver[1], reason) });
      }
      if (route === 'GET /acks') {
        return answer(res, 200, socketMode.acks(url.searchParams.get('envelope_id') ?? undefined));
      }
      if (route === 'POST /acks/drop') {
        socketMode.dropNextAcks(typeof input['count'] === 'number' ? input['count'] : 1);
        return answer(res, 200, { ok: true });
      }
      if (route === 'POST /disconnect') {
        const reason = (input['reason'] as SocketDisconnectReason | undefined) ?? 'refresh_requested';
        return answer(res, 200, { ok: true, connections: socketMode.disconnect(reason) });
      }
      if (route === 'GET /connections') return answer(res, 200, socketMode.connections());
    } catch (error) {
      if (error instanceof FakeSocketModeError) {
        return answer(res, error.status, { ok: false, error: error.error });
      }
      throw error;
    }
    return answer(res, 404, { ok: false, error: 'unknown_route' });
  }

  function listMessages(channel?: string): FakeSlackMessage[] {
    const all = [...messages.values()];
    return (channel ? all.filter((m) => m.channel === channelOf(channel)) : all).map((m) => ({ ...m }));
  }

  function reset(): void {
    socketMode.reset();
    recorded.length = 0;
    messages.clear();
    failures.clear();
    responses.length = 0;
    seq = 0;
  }

  return {
    async start(port = 0, host = '127.0.0.1') {
      if (server) throw new Error('the fake Slack API is already started');
      const started = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => answer(res, 500, { ok: false, error: String(error) }));
      });
      started.on('upgrade', (req: IncomingMessage, socket, head: Buffer) =>
        socketMode.handleUpgrade(req, socket, head),
      );
      await new Promise<void>((resolve, reject) => {
        started.once('error', reject);
        started.listen(port, host, () => resolve());
      });
      server = started;
      const address = `${host}:${(started.address() as AddressInfo).port}`;
      wsBase = `ws://${address}`;
      const url = `http://${address}`;
      baseUrl = url;
      return { url, apiUrl: `${url}/api/` };
    },
    async stop() {
      const current = server;
      server = undefined;
      if (!current) return;
      socketMode.closeAll();
      current.closeAllConnections();
      await new Promise<void>((resolve, reject) => current.close((e) => (e ? reject(e) : resolve())));
    },
    calls(method) {
      return method ? recorded.filter((c) => c.method === method) : [...recorded];
    },
    reset,
    message(channel, ts) {
      return messages.get(`${channelOf(channel)}/${ts}`);
    },
    messages: listMessages,
    keepOut(channel, error = 'channel_not_found') {
      outside.set(channel, error);
    },
    responseUrl: mintResponseUrl,
    responses(url) {
      return (url ? responses.filter((r) => r.url === url) : responses).map((r) => ({ ...r }));
    },
    failNext(method, error) {
      failures.set(method, [...(failures.get(method) ?? []), error]);
    },
    socketMode,
    setUserGroup,
  };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function parseBody(req: IncomingMessage, raw: string): Record<string, unknown> {
  if (raw.length === 0) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = jsonFields.has(key) ? tryJson(value) : value;
  }
  return body;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
