/**
 * The few WeCom server APIs sgops needs: gettoken, message/send (text, button cards),
 * message/update_template_card and user/simplelist (a department's members). The access token
 * is cached until shortly before it expires and fetched again once when WeCom says it expired
 * (42001) or is not valid (40014).
 * The client never retries anything else: retryable errors go back to the caller's queue.
 */
import { AppError } from '../../src/errors.ts';
import { tokenErrcodes, weComApiError } from './map-wecom-error.ts';

export const defaultWeComApiBaseUrl = 'https://qyapi.weixin.qq.com';

/** `task_id`: digits, letters and `_-@`, at most 128 characters, unique per app. */
export const taskIdPattern = /^[A-Za-z0-9_\-@]{1,128}$/;

export interface WeComApiClientOptions {
  corpId: string;
  corpSecret: string;
  agentId: string | number;
  apiBaseUrl?: string;
  fetch: typeof fetch;
  now?: () => Date;
  /** Per HTTP call; 10 s by default. */
  timeoutMs?: number;
}

export interface WeComButton {
  text: string;
  /** WeCom's button styles 1–4 (1 is the default, 3 is red). */
  style?: number;
  /** Comes back as the click event's EventKey. */
  key: string;
}

export interface WeComButtonCard {
  taskId: string;
  title: string;
  description?: string;
  buttons: WeComButton[];
}

export interface WeComSendResult {
  msgid: string;
  /** Only for interactive cards: single use, about 72 h, for update_template_card. */
  responseCode?: string;
}

export interface WeComApiClient {
  /** `content` goes as it is: WeCom renders `<a href>` in it, so callers escape what people typed. */
  sendText(touser: string, content: string): Promise<WeComSendResult>;
  sendButtonCard(touser: string, card: WeComButtonCard): Promise<WeComSendResult>;
  /** Greys out the card's buttons and shows `replaceText` instead; for `userIds` (everyone it went to by default). */
  updateButtonCard(responseCode: string, update: { replaceText: string; userIds?: string[] }): Promise<void>;
  /**
   * The userids directly in a department (`user/simplelist`; not its sub-departments). The app's
   * own Secret reads only departments in its visible range (可见范围): others answer 60011.
   */
  departmentUserIds(departmentId: number): Promise<string[]>;
}

interface WeComReply {
  errcode?: number;
  errmsg?: string;
  [key: string]: unknown;
}

