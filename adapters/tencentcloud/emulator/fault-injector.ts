import { seededRandom, type RandomSource } from './seeded-random.ts';

/**
 * Injected failures, reproducible from a seed: queued `next` faults first, then one draw per call
 * against the action's probabilities (`"*"` for any action not named), in this order: an API error
 * from `codes` (`rate`), `http5xx`, `timeout`, `answerLost`. What each kind does on the wire is in
 * send-api-answer.ts: an API error and `http5xx` come before the call applies, `timeout` and
 * `answerLost` after.
 */
export type TransportFaultKind = 'http5xx' | 'timeout' | 'answerLost';

export interface FaultConfig {
  seed: number;
  /** Probability per action of an API error (HTTP 200, `{"Response":{"Error":…}}`), refused before acting. */
  rate?: Record<string, number>;
  codes?: string[];
  /** Probability per action of an HTTP 502 or 503 from the gateway, without a `Response` body; not applied. */
  http5xx?: Record<string, number>;
  /** Probability per action that the call is applied and then no answer comes for `timeoutMs`. */
  timeout?: Record<string, number>;
  /** Probability per action that the call is applied and then its connection is cut. */
  answerLost?: Record<string, number>;
  /** Queued faults, spent first: an API error `code`, or a transport fault `kind`. */
  next?: { action: string; code?: string; kind?: TransportFaultKind; count?: number }[];
  /** Added after the call is applied: one figure for every action, or per action (`"*"` for the rest). */
  latencyMs?: number | Record<string, number>;
  /** How long a `timeout` fault keeps the connection open without answering (default 30 000). */
  timeoutMs?: number;
}

export type Fault =
  | { kind: 'apiError'; code: string }
  | { kind: 'http5xx'; status: number }
  | { kind: 'timeout'; holdMs: number }
  | { kind: 'answerLost' };

/** `{ "<Action>": { "<kind>": count } }`. */
export type FaultCounts = Record<string, Partial<Record<Fault['kind'], number>>>;

export interface FaultDecision {
  fault: Fault | undefined;
  latencyMs: number;
}

interface Queued {
  action: string;
  code?: string;
  kind?: TransportFaultKind;
  count: number;
}

const defaultCodes = ['InternalError', 'RequestLimitExceeded'];
const gatewayStatuses = [502, 503];
const defaultTimeoutMs = 30_000;
const transportKinds: readonly TransportFaultKind[] = ['http5xx', 'timeout', 'answerLost'];

/** The action's own figure, else the `"*"` one, else 0. */
function valueFor(map: Record<string, number> | undefined, action: string): number {
  return map?.[action] ?? map?.['*'] ?? 0;
}

function checkConfig(config: FaultConfig): void {
  if (!Number.isFinite(config.seed)) throw new TypeError('faults need a numeric seed');
  const maps = {
    rate: config.rate,
    http5xx: config.http5xx,
    timeout: config.timeout,
    answerLost: config.answerLost,
  };
  const actions = new Set(['*']);
  for (const [name, map] of Object.entries(maps)) {
    for (const [action, p] of Object.entries(map ?? {})) {
      if (!(p >= 0 && p <= 1)) throw new TypeError(`${name} for ${action} must be within 0..1`);
      actions.add(action);
    }
  }
  for (const action of actions) {
    const sum = Object.values(maps).reduce((total, map) => total + valueFor(map, action), 0);
    if (sum > 1 + 1e-9) throw new TypeError(`the fault probabilities of ${action} add up to ${sum}, over 1`);
  }
  const latency = config.latencyMs;
  const latencies = typeof latency === 'number' ? [latency] : Object.values(latency ?? {});
  if (latencies.some((ms) => !(ms >= 0))) throw new TypeError('latencyMs must be 0 or more');
  if (config.timeoutMs !== undefined && !(config.timeoutMs > 0))
    throw new TypeError('timeoutMs must be more than 0');
  for (const n of config.next ?? []) {
    if (typeof n.action !== 'string' || n.action === '')
      throw new TypeError('a queued fault needs an action');
    const isKind = n.kind !== undefined && transportKinds.includes(n.kind);
    if (isKind === (typeof n.code === 'string' && n.code !== ''))
      throw new TypeError(
        `a queued fault for ${n.action} needs exactly one of code or kind (${transportKinds.join(', ')})`,
      );
  }
}

export class FaultInjector {
  #config: FaultConfig | undefined;
  #random: RandomSource = seededRandom(0);
  #next: Queued[] = [];
  #injected: Record<string, Partial<Record<Fault['kind'], number>>> = {};

  configure(config: FaultConfig): void {
    checkConfig(config);
    this.#config = config;
    this.#random = seededRandom(config.seed);
    this.#next = (config.next ?? []).map((n) => ({
      action: n.action,
      ...(n.code === undefined ? {} : { code: n.code }),
      ...(n.kind === undefined ? {} : { kind: n.kind }),
      count: n.count ?? 1,
    }));
    this.#injected = {};
  }

  clear(): void {
    this.#config = undefined;
    this.#next = [];
    this.#injected = {};
  }

  /** The plan, its queued faults not yet spent, and the faults injected so far per action and kind. */
  current(): (FaultConfig & { pending: Queued[]; injected: FaultCounts }) | undefined {
    return (
      this.#config && {
        ...this.#config,
        pending: this.#next.map((n) => ({ ...n })),
        injected: this.injected(),
      }
    );
  }

  injected(): FaultCounts {
    return Object.fromEntries(
      Object.entries(this.#injected).map(([action, kinds]) => [action, { ...kinds }]),
    );
  }

  decide(action: string): FaultDecision {
    const decision = this.#decide(action);
    const kind = decision.fault?.kind;
    if (kind) {
      const counts = (this.#injected[action] ??= {});
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    return decision;
  }

  #decide(action: string): FaultDecision {
    const config = this.#config;
    if (!config) return { fault: undefined, latencyMs: 0 };
    const latency = config.latencyMs;
    const latencyMs = typeof latency === 'number' ? latency : valueFor(latency, action);
    const queued = this.#next.find((n) => n.count > 0 && (n.action === action || n.action === '*'));
    if (queued) {
      queued.count -= 1;
      this.#next = this.#next.filter((n) => n.count > 0);
      return {
        fault: queued.kind ? this.#transport(queued.kind) : { kind: 'apiError', code: queued.code! },
        latencyMs,
      };
    }
    // One draw picks at most one kind, a second the code or status; an action without faults draws
    // nothing, so plans of API errors alone fail the same calls as before the other kinds existed.
    const total = [config.rate, ...transportKinds.map((k) => config[k])].reduce(
      (sum, map) => sum + valueFor(map, action),
      0,
    );
    if (total === 0) return { fault: undefined, latencyMs };
    const draw = this.#random();
    let bound = valueFor(config.rate, action);
    if (draw < bound) {
      const codes = config.codes && config.codes.length > 0 ? config.codes : defaultCodes;
      return {
        fault: { kind: 'apiError', code: codes[Math.floor(this.#random() * codes.length)]! },
        latencyMs,
      };
    }
    for (const kind of transportKinds) {
      bound += valueFor(config[kind], action);
      if (draw < bound) return { fault: this.#transport(kind), latencyMs };
    }
    return { fault: undefined, latencyMs };
  }

  #transport(kind: TransportFaultKind): Fault {
    if (kind === 'http5xx')
      return { kind, status: gatewayStatuses[Math.floor(this.#random() * gatewayStatuses.length)]! };
    if (kind === 'timeout') return { kind, holdMs: this.#config?.timeoutMs ?? defaultTimeoutMs };
    return { kind };
  }
}
