/**
 * A stand-in for WeCom's server API (qyapi.weixin.qq.com) for tests and the sandbox: gettoken,
 * message/send, message/update_template_card and user/simplelist (a department's members), with
 * WeCom's errcodes for the mistakes sgops could make, every call recorded, token expiry under
 * control and errcodes injectable.
 * Admin routes: `GET /calls`, `POST /calls/reset`, `POST /admin/expire-tokens`,
 * `POST /admin/fail-next` `{errcode, count?, path?, errmsg?}`, `POST /admin/clear-failures`,
 * `POST /admin/token-ttl` `{seconds}`, `POST /admin/departments` `{id, userids, visible?}`.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSendBody, checkUpdateBody } from './check-wecom-body.ts';

export interface FakeWeComCall {
  path: string;
  /** The JSON body; for gettoken the corp id only (never the secret). */
  body: unknown;
  at: string;
  errcode: number;
  response: Record<string, unknown>;
}

export interface FakeWeComApiOptions {
  corpId?: string;
  corpSecret?: string;
  agentId?: string | number;
  /** expires_in of new tokens; 7200 like WeCom by default. */
  tokenTtlSeconds?: number;
  /** Departments by id and their members' userids (all within the app's visible range). */
  departments?: Record<number, string[]>;
  now?: () => Date;
}

export interface FakeWeComApi {
  start(port?: number, host?: string): Promise<{ url: string }>;
  stop(): Promise<void>;
  calls(): FakeWeComCall[];
  reset(): void;
  /** Every token issued so far is expired: the next API call gets 42001. */
  expireTokens(): void;
  setTokenTtl(seconds: number): void;
  /** The next `count` matching API calls (all but gettoken unless `path` says) fail with `errcode`. */
  failNext(errcode: number, count?: number, options?: { path?: string; errmsg?: string }): void;
  /** Drops every injected failure not yet used (the end of an outage). */
  clearFailures(): void;
  /**
   * A department's direct members, as user/simplelist lists them; `visible: false` puts it outside
   * the app's visible range (60011), `null` deletes it (60003).
   */
  setDepartment(id: number, userids: string[] | null, options?: { visible?: boolean }): void;
  /** The response code of the last card sent with this task id (what a click would also carry). */
  responseCodeOf(taskId: string): string | undefined;
}

interface Failure {
  errcode: number;
  errmsg: string;
  remaining: number;
  path?: string;
}

