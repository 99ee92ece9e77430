import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, badRequest, pathNotFound } from './api-status.ts';
import type { FaultInjector, FaultPlan } from './fault-injector.ts';
import type { CallHolds, HoldSpec } from './call-holds.ts';
import { readBody, sendJson, sendStatus } from './http-io.ts';
import type { Kubelet, KubeletConfig } from './kubelet.ts';

export interface AdminApiOptions {
  calls: Map<string, number>;
  state: () => unknown;
  kubelet: Kubelet;
  faults: FaultInjector;
  holds: CallHolds;
  /** Ends every open watch, as an API server restart would; returns how many were open. */
  closeWatches: () => number;
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('expected a JSON object');
  return body as Record<string, unknown>;
}

function optionalSelector(value: unknown, field: string): string | null | undefined {
  if (value === undefined || value === null || typeof value === 'string') return value;
  throw badRequest(`${field} must be a label selector string or null`);
}

function parseFaultPlan(body: Record<string, unknown>): FaultPlan {
  const rules = body['rules'] ?? [];
  if (!Array.isArray(rules)) throw badRequest('rules must be an array');
  const seed = body['seed'] ?? 0;
  if (typeof seed !== 'number') throw badRequest('seed must be a number');
  return { seed, rules: rules as FaultPlan['rules'] };
}

/** How long `GET /_admin/holds/<id>?waitMs=` may wait for its request at most. */
const maxHoldWaitMs = 60_000;

/** Runs an admin action whose RangeError means the caller asked for something impossible. */
async function asBadRequest<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof RangeError) throw badRequest(error.message);
    throw error;
  }
}

/**
 * The simulator's `/_admin` interface (no auth): request counters, the stored state, kubelet
 * latency and failure injection, API fault injection, holds (see call-holds.ts), and closing watches.
 */
export function createAdminApi(
  options: AdminApiOptions,
): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> {
  const { calls, kubelet, faults, holds } = options;
  const route = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const key = `${req.method ?? 'GET'} ${path}`;
    switch (key) {
      case 'GET /_admin/calls':
        return sendJson(res, 200, Object.fromEntries(calls));
      case 'POST /_admin/calls/reset':
        calls.clear();
        return sendJson(res, 200, {});
      case 'GET /_admin/state':
        return sendJson(res, 200, options.state());
      case 'GET /_admin/kubelet':
        return sendJson(res, 200, kubelet.config());
      case 'POST /_admin/kubelet': {
        const body = asObject(await readBody(req));
        const latency = body['startLatencyMs'];
        if (latency !== undefined && typeof latency !== 'number')
          throw badRequest('startLatencyMs must be a number');
        const config: KubeletConfig = {
          ...(latency === undefined ? {} : { startLatencyMs: latency }),
          ...('neverReady' in body ? { neverReady: optionalSelector(body['neverReady'], 'neverReady') } : {}),
          ...('crash' in body ? { crash: optionalSelector(body['crash'], 'crash') } : {}),
        };
        try {
          return sendJson(res, 200, kubelet.configure(config));
        } catch (error) {
          if (error instanceof RangeError) throw badRequest(error.message);
          throw error;
        }
      }
      case 'GET /_admin/faults':
        return sendJson(res, 200, { rules: faults.describe() });
      case 'POST /_admin/faults':
        try {
          faults.configure(parseFaultPlan(asObject(await readBody(req))));
        } catch (error) {
          if (error instanceof RangeError) throw badRequest(error.message);
          throw error;
        }
        return sendJson(res, 200, { rules: faults.describe() });
      case 'DELETE /_admin/faults':
        faults.clear();
        return sendJson(res, 200, { rules: [] });
      case 'POST /_admin/watches/close':
        return sendJson(res, 200, { closed: options.closeWatches() });
      case 'GET /_admin/holds':
        return sendJson(res, 200, holds.list());
      case 'POST /_admin/holds': {
        const spec = asObject(await readBody(req)) as unknown as HoldSpec;
        return sendJson(res, 200, await asBadRequest(() => holds.arm(spec)));
      }
      case 'DELETE /_admin/holds':
        holds.clear();
        return sendJson(res, 200, {});
      default:
        return holdRoute(req, res, key);
    }
  };
  /** `GET /_admin/holds/<id>?waitMs=` and `POST /_admin/holds/<id>/release {drop?}`. */
  const holdRoute = async (req: IncomingMessage, res: ServerResponse, key: string): Promise<void> => {
    const wait = /^GET \/_admin\/holds\/([^/]+)$/.exec(key);
    if (wait?.[1]) {
      const id = decodeURIComponent(wait[1]);
      const asked = Number(new URL(req.url ?? '/', 'http://simulator').searchParams.get('waitMs') ?? 0);
      const waitMs = Math.min(Number.isFinite(asked) && asked > 0 ? asked : 0, maxHoldWaitMs);
      return sendJson(res, 200, await asBadRequest(() => holds.waitUntilHeld(id, waitMs)));
    }
    const release = /^POST \/_admin\/holds\/([^/]+)\/release$/.exec(key);
    if (release?.[1]) {
      const body = (await readBody(req)) as { drop?: unknown } | undefined;
      const how = body?.drop === true ? 'drop' : 'go';
      const id = decodeURIComponent(release[1]);
      return sendJson(res, 200, await asBadRequest(() => holds.release(id, how)));
    }
    return sendStatus(res, pathNotFound().status);
  };
  return async (req, res, path) => {
    try {
      await route(req, res, path);
    } catch (error) {
      if (error instanceof StatusError) return sendStatus(res, error.status);
      throw error;
    }
  };
}
