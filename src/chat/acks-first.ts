/**
 * Acknowledgements before answers. Slack's 3 s acknowledgement deadline is hard (a missed ack shows
 * the person an error and makes Slack retry) and an answer's is not, yet both run on one event loop,
 * and an answer costs several times an ack's CPU (render, Web API calls). So while acks are in
 * flight, an answer about to start waits until they are out, or `maxDeferMs` at most: in a burst
 * answers start once it ends, and none is held back more than that, however long the acks go on.
 * Measured on the ack bench (docs/performance.md): letting even one answer run at a time during the
 * burst cost about as much as not waiting at all.
 */
export interface AcksFirst {
  /** An acknowledgement is under way: call the returned function once it has been sent. */
  acking(): () => void;
  /** Runs an answer, once no acknowledgement is in flight or after `maxDeferMs`, whichever is first. */
  answer<T>(run: () => Promise<T>): Promise<T>;
}

/** How long an answer may wait for acks: unnoticeable in a chat, and far below any retry or lock. */
export const answerDeferMs = 1000;

export function createAcksFirst(options: { maxDeferMs?: number } = {}): AcksFirst {
  const maxDeferMs = options.maxDeferMs ?? answerDeferMs;
  let acks = 0;
  const waiting = new Set<() => void>();

  function acksOut(): Promise<void> {
    if (acks === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const go = () => {
        clearTimeout(timer);
        waiting.delete(go);
        resolve();
      };
      const timer = setTimeout(go, maxDeferMs);
      timer.unref();
      waiting.add(go);
    });
  }

  return {
    acking() {
      acks += 1;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        acks -= 1;
        if (acks === 0) for (const go of waiting) go();
      };
    },
    async answer(run) {
      await acksOut();
      return run();
    },
  };
}
