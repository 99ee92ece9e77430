import { seededRandom, type RandomSource } from './seeded-random.ts';

/**
 * Injected failures, reproducible from a seed: queued `next` faults first, then a per-action
 * probability (`"*"` for any action) picking a code from `codes`.
 */
export interface FaultConfig {
  seed: number;
  rate?: Record<string, number>;
  codes?: string[];
  next?: { action: string; code: string; count?: number }[];
  latencyMs?: number;
}

export interface FaultDecision {
  code: string | undefined;
  latencyMs: number;
}

const defaultCodes = ['InternalError', 'RequestLimitExceeded'];

export class FaultInjector {
  #config: FaultConfig | undefined;
  #random: RandomSource = seededRandom(0);
  #next: { action: string; code: string; count: number }[] = [];

  configure(config: FaultConfig): void {
    if (!Number.isFinite(config.seed)) throw new TypeError('faults need a numeric seed');
    for (const [action, p] of Object.entries(config.rate ?? {})) {
      if (!(p >= 0 && p <= 1)) throw new TypeError(`rate for ${action} must be within 0..1`);
    }
    this.#config = config;
    this.#random = seededRandom(config.seed);
    this.#next = (config.next ?? []).map((n) => ({ action: n.action, code: n.code, count: n.count ?? 1 }));
  }

  clear(): void {
    this.#config = undefined;
    this.#next = [];
  }

  current(): (FaultConfig & { pending: { action: string; code: string; count: number }[] }) | undefined {
    return this.#config && { ...this.#config, pending: this.#next.map((n) => ({ ...n })) };
  }

  decide(action: string): FaultDecision {
    const config = this.#config;
    if (!config) return { code: undefined, latencyMs: 0 };
    const latencyMs = config.latencyMs ?? 0;
    const queued = this.#next.find((n) => n.count > 0 && (n.action === action || n.action === '*'));
    if (queued) {
      queued.count -= 1;
      this.#next = this.#next.filter((n) => n.count > 0);
      return { code: queued.code, latencyMs };
    }
    const p = config.rate?.[action] ?? config.rate?.['*'] ?? 0;
    if (p > 0 && this.#random() < p) {
      const codes = config.codes && config.codes.length > 0 ? config.codes : defaultCodes;
      return { code: codes[Math.floor(this.#random() * codes.length)], latencyMs };
    }
    return { code: undefined, latencyMs };
  }
}
