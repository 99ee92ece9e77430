import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, badRequest, pathNotFound } from './api-status.ts';
import type { FaultInjector, FaultPlan } from './fault-injector.ts';
import { readBody, sendJson, sendStatus } from './http-io.ts';
import type { Kubelet, KubeletConfig } from './kubelet.ts';

export interface AdminApiOptions {
  calls: Map<string, number>;
  state: () => unknown;
  kubelet: Kubelet;
  faults: FaultInjector;
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

/**
 * The simulator's `/_admin` interface (no auth): request counters, the stored state, kubelet
 * latency and failure injection, API fault injection, and closing watches.
 */
export function createAdminApi(
  options: AdminApiOptions,
): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> {
  const { calls, kubelet, faults } = options;
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
      default:
        return sendStatus(res, pathNotFound().status);
    }
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
