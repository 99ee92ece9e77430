import type { ObjectStore } from './object-store.ts';

/**
 * What a controller pass looks at: every namespace (undefined), or only these. A namespaced
 * controller reads and writes one namespace at a time, so a pass over the namespaces that
 * changed does what a whole pass would, at the cost of what changed rather than of the store.
 */
export type PassScope = ReadonlySet<string> | undefined;

export interface ControllerLoop {
  /** Runs the controllers over everything soon (coalesced). */
  kick(): void;
  /** Runs the controllers over one namespace soon (coalesced). */
  kickNamespace(namespace: string): void;
  /** Runs the controllers again after `ms` (a controller waiting for a deadline asks for this). */
  kickAfter(ms: number): void;
  /** Resolves once a pass has run after every change so far and nothing is left to do. */
  settle(): Promise<void>;
  stop(): void;
}

/**
 * Runs the controllers after every change, on a zero-delay timer, until a pass changes
 * nothing; stop() clears the timer and stops listening. A change to a namespaced object only
 * marks its namespace for the next pass; a cluster-scoped change (a node, a namespace) or an
 * explicit kick makes the next pass a whole one.
 */
export function createControllerLoop(
  store: ObjectStore,
  pass: (scope: PassScope) => void,
  onError: (error: unknown) => void,
): ControllerLoop {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running = false;
  let waiters: (() => void)[] = [];
  const delayed = new Map<number, NodeJS.Timeout>();
  let whole = false;
  let dirty = new Set<string>();

  const run = () => {
    timer = undefined;
    if (stopped) return;
    running = true;
    try {
      for (let i = 0; i < 50; i += 1) {
        if (!whole && dirty.size === 0) break;
        const scope = whole ? undefined : dirty;
        whole = false;
        dirty = new Set();
        try {
          pass(scope);
        } catch (error) {
          // What the failed pass had to do is still to do: the next pass covers everything.
          whole = true;
          throw error;
        }
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

  const schedule = () => {
    if (stopped || running || timer !== undefined) return;
    timer = setTimeout(run, 0);
  };
  const kick = () => {
    whole = true;
    schedule();
  };
  const kickNamespace = (namespace: string) => {
    dirty.add(namespace);
    schedule();
  };

  const unsubscribe = store.subscribe((event) => {
    const namespace = event.object.metadata.namespace;
    if (namespace === undefined) kick();
    else kickNamespace(namespace);
  });

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
    kickNamespace,
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