export function createWeComApiClient(options: WeComApiClientOptions): WeComApiClient {
  const base = (options.apiBaseUrl ?? defaultWeComApiBaseUrl).replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agentid = Number(options.agentId);
  let cached: { token: string; refreshAt: number } | null = null;
  let pending: Promise<string> | null = null;

  async function call(
    path: string,
    init: { method: 'GET' | 'POST'; query?: Record<string, string>; body?: unknown },
  ) {
    const url = new URL(base + path);
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: init.method,
        ...(init.body === undefined
          ? {}
          : { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new AppError(timedOut ? 'TIMEOUT' : 'NETWORK', `WeCom ${path} could not be reached`, {
        cause: error,
        details: { path },
      });
    }
    if (!response.ok) {
      throw new AppError('NETWORK', `WeCom ${path} answered HTTP ${response.status}`, {
        details: { path, status: response.status },
        retryable: response.status >= 500 || response.status === 429,
      });
    }
    let reply: WeComReply;
    try {
      reply = (await response.json()) as WeComReply;
    } catch (error) {
      throw new AppError('NETWORK', `WeCom ${path} answered something that is not JSON`, {
        cause: error,
        details: { path },
      });
    }
    if (typeof reply !== 'object' || reply === null) {
      throw new AppError('NETWORK', `WeCom ${path} answered something that is not an object`, {
        details: { path },
      });
    }
    return reply;
  }

  async function fetchToken(): Promise<string> {
    const reply = await call('/cgi-bin/gettoken', {
      method: 'GET',
      query: { corpid: options.corpId, corpsecret: options.corpSecret },
    });
    const errcode = Number(reply.errcode ?? 0);
    if (errcode !== 0) throw weComApiError('/cgi-bin/gettoken', errcode, String(reply.errmsg ?? ''));
    const token = reply['access_token'];
    const expiresIn = Number(reply['expires_in'] ?? 7200);
    if (typeof token !== 'string' || token.length === 0) {
      throw new AppError('INTERNAL', 'WeCom gettoken answered without an access_token', {
        details: { path: '/cgi-bin/gettoken' },
      });
    }
    // Refresh 5 minutes early (or at half-life for short-lived tokens), never relying on the last second.
    const marginSeconds = Math.min(300, expiresIn / 2);
    cached = { token, refreshAt: now().getTime() + (expiresIn - marginSeconds) * 1000 };
    return token;
  }

  async function accessToken(forceNew: boolean): Promise<string> {
    if (!forceNew && cached && now().getTime() < cached.refreshAt) return cached.token;
    // One gettoken at a time: concurrent sends share it instead of racing for new tokens.
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  }

  async function post(path: string, body: Record<string, unknown>): Promise<WeComReply> {
    return authorized(path, { method: 'POST', body });
  }

  async function authorized(
    path: string,
    init: { method: 'GET' | 'POST'; query?: Record<string, string>; body?: Record<string, unknown> },
  ): Promise<WeComReply> {
    let token = await accessToken(false);
    for (let attempt = 0; ; attempt += 1) {
      const reply = await call(path, { ...init, query: { ...init.query, access_token: token } });
      const errcode = Number(reply.errcode ?? 0);
      if (errcode === 0) return reply;
      if (attempt === 0 && tokenErrcodes.has(errcode)) {
        if (cached?.token === token) cached = null;
        token = await accessToken(true);
        continue;
      }
      throw weComApiError(path, errcode, String(reply.errmsg ?? ''));
    }
  }

  async function send(touser: string, message: Record<string, unknown>): Promise<WeComSendResult> {
    const reply = await post('/cgi-bin/message/send', { touser, agentid, ...message });
    const invalid = String(reply['invaliduser'] ?? '');
    if (invalid.split('|').includes(touser)) {
      throw new AppError('INTERNAL', `WeCom did not deliver to ${touser}: not a member the app can reach`, {
        retryable: false,
        details: { path: '/cgi-bin/message/send', invaliduser: invalid },
        hint: 'Check the user id and the app visibility (可见范围)',
      });
    }
    const responseCode = reply['response_code'];
    return {
      msgid: String(reply['msgid'] ?? ''),
      ...(typeof responseCode === 'string' && responseCode ? { responseCode } : {}),
    };
  }

  return {
    sendText: (touser, content) => send(touser, { msgtype: 'text', text: { content } }),
    async sendButtonCard(touser, card) {
      if (!taskIdPattern.test(card.taskId)) {
        throw new AppError('INTERNAL', `Invalid WeCom task_id ${JSON.stringify(card.taskId)}`, {
          details: { taskId: card.taskId },
        });
      }
      return send(touser, {
        msgtype: 'template_card',
        template_card: {
          card_type: 'button_interaction',
          main_title: { title: card.title },
          ...(card.description ? { sub_title_text: card.description } : {}),
          task_id: card.taskId,
          button_list: card.buttons.map((b) => ({ text: b.text, style: b.style ?? 1, key: b.key })),
        },
      });
    },
    async updateButtonCard(responseCode, update) {
      await post('/cgi-bin/message/update_template_card', {
        ...(update.userIds && update.userIds.length > 0 ? { userids: update.userIds } : { atall: 1 }),
        agentid,
        response_code: responseCode,
        button: { replace_name: update.replaceText },
      });
    },
    async departmentUserIds(departmentId) {
      const path = '/cgi-bin/user/simplelist';
      const reply = await authorized(path, {
        method: 'GET',
        query: { department_id: String(departmentId) },
      });
      const list = reply['userlist'];
      if (!Array.isArray(list)) {
        throw new AppError('INTERNAL', `WeCom ${path} answered without a userlist`, {
          details: { path, departmentId },
        });
      }
      return list
        .map((u) => (typeof u === 'object' && u !== null ? (u as { userid?: unknown }).userid : undefined))
        .filter((id): id is string => typeof id === 'string' && id.length > 0);
    },
  };
}
