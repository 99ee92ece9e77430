/**
 * Work started without being awaited (an answer sent first, bookkeeping after), kept so that
 * shutdown can wait for it: settled() resolves once everything tracked so far, and anything those
 * started meanwhile, has finished, however it ended.
 */
export interface InFlightWork {
  track(work: Promise<unknown>): void;
  settled(): Promise<void>;
}

export function createInFlightWork(): InFlightWork {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      running.add(work);
      void work.then(
        () => running.delete(work),
        () => running.delete(work),
      );
    },
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
