/**
 * Authenticated calls per action: totals since start (or reset) and counts per second of the
 * emulator's clock, so tests and benchmarks can prove a client stayed under a per-second limit.
 * Only the latest `historySeconds` seconds are kept per action.
 */
export class CallCounter {
  readonly #now: () => Date;
  readonly #historySeconds: number;
  #totals = new Map<string, number>();
  /** Per action, seconds in ascending order (calls arrive in clock order). */
  #perSecond = new Map<string, Map<number, number>>();

  constructor(now: () => Date, historySeconds = 600) {
    this.#now = now;
    this.#historySeconds = historySeconds;
  }

  /** `at`: when the call came, for calls read back from an earlier run's log (default now). */
  count(action: string, at: Date = this.#now()): void {
    this.#totals.set(action, (this.#totals.get(action) ?? 0) + 1);
    const second = Math.floor(at.getTime() / 1000);
    let seconds = this.#perSecond.get(action);
    if (!seconds) {
      seconds = new Map();
      this.#perSecond.set(action, seconds);
    }
    seconds.set(second, (seconds.get(second) ?? 0) + 1);
    for (const old of seconds.keys()) {
      if (old > second - this.#historySeconds) break;
      seconds.delete(old);
    }
  }

  totals(): Record<string, number> {
    return Object.fromEntries(this.#totals);
  }

  /** `{ "<Action>": { "<unix second>": count } }` for the kept history. */
  perSecond(): Record<string, Record<string, number>> {
    return Object.fromEntries(
      [...this.#perSecond].map(([action, seconds]) => [action, Object.fromEntries(seconds)]),
    );
  }

  reset(): void {
    this.#totals = new Map();
    this.#perSecond = new Map();
  }
}
