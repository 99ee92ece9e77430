import type { ObjectStore } from './object-store.ts';

export interface ControllerLoop {
  /** Runs the controllers soon (coalesced). */
  kick(): void;
  /** Runs the controllers again after `ms` (a controller waiting for a deadline asks for this). */
  kickAfter(ms: number): void;
  /** Resolves once a pass has run after every change so far and nothing is left to do. */
  settle(): Promise<void>;
  stop(): void;
}

/**
 * Runs the controllers after every change, on a zero-delay timer, until a pass changes
 * nothing; stop() clears the timer and stops listening.
 */
export function createControllerLoop(
  store: ObjectStore,
  pass: () => void,
  onError: (error: unknown) => void,
): ControllerLoop {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running = false;
  let waiters: (() => void)[] = [];
  const delayed = new Map<number, NodeJS.Timeout>();

  const run = () => {
    timer = undefined;
    if (stopped) return;
    running = true;
    try {
      for (let i = 0; i < 50; i += 1) {
        const before = store.resourceVersion;
        pass();
        if (store.resourceVersion === before) break;
      }
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
    if (timer === undefined) {
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve();
    }
  };

  const kick = () => {
    if (stopped || running || timer !== undefined) return;
    timer = setTimeout(run, 0);
  };

  const unsubscribe = store.subscribe(kick);

  const kickAfter = (ms: number) => {
    if (stopped) return;
    // One timer per 100 ms slot, so a controller asking every pass does not pile timers up.
    const due = Math.ceil((Date.now() + Math.max(0, ms)) / 100) * 100;
    if (delayed.has(due)) return;
    delayed.set(
      due,
      setTimeout(() => {
        delayed.delete(due);
        kick();
      }, due - Date.now()),
    );
  };

  return {
    kick,
    kickAfter,
    settle: () =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        waiters.push(resolve);
        kick();
      }),
    stop: () => {
      stopped = true;
      unsubscribe();
      for (const t of delayed.values()) clearTimeout(t);
      delayed.clear();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve();
    },
  };
}
