/**
 * The effects workflows bring of their own (an expired grant's revoke to open), gathered from the
 * registry: the engine records them, the dispatcher queues them, the events worker runs them.
 */
import { AppError } from '../errors.ts';
import type {
  EffectHandler,
  EffectServices,
  WorkflowDefinition,
  WorkflowEffectJob,
} from '../ports/workflow-definition.ts';

/** Every workflow's own effects by type; two workflows may not claim the same type. */
export function workflowEffectHandlers(
  workflows: readonly Pick<WorkflowDefinition, 'name' | 'effects'>[],
): Record<string, EffectHandler> {
  const handlers: Record<string, EffectHandler> = {};
  const owner: Record<string, string> = {};
  for (const w of workflows) {
    for (const [type, handler] of Object.entries(w.effects ?? {})) {
      if (owner[type])
        throw new AppError('INTERNAL', `Workflows ${owner[type]} and ${w.name} both handle ${type} effects.`);
      owner[type] = w.name;
      handlers[type] = handler;
    }
  }
  return handlers;
}

/** The handlers bound to what they may use, as the events worker runs them by job name. */
export function workflowEffectRunners(
  workflows: readonly Pick<WorkflowDefinition, 'name' | 'effects'>[],
  services: EffectServices,
): Record<string, (job: WorkflowEffectJob) => Promise<void>> {
  return Object.fromEntries(
    Object.entries(workflowEffectHandlers(workflows)).map(([type, handler]) => [
      type,
      (job: WorkflowEffectJob) => handler(job, services),
    ]),
  );
}
