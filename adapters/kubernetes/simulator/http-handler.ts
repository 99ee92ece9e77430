import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, methodNotAllowed, pathNotFound, unauthorized } from './api-status.ts';
import { discovery } from './discovery.ts';
import type { FaultInjector } from './fault-injector.ts';
import type { CallHolds, HeldRequest } from './call-holds.ts';
import { readBody, readYamlBody, sendJson, sendStatus } from './http-io.ts';
import { encodeOpenApiV2, openApiV2, openApiV2ContentType } from './openapi-v2.ts';
import { openApiV3 } from './openapi-v3.ts';
import { queryFlag } from './query-flag.ts';
import type { KubeObject } from './kube-object.ts';
import type { ObjectStore } from './object-store.ts';
import type { PodLogs } from './pod-logs.ts';
import type { ResourceApi } from './resource-api.ts';
import type { ResourceType } from './resource-types.ts';
import { apiVersionOf } from './resource-types.ts';
import type { PrinterColumn } from './to-table.ts';
import { toTable } from './to-table.ts';
import { streamWatch } from './watch-stream.ts';
import { applyPatchType, warningHeaders, writeOptionsOf } from './write-options.ts';

export interface HttpHandlerOptions {
  api: ResourceApi;
  store: ObjectStore;
  token: string | undefined;
  now: () => Date;
  calls: Map<string, number>;
  openWatches: Set<ServerResponse>;
  /** Serves `/_admin/*`. */
  admin: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;
  faults: FaultInjector;
  /** Requests held before or after they apply (crash tests). */
  holds: CallHolds;
  /** Probe output, served at `GET /api/v1/namespaces/{ns}/pods/{name}/log`. */
  logs: PodLogs;
  /** How often a watch that allows bookmarks gets a BOOKMARK event. */
  bookmarkIntervalMs: number;
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
      return queryFlag(query, 'watch') ? 'watch' : 'list';
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

function listKind(t: ResourceType): string {
  return `${t.kind}List`;
}

/** Serves the Kubernetes REST API, discovery and the `/_admin` inspection endpoints. */
export function createHttpHandler(
  options: HttpHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { api, store, calls, faults } = options;

  /** A custom resource's additionalPrinterColumns, read from its CRD as the apiextensions server does. */
  const printerColumnsOf = (t: ResourceType): PrinterColumn[] | undefined =>
    api.crdVersion(t)?.additionalPrinterColumns;

  /** A custom resource's structural schema, read from its CRD as the apiextensions server publishes it. */
  const crdSchemaOf = (t: ResourceType): unknown => api.crdVersion(t)?.schema?.openAPIV3Schema;

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
      if (method === 'GET' && queryFlag(query, 'watch')) {
        return streamWatch(
          store,
          { type, namespace, query, bookmarkIntervalMs: options.bookmarkIntervalMs },
          res,
          options.openWatches,
        );
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
            toTable(
              type,
              items,
              rv,
              options.now(),
              query.get('includeObject') ?? 'Metadata',
              printerColumnsOf(type),
            ),
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
        const body = (await readBody(req)) as KubeObject;
        const options = writeOptionsOf(method, query);
        const created = api.create(type, namespace, body, options);
        return sendJson(res, 201, created, warningHeaders(options));
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
    if (subresource === 'log') {
      if (method !== 'GET') throw methodNotAllowed();
      const text = options.logs.read(
        api.get(type, namespace, name),
        query.get('container'),
        query.get('tailLines'),
      );
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(text);
      return;
    }
    switch (method) {
      case 'GET': {
        const object = api.get(type, namespace, name);
        if (asTable)
          return sendJson(
            res,
            200,
            toTable(
              type,
              [object],
              object.metadata.resourceVersion ?? '',
              options.now(),
              'Metadata',
              printerColumnsOf(type),
            ),
          );
        return sendJson(res, 200, object);
      }
      case 'PUT': {
        const body = (await readBody(req)) as KubeObject;
        const options = writeOptionsOf(method, query);
        const updated = api.update(type, namespace, name, body, subresource, options);
        return sendJson(res, 200, updated, warningHeaders(options));
      }
      case 'PATCH': {
        const contentType = req.headers['content-type'] ?? 'application/json-patch+json';
        const patchType = contentType.split(';')[0]!.trim();
        const options = writeOptionsOf(method, query, { patchType });
        if (patchType === applyPatchType) {
          const config = (await readYamlBody(req)) as KubeObject;
          const applied = api.apply(type, namespace, name, config, subresource, options);
          return sendJson(res, applied.created ? 201 : 200, applied.object, warningHeaders(options));
        }
        const body = await readBody(req);
        const patched = api.patch(type, namespace, name, contentType, body, subresource, options);
        return sendJson(res, 200, patched, warningHeaders(options));
      }
      case 'DELETE': {
        const body = (await readBody(req)) as { dryRun?: unknown } | undefined;
        const options = writeOptionsOf(method, query, { deleteOptions: body });
        return sendJson(res, 200, api.delete(type, namespace, name, options));
      }
      case 'POST':
        throw methodNotAllowed();
      default:
        throw methodNotAllowed();
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path.startsWith('/_admin')) return options.admin(req, res, path);
    let target: Target | undefined;
    try {
      target = parseResourcePath(path, api.types);
    } catch (error) {
      target = undefined;
      if (!(error instanceof StatusError)) throw error;
      if (!authorised(req)) return sendStatus(res, unauthorized().status);
      return sendStatus(res, error.status);
    }
    let fault: ReturnType<FaultInjector['check']>;
    let held: HeldRequest | undefined;
    if (target !== undefined) {
      const verb = verbOf(req.method ?? 'GET', target, url.searchParams);
      const resource = `${target.type.plural}${target.subresource === undefined ? '' : `/${target.subresource}`}`;
      const key = `${verb} ${resource}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
      fault = faults.check({
        verb,
        resource,
        group: target.type.group,
        namespace: target.namespace,
        name: target.name,
      });
      held = { verb, resource, namespace: target.namespace, name: target.name };
    }
    if (!authorised(req)) return sendStatus(res, unauthorized().status);
    if (fault !== undefined) return sendStatus(res, fault);
    if (held !== undefined) {
      // A request dropped before it applies never reaches the store; its client sees the connection cut.
      if ((await options.holds.gate(held, 'before')) === 'drop') return void res.destroy();
      if (options.holds.wants(held, 'after')) holdAnswerOnceApplied(res, options.holds, held);
    }
    if (target === undefined && path === '/openapi/v2') {
      const doc = openApiV2(api.types, crdSchemaOf);
      if (!(req.headers.accept ?? '').includes('protobuf')) return sendJson(res, 200, doc);
      const body = encodeOpenApiV2(doc);
      res.writeHead(200, { 'Content-Type': openApiV2ContentType, 'Content-Length': String(body.length) });
      return void res.end(body);
    }
    if (target === undefined) {
      const doc =
        discovery(path, api.types, req.headers.host ?? '') ?? openApiV3(path, api.types, crdSchemaOf);
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

/**
 * Defers the answer of a request an `after` hold wants: the store has changed by the time the
 * handler ends the response, so the hold catches it there — if it succeeded (a refused request
 * has no side effect to hide) — and the answer goes out, or the connection is cut, on release.
 */
function holdAnswerOnceApplied(res: ServerResponse, holds: CallHolds, request: HeldRequest): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    const gate = res.statusCode < 300 ? holds.gate(request, 'after') : undefined;
    if (gate === undefined) return end(...args);
    void gate.then((how) => (how === 'drop' ? res.destroy() : end(...args)));
    return res;
  }) as ServerResponse['end'];
}

/** Typed lists omit kind/apiVersion on items, as the real server does. */
function stripTypeMeta(o: KubeObject): KubeObject {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = o;
  return rest as KubeObject;
}
