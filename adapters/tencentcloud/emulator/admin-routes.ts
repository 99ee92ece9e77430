import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterPatch, ClusterStore } from './cluster-store.ts';
import { isCloudApiError } from './cloud-api-error.ts';
import type { FaultConfig, FaultInjector } from './fault-injector.ts';
import type { CallHolds, HoldSpec } from './call-holds.ts';

/**
 * The unsigned test-control API under `/_admin`: call counts, state, fault injection, holds
 * (see call-holds.ts) and cluster changes for restriction checks. Never part of the emulated cloud.
 */
export interface AdminDeps {
  calls: () => Record<string, number>;
  callsPerSecond: () => Record<string, Record<string, number>>;
  resetCalls: () => void;
  state: () => unknown;
  faults: FaultInjector;
  holds: CallHolds;
  clusters: ClusterStore;
  /** Called after a route changed the account, before it answers (the world file keeps it). */
  changed?: () => void;
}

/** How long `GET /_admin/holds/<id>?waitMs=` may wait for its call at most. */
const maxHoldWaitMs = 60_000;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function parseJson(body: Buffer): unknown {
  return body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
}

export async function handleAdminRequest(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  deps: AdminDeps,
): Promise<void> {
  const [rawPath, query] = (req.url ?? '').split('?');
  const path = rawPath?.replace(/\/+$/, '') ?? '';
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
    if (route === 'GET /_admin/holds') return send(res, 200, deps.holds.list());
    if (route === 'POST /_admin/holds') return send(res, 200, deps.holds.arm(parseJson(body) as HoldSpec));
    if (route === 'DELETE /_admin/holds') {
      deps.holds.clear();
      return send(res, 200, {});
    }
    const hold = /^GET \/_admin\/holds\/([^/]+)$/.exec(route);
    if (hold?.[1]) {
      const waitMs = Math.min(Number(new URLSearchParams(query).get('waitMs') ?? 0) || 0, maxHoldWaitMs);
      return send(res, 200, await deps.holds.waitUntilHeld(decodeURIComponent(hold[1]), waitMs));
    }
    const release = /^POST \/_admin\/holds\/([^/]+)\/release$/.exec(route);
    if (release?.[1]) {
      const { drop } = parseJson(body) as { drop?: boolean };
      return send(res, 200, deps.holds.release(decodeURIComponent(release[1]), drop ? 'drop' : 'go'));
    }
    const cluster = /^PATCH \/_admin\/clusters\/([^/]+)$/.exec(route);
    if (cluster?.[1]) {
      const patched = deps.clusters.patch(decodeURIComponent(cluster[1]), parseJson(body) as ClusterPatch);
      deps.changed?.();
      return send(res, 200, patched);
    }
    return send(res, 404, { error: `no admin route ${route}` });
  } catch (error) {
    const status = isCloudApiError(error) ? 404 : 400;
    return send(res, status, { error: error instanceof Error ? error.message : String(error) });
  }
}
