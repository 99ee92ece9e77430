import type { StatusBody } from './api-status.ts';

export interface FaultRule {
  /** get, list, watch, create, update, patch, delete; any when absent. */
  verb?: string;
  /** A plural (`pods`), or with its subresource (`pods/eviction`); any when absent. */
  resource?: string;
  /** The HTTP status to answer: 400, 401, 403, 404, 409, 429, 500, 503 or 504. */
  status: number;
  /** Fire at most this many times (unlimited when absent). */
  count?: number;
  /** Probability that a matching request fails, 0..1 (default 1). */
  rate?: number;
}

export interface FaultPlan {
  /** Seeds the pseudo-random draws of `rate`, so a plan fails the same requests every run. */
  seed: number;
  rules: FaultRule[];
}

export interface FaultRequest {
  verb: string;
  /** `pods` or `pods/eviction`. */
  resource: string;
  group: string;
  namespace: string | undefined;
  name: string | undefined;
}

const reasons: Record<number, [string, string]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason (injected fault)'],
  401: ['Unauthorized', 'Unauthorized'],
  403: ['Forbidden', ''],
  404: ['NotFound', ''],
  409: ['Conflict', ''],
  429: ['TooManyRequests', 'Too many requests, please try again later.'],
  500: ['InternalError', 'Internal error occurred: injected fault'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: [
    'Timeout',
    'the server was unable to return a response in the time allotted, but may still be processing the request',
  ],
};

/** mulberry32: a tiny seeded PRNG; determinism matters here, not quality. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function statusFor(code: number, request: FaultRequest): StatusBody {
  const [reason, fixed] = reasons[code] ?? [
    'InternalError',
    `Internal error occurred: injected fault (${code})`,
  ];
  const what = `${request.resource.split('/')[0]}${request.group === '' ? '' : `.${request.group}`}`;
  const name = request.name ?? '';
  const message =
    code === 403
      ? `${what} "${name}" is forbidden: User "system:anonymous" cannot ${request.verb} resource "${request.resource}" in API group "${request.group}"${request.namespace === undefined ? ' at the cluster scope' : ` in the namespace "${request.namespace}"`}`
      : code === 404
        ? `${what} "${name}" not found`
        : code === 409
          ? `Operation cannot be fulfilled on ${what} "${name}": the object has been modified; please apply your changes to the latest version and try again`
          : fixed;
  const details: Record<string, unknown> = {
    ...(name === '' ? {} : { name }),
    ...(request.group === '' ? {} : { group: request.group }),
    kind: request.resource.split('/')[0],
    ...(code === 429 || code === 503 || code === 504 ? { retryAfterSeconds: 1 } : {}),
  };
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  };
}

/**
 * API fault injection: the first rule matching a request (verb, resource), still within its
 * count and winning its seeded `rate` draw, turns the request into a Status failure.
 */
export class FaultInjector {
  private rules: (FaultRule & { fired: number })[] = [];
  private random: () => number = prng(0);

  configure(plan: FaultPlan): void {
    for (const rule of plan.rules) {
      if (!Number.isInteger(rule.status) || rule.status < 400 || rule.status > 599) {
        throw new RangeError(`fault status must be an HTTP error code, got ${String(rule.status)}`);
      }
      if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) {
        throw new RangeError(`fault rate must be within 0..1, got ${String(rule.rate)}`);
      }
    }
    this.rules = plan.rules.map((r) => ({ ...r, fired: 0 }));
    this.random = prng(plan.seed);
  }

  clear(): void {
    this.rules = [];
  }

  /** The rules with how often each has fired. */
  describe(): (FaultRule & { fired: number })[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** The failure to answer instead of serving the request, if a rule fires. */
  check(request: FaultRequest): StatusBody | undefined {
    for (const rule of this.rules) {
      if (rule.verb !== undefined && rule.verb !== request.verb) continue;
      if (
        rule.resource !== undefined &&
        rule.resource !== request.resource &&
        rule.resource !== request.resource.split('/')[0]
      ) {
        continue;
      }
      if (rule.count !== undefined && rule.fired >= rule.count) continue;
      if (rule.rate !== undefined && rule.rate < 1 && this.random() >= rule.rate) continue;
      rule.fired += 1;
      return statusFor(rule.status, request);
    }
    return undefined;
  }
}