const errmsgs: Record<number, string> = {
  40001: 'invalid credential',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  41001: 'access_token missing',
  42001: 'access_token expired',
  45009: 'api freq out of limit',
};

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.length === 0) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function createFakeWeComApi(options: FakeWeComApiOptions = {}): FakeWeComApi {
  const now = options.now ?? (() => new Date());
  let tokenTtlSeconds = options.tokenTtlSeconds ?? 7200;
  const agentId = options.agentId === undefined ? undefined : Number(options.agentId);
  let recorded: FakeWeComCall[] = [];
  const tokens = new Map<string, number>();
  const responseCodes = new Map<string, { taskId: string; used: boolean }>();
  const taskIds = new Map<string, string>();
  const failures: Failure[] = [];
  const departments = new Map<number, { userids: string[]; visible: boolean }>(
    Object.entries(options.departments ?? {}).map(([id, userids]) => [
      Number(id),
      { userids: [...userids], visible: true },
    ]),
  );
  let msgSeq = 0;
  let server: Server | null = null;

  const fail = (errcode: number, errmsg = errmsgs[errcode] ?? 'invalid parameter') => ({ errcode, errmsg });

  function injected(path: string): Failure | undefined {
    const failure = failures.find((f) =>
      f.path === undefined ? path !== '/cgi-bin/gettoken' : f.path === path,
    );
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining <= 0) failures.splice(failures.indexOf(failure), 1);
    return failure;
  }

  function tokenError(token: string | null): number {
    if (!token) return 41001;
    const expiresAt = tokens.get(token);
    if (expiresAt === undefined) return 40014;
    return now().getTime() >= expiresAt ? 42001 : 0;
  }

  function gettoken(query: URLSearchParams): Record<string, unknown> {
    if (options.corpId !== undefined && query.get('corpid') !== options.corpId) return fail(40013);
    if (options.corpSecret !== undefined && query.get('corpsecret') !== options.corpSecret)
      return fail(40001);
    const token = `fake-wecom-token-${randomBytes(12).toString('hex')}`;
    tokens.set(token, now().getTime() + tokenTtlSeconds * 1000);
    return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: tokenTtlSeconds };
  }

  function send(body: Record<string, unknown>): Record<string, unknown> {
    const problem = checkSendBody(body, agentId);
    if (problem) return fail(problem.errcode, problem.errmsg);
    const msgid = `fake-msg-${++msgSeq}`;
    if (body['msgtype'] !== 'template_card') return { errcode: 0, errmsg: 'ok', invaliduser: '', msgid };
    const card = body['template_card'] as Record<string, unknown>;
    const taskId = String(card['task_id']);
    if (taskIds.has(taskId)) return fail(40058, `task_id ${taskId} already exists`);
    const responseCode = `fake-rc-${randomBytes(16).toString('hex')}`;
    taskIds.set(taskId, responseCode);
    responseCodes.set(responseCode, { taskId, used: false });
    return { errcode: 0, errmsg: 'ok', invaliduser: '', msgid, response_code: responseCode };
  }

  function update(body: Record<string, unknown>): Record<string, unknown> {
    const problem = checkUpdateBody(body, agentId);
    if (problem) return fail(problem.errcode, problem.errmsg);
    const code = responseCodes.get(String(body['response_code']));
    // Single use, like WeCom's.
    if (!code || code.used) return fail(40058, 'invalid response_code');
    code.used = true;
    return { errcode: 0, errmsg: 'ok', invaliduser: [] };
  }

  function simplelist(query: URLSearchParams): Record<string, unknown> {
    const raw = query.get('department_id') ?? '';
    if (!/^\d+$/.test(raw)) return fail(40009, 'invalid department_id');
    const id = Number(raw);
    const department = departments.get(id);
    if (!department) return fail(60003, 'department not found');
    if (!department.visible) return fail(60011, 'no privilege to access/modify contact/party/agent');
    return {
      errcode: 0,
      errmsg: 'ok',
      userlist: department.userids.map((userid) => ({ userid, name: userid, department: [id] })),
    };
  }

  function setDepartment(id: number, userids: string[] | null, opts: { visible?: boolean } = {}): void {
    if (userids === null) departments.delete(id);
    else departments.set(id, { userids: [...userids], visible: opts.visible ?? true });
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const at = now().toISOString();
    let body: unknown = {};
    let response: Record<string, unknown>;
    if (path === '/cgi-bin/gettoken') {
      body = { corpid: url.searchParams.get('corpid') };
      const failure = injected(path);
      response = failure ? fail(failure.errcode, failure.errmsg) : gettoken(url.searchParams);
    } else {
      const listing = path === '/cgi-bin/user/simplelist';
      body = listing
        ? { department_id: url.searchParams.get('department_id') }
        : req.method === 'POST'
          ? await readJson(req)
          : {};
      const tokenProblem = tokenError(url.searchParams.get('access_token'));
      const failure = tokenProblem === 0 ? injected(path) : undefined;
      if (tokenProblem !== 0) response = fail(tokenProblem);
      else if (failure) response = fail(failure.errcode, failure.errmsg);
      else if (listing)
        response = req.method === 'GET' ? simplelist(url.searchParams) : fail(43003, 'require GET method');
      else if (req.method !== 'POST') response = fail(43004, 'require POST method');
      else if (typeof body !== 'object' || body === null || Array.isArray(body))
        response = fail(47001, 'data format error');
      else if (path === '/cgi-bin/message/send') response = send(body as Record<string, unknown>);
      else response = update(body as Record<string, unknown>);
    }
    recorded.push({ path, body, at, errcode: Number(response['errcode'] ?? 0), response });
    json(res, 200, response);
  }

  async function admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'GET' && path === '/calls') return json(res, 200, recorded);
    if (req.method !== 'POST') return json(res, 405, { error: 'method not allowed' });
    const body = ((await readJson(req)) ?? {}) as Record<string, unknown>;
    if (path === '/calls/reset') {
      recorded = [];
      return json(res, 200, { ok: true });
    }
    if (path === '/admin/expire-tokens') {
      for (const token of tokens.keys()) tokens.set(token, 0);
      return json(res, 200, { ok: true });
    }
    if (path === '/admin/clear-failures') {
      failures.length = 0;
      return json(res, 200, { ok: true });
    }
    if (path === '/admin/departments' && typeof body['id'] === 'number') {
      const userids = body['userids'];
      if (userids !== null && !(Array.isArray(userids) && userids.every((u) => typeof u === 'string')))
        return json(res, 400, { error: 'expected {id, userids: string[] | null, visible?}' });
      setDepartment(body['id'], userids, {
        ...(typeof body['visible'] === 'boolean' ? { visible: body['visible'] } : {}),
      });
      return json(res, 200, { ok: true });
    }
    if (path === '/admin/token-ttl' && typeof body['seconds'] === 'number') {
      tokenTtlSeconds = body['seconds'];
      return json(res, 200, { ok: true });
    }
    if (path === '/admin/fail-next' && typeof body['errcode'] === 'number') {
      const count = typeof body['count'] === 'number' ? body['count'] : 1;
      failNext(body['errcode'], count, {
        ...(typeof body['path'] === 'string' ? { path: body['path'] } : {}),
        ...(typeof body['errmsg'] === 'string' ? { errmsg: body['errmsg'] } : {}),
      });
      return json(res, 200, { ok: true });
    }
    return json(res, 404, { error: 'not found' });
  }

  function failNext(errcode: number, count = 1, opts: { path?: string; errmsg?: string } = {}): void {
    if (count <= 0) return;
    failures.push({
      errcode,
      errmsg: opts.errmsg ?? errmsgs[errcode] ?? 'injected failure',
      remaining: count,
      ...(opts.path === undefined ? {} : { path: opts.path }),
    });
  }

  const apiPaths = new Set([
    '/cgi-bin/gettoken',
    '/cgi-bin/message/send',
    '/cgi-bin/message/update_template_card',
    '/cgi-bin/user/simplelist',
  ]);

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const work = apiPaths.has(url.pathname)
      ? api(req, res, url)
      : url.pathname.startsWith('/cgi-bin/')
        ? Promise.resolve(json(res, 404, { errcode: 60011, errmsg: `no such api ${url.pathname}` }))
        : admin(req, res, url.pathname);
    work.catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  };

  return {
    async start(port = 0, host = '127.0.0.1') {
      if (server) throw new Error('the fake WeCom API is already started');
      const started = createServer(listener);
      await new Promise<void>((resolve, reject) => {
        started.once('error', reject);
        started.listen(port, host, () => resolve());
      });
      server = started;
      const address = started.address() as AddressInfo;
      return {
        url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
      };
    },
    async stop() {
      const running = server;
      server = null;
      if (!running) return;
      running.closeAllConnections();
      await new Promise<void>((resolve, reject) => running.close((err) => (err ? reject(err) : resolve())));
    },
    calls: () => recorded.map((c) => ({ ...c })),
    reset() {
      recorded = [];
    },
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, 0);
    },
    setTokenTtl(seconds) {
      tokenTtlSeconds = seconds;
    },
    failNext,
    clearFailures() {
      failures.length = 0;
    },
    setDepartment,
    responseCodeOf: (taskId) => taskIds.get(taskId),
  };
}
