/**
 * The rounds a replica runs in the background: the outbox sweep (effects committed but not yet
 * queued), the queue reconcile (work Redis lost), and the prune of expired chat state. Each runs
 * once at start, then on its interval; a failed round is only logged, and the next tries again.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { OutboxDispatcher } from '../engine/outbox-dispatcher.ts';
import type { Reconciler } from '../engine/reconcile-queues.ts';

/** How often expired chat state (Slack thread entries, WeCom cards) is deleted. */
const chatStatePruneEveryMs = 3600 * 1000;

export interface BackgroundTimers {
  /** Runs each round once (a failure of the first sweep or reconcile fails start), then arms the intervals. */
  start(): Promise<void>;
  stop(): void;
}

export function createBackgroundTimers(
  config: Config,
  deps: {
    dispatcher: OutboxDispatcher;
    reconciler: Reconciler;
    /** Logs its own failures. */
    pruneChatState: () => Promise<void>;
    logger: Logger;
  },
): BackgroundTimers {
  const { dispatcher, reconciler, pruneChatState, logger } = deps;
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, round: () => void) => {
    const timer = setInterval(round, ms);
    timer.unref();
    timers.push(timer);
  };
  return {
    async start() {
      await dispatcher.sweep();
      await reconciler.reconcile();
      every(config.workflow.outboxSweepMs, () => {
        dispatcher.sweep().catch((err: unknown) => logger.warn({ err }, 'outbox sweep failed'));
      });
      every(config.workflow.reconcileMs, () => {
        reconciler.reconcile().catch((err: unknown) => logger.warn({ err }, 'queue reconcile failed'));
      });
      await pruneChatState();
      every(chatStatePruneEveryMs, () => void pruneChatState());
    },
    stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
    },
  };
}
