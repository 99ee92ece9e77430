/**
 * Per-action request limits in one-second windows of the emulator's clock, as Tencent Cloud
 * documents them; a request over the limit gets RequestLimitExceeded.
 */
export class ActionRateLimiter {
  readonly #limits: (action: string) => number | undefined;
  readonly #now: () => Date;
  readonly #windows = new Map<string, { second: number; count: number }>();

  constructor(limits: (action: string) => number | undefined, now: () => Date) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Counts the request (arrived `at`, default now) and says whether it is within the limit. */
  admit(action: string, at: Date = this.#now()): boolean {
    const limit = this.#limits(action);
    if (limit === undefined) return true;
    const second = Math.floor(at.getTime() / 1000);
    const window = this.#windows.get(action);
    if (!window || window.second !== second) {
      this.#windows.set(action, { second, count: 1 });
      return 1 <= limit;
    }
    window.count += 1;
    return window.count <= limit;
  }
}
