/**
 * The queue workers as the app configures them: chat lines to the conversation service (marked
 * handled once answered), notifications to the notifier, expiry revokes opened, steps to the step
 * runner.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from '../ports/clock.ts';
import type { Engine } from '../engine/engine.ts';
import type { Queues, QueueSettings } from '../engine/queues.ts';
import { createStepGuards } from '../engine/carried-steps.ts';
import { startWorkers } from '../engine/workers.ts';
import type { StepRunner, Workers } from '../engine/workers.ts';
import type { ChatService } from '../chat/chat-service.ts';
import type { ChatInbound } from '../chat/chat-message.ts';
import { markingHandled } from '../chat/marking-handled.ts';
import type { AcksFirst } from '../chat/acks-first.ts';
import type { Notifier, NotifyJob } from '../chat/notifier.ts';
import { workflowEffectRunners } from '../engine/workflow-effects.ts';
import type { WorkflowModule } from '../../workflows/index.ts';

export function startAppWorkers(
  config: Config,
  deps: {
    queueSettings: QueueSettings;
    queues: Pick<Queues, 'steps'>;
    engine: Engine;
    store: Store;
    chatService: ChatService;
    /** Answers give way to acknowledgements under way (see acks-first.ts). */
    acksFirst: Pick<AcksFirst, 'answer'>;
    notifier: Pick<Notifier, 'notify'>;
    runStep: StepRunner;
    clock: Clock;
    logger: Logger;
    /** The workflows, whose own effects (a grant's expiry revoke) the workers run. */
    registry: readonly WorkflowModule[];
  },
): Workers {
  const { engine, store, clock, logger, chatService } = deps;
  return startWorkers<ChatInbound, NotifyJob>({
    queues: deps.queueSettings,
    settings: {
      stepConcurrency: config.workflow.stepConcurrency,
      lockDurationMs: config.workflow.lockDurationMs,
      stalledIntervalMs: config.workflow.stalledIntervalMs,
      stepBackoffMs: config.workflow.stepBackoffMs,
      shutdownGraceMs: config.workflow.shutdownGraceMs,
    },
    engine,
    guards: createStepGuards(deps.queues.steps),
    logger,
    handleChat: markingHandled(
      (inbound, options) => deps.acksFirst.answer(() => chatService.handle(inbound, options)),
      { store, logger },
    ),
    notify: (job) => deps.notifier.notify(job),
    effects: workflowEffectRunners(deps.registry, { engine, store, clock, logger }),
    clock,
    runStep: deps.runStep,
  });
}
