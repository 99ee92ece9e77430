/**
 * The durable core: the queues (on Redis), the outbox dispatcher, the engine over the workflows,
 * the metrics it feeds, the sink every audited call goes through, and the reconciler that puts
 * back what Redis lost.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Store, AuditEntry } from '../store/store.ts';
import type { Clock } from '../ports/clock.ts';
import { createOutageLog } from '../logging/outage-log.ts';
import { createQueues, redisConnectionFromUrl } from '../engine/queues.ts';
import { createOutboxDispatcher } from '../engine/outbox-dispatcher.ts';
import { createEngine } from '../engine/engine.ts';
import { createReconciler } from '../engine/reconcile-queues.ts';
import { createChatLineReconciler } from '../chat/requeue-lost-chat-lines.ts';
import { createMetrics } from '../metrics/create-metrics.ts';
import type { WorkflowModule } from '../../workflows/index.ts';

export function wireEngine(
  config: Config,
  deps: { store: Store; logger: Logger; clock: Clock; workflows: Record<string, WorkflowModule> },
) {
  const { store, logger, clock, workflows } = deps;
  const queueSettings = { connection: redisConnectionFromUrl(config.redis.url), prefix: config.redis.prefix };
  const queues = createQueues(
    queueSettings,
    createOutageLog(logger, 'Redis cannot be reached (REDIS_URL); queued work waits for it'),
  );
  const dispatcher = createOutboxDispatcher({
    store,
    queues,
    settings: { stepAttempts: config.workflow.stepAttempts, stepBackoffMs: config.workflow.stepBackoffMs },
    logger,
  });
  const metrics = createMetrics({
    workflows: Object.values(workflows),
    async queueDepth() {
      const names = ['chat', 'events', 'steps', 'notify'] as const;
      const depth = await Promise.all(
        names.map(
          async (n) => [n, await queues[n].getJobCounts('waiting', 'active', 'delayed', 'failed')] as const,
        ),
      );
      return Object.fromEntries(depth);
    },
  });
  // Requests are counted as the engine commits their changes, so a scrape reads no table.
  const engine = createEngine({
    store,
    workflows,
    dispatcher,
    logger,
    onStateChange: (change) => metrics.observeStateChange(change),
  });
  // Every audited call passes through here once: the trail and the call counters cannot disagree.
  const auditSink = {
    async appendAudit(entries: AuditEntry[]) {
      const rows = await store.appendAudit(entries);
      metrics.observeAudit(entries);
      return rows;
    },
  };
  const reconciler = createReconciler({
    store,
    engine,
    queues,
    dispatcher,
    clock,
    logger,
    workflows: Object.values(workflows),
    chatLines: createChatLineReconciler({ store, chatQueue: queues.chat, clock, logger }),
  });
  return { queueSettings, queues, dispatcher, metrics, engine, auditSink, reconciler };
}
