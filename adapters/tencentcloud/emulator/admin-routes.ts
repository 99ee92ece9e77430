import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterPatch, ClusterStore } from './cluster-store.ts';
import { isCloudApiError } from './cloud-api-error.ts';
import type { FaultConfig, FaultInjector } from './fault-injector.ts';

/**
 * The unsigned test-control API under `/_admin`: call counts, state, fault injection and
 * cluster changes for restriction checks. Never part of the emulated cloud.
 */
export interface AdminDeps {
  calls: () => Record<string, number>;
  callsPerSecond: () => Record<string, Record<string, number>>;
  resetCalls: () => void;
  state: () => unknown;
  faults: FaultInjector;
  clusters: ClusterStore;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function parseJson(body: Buffer): unknown {
  return body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
}

export function handleAdminRequest(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  deps: AdminDeps,
): void {
  const path = (req.url ?? '').split('?')[0]?.replace(/\/+$/, '') ?? '';
  const route = `${req.method ?? 'GET'} ${path}`;
  try {
    if (route === 'GET /_admin/calls') return send(res, 200, deps.calls());
    if (route === 'GET /_admin/calls/per-second') return send(res, 200, deps.callsPerSecond());
    if (route === 'POST /_admin/calls/reset') {
      deps.resetCalls();
      return send(res, 200, {});
    }
    if (route === 'GET /_admin/state') return send(res, 200, deps.state());
    if (route === 'GET /_admin/faults') return send(res, 200, deps.faults.current() ?? null);
    if (route === 'POST /_admin/faults') {
      deps.faults.configure(parseJson(body) as FaultConfig);
      return send(res, 200, deps.faults.current());
    }
    if (route === 'DELETE /_admin/faults') {
      deps.faults.clear();
      return send(res, 200, {});
    }
    const cluster = /^PATCH \/_admin\/clusters\/([^/]+)$/.exec(route);
    if (cluster?.[1]) {
      return send(
        res,
        200,
        deps.clusters.patch(decodeURIComponent(cluster[1]), parseJson(body) as ClusterPatch),
      );
    }
    return send(res, 404, { error: `no admin route ${route}` });
  } catch (error) {
    const status = isCloudApiError(error) ? 404 : 400;
    return send(res, status, { error: error instanceof Error ? error.message : String(error) });
  }
}
