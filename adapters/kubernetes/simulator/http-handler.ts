import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatusBody } from './api-status.ts';
import { StatusError, badRequest, methodNotAllowed, pathNotFound, unauthorized } from './api-status.ts';
import { discovery, openApiV3 } from './discovery.ts';
import type { KubeObject } from './kube-object.ts';
import type { ObjectStore } from './object-store.ts';
import type { ResourceApi } from './resource-api.ts';
import type { ResourceType } from './resource-types.ts';
import { apiVersionOf } from './resource-types.ts';
import { toTable } from './to-table.ts';
import { streamWatch } from './watch-stream.ts';

export interface HttpHandlerOptions {
  api: ResourceApi;
  store: ObjectStore;
  token: string | undefined;
  now: () => Date;
  calls: Map<string, number>;
  openWatches: Set<ServerResponse>;
  state: () => unknown;
}

interface Target {
  type: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

/** `/api/v1/namespaces/x/pods/y/eviction` → pods, x, y, eviction; undefined when not a resource path. */
export function parseResourcePath(path: string, types: ResourceType[]): Target | undefined {
  const core = /^\/api\/(v1)\/(.+)$/.exec(path);
  const named = /^\/apis\/([^/]+)\/([^/]+)\/(.+)$/.exec(path);
  const group = named?.[1] ?? '';
  const version = core?.[1] ?? named?.[2];
  const rest = core?.[2] ?? named?.[3];
  if (version === undefined || rest === undefined) return undefined;
  const segments = rest
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const served = (plural: string | undefined) =>
    types.find((t) => t.group === group && t.version === version && t.plural === plural);
  const nested = segments[0] === 'namespaces' && segments.length >= 3 ? served(segments[2]) : undefined;
  if (nested !== undefined && nested.namespaced) {
    return { type: nested, namespace: segments[1], name: segments[3], subresource: segments[4] };
  }
  const type = served(segments[0]);
  if (type === undefined) throw pathNotFound();
  return { type, namespace: undefined, name: segments[1], subresource: segments[2] };
}

function verbOf(method: string, target: Target, query: URLSearchParams): string {
  switch (method) {
    case 'GET':
      if (target.name !== undefined) return 'get';
      return ['true', '1'].includes(query.get('watch') ?? '') ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return method.toLowerCase();
  }
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendStatus(res: ServerResponse, status: StatusBody): void {
  sendJson(res, status.code, status);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('the object provided is unrecognized (must be of type JSON)');
  }
}

function listKind(t: ResourceType): string {
  return `${t.kind}List`;
}

/** Serves the Kubernetes REST API, discovery and the `/_admin` inspection endpoints. */
export function createHttpHandler(
  options: HttpHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { api, store, calls } = options;

  const handleAdmin = (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (req.method === 'GET' && path === '/_admin/calls')
      return sendJson(res, 200, Object.fromEntries(calls));
    if (req.method === 'POST' && path === '/_admin/calls/reset') {
      calls.clear();
      return sendJson(res, 200, {});
    }
    if (req.method === 'GET' && path === '/_admin/state') return sendJson(res, 200, options.state());
    return sendStatus(res, pathNotFound().status);
  };

  const handleResource = async (
    req: IncomingMessage,
    res: ServerResponse,
    target: Target,
    query: URLSearchParams,
  ) => {
    const { type, namespace, name, subresource } = target;
    const method = req.method ?? 'GET';
    const asTable = (req.headers.accept ?? '').includes('as=Table');
    if (name === undefined) {
      if (method === 'GET' && ['true', '1'].includes(query.get('watch') ?? '')) {
        return streamWatch(store, { type, namespace, query }, res, options.openWatches);
      }
      if (method === 'GET') {
        const items = api.list(type, namespace, {
          labelSelector: query.get('labelSelector'),
          fieldSelector: query.get('fieldSelector'),
        });
        const rv = String(store.resourceVersion);
        if (asTable)
          return sendJson(
            res,
            200,
            toTable(type, items, rv, options.now(), query.get('includeObject') ?? 'Metadata'),
          );
        return sendJson(res, 200, {
          kind: listKind(type),
          apiVersion: apiVersionOf(type),
          metadata: { resourceVersion: rv },
          items: items.map((o) => (type.custom ? o : stripTypeMeta(o))),
        });
      }
      if (method === 'POST') {
        if (type.namespaced && namespace === undefined) throw methodNotAllowed();
        return sendJson(res, 201, api.create(type, namespace, (await readBody(req)) as KubeObject));
      }
      throw methodNotAllowed();
    }
    if (type.namespaced && namespace === undefined) throw pathNotFound();
    if (subresource !== undefined && !type.subresources.includes(subresource)) throw pathNotFound();
    if (subresource === 'eviction') {
      if (method !== 'POST') throw methodNotAllowed();
      await readBody(req);
      return sendJson(res, 201, api.evict(namespace!, name));
    }
    switch (method) {
      case 'GET': {
        const object = api.get(type, namespace, name);
        if (asTable)
          return sendJson(
            res,
            200,
            toTable(type, [object], object.metadata.resourceVersion ?? '', options.now(), 'Metadata'),
          );
        return sendJson(res, 200, object);
      }
      case 'PUT':
        return sendJson(
          res,
          200,
          api.update(type, namespace, name, (await readBody(req)) as KubeObject, subresource),
        );
      case 'PATCH': {
        const contentType = req.headers['content-type'] ?? 'application/json-patch+json';
        return sendJson(
          res,
          200,
          api.patch(type, namespace, name, contentType, await readBody(req), subresource),
        );
      }
      case 'DELETE':
        await readBody(req);
        return sendJson(res, 200, api.delete(type, namespace, name));
      case 'POST':
        throw methodNotAllowed();
      default:
        throw methodNotAllowed();
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path.startsWith('/_admin')) return handleAdmin(req, res, path);
    let target: Target | undefined;
    try {
      target = parseResourcePath(path, api.types);
    } catch (error) {
      target = undefined;
      if (!(error instanceof StatusError)) throw error;
      if (!authorised(req)) return sendStatus(res, unauthorized().status);
      return sendStatus(res, error.status);
    }
    if (target !== undefined) {
      const verb = verbOf(req.method ?? 'GET', target, url.searchParams);
      const key = `${verb} ${target.type.plural}${target.subresource === undefined ? '' : `/${target.subresource}`}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
    }
    if (!authorised(req)) return sendStatus(res, unauthorized().status);
    if (target === undefined) {
      const doc = discovery(path, api.types, req.headers.host ?? '') ?? openApiV3(path, api.types);
      if (doc === undefined) return sendStatus(res, pathNotFound().status);
      return sendJson(res, 200, doc);
    }
    return handleResource(req, res, target, url.searchParams);
  };

  const authorised = (req: IncomingMessage) =>
    options.token === undefined || req.headers.authorization === `Bearer ${options.token}`;

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.end();
      if (error instanceof StatusError) return sendStatus(res, error.status);
      const message = error instanceof Error ? error.message : String(error);
      sendStatus(res, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `Internal error occurred: ${message}`,
        reason: 'InternalError',
        code: 500,
      });
    });
  };
}

/** Typed lists omit kind/apiVersion on items, as the real server does. */
function stripTypeMeta(o: KubeObject): KubeObject {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = o;
  return rest as KubeObject;
}
