/** The workflow module of a request, from the registry the chat service runs. */
import { workflowRegistry } from '../../../workflows/index.ts';
import type { WorkflowModule } from '../../../workflows/workflow-module.ts';
import type { ChatDeps } from '../chat-turn.ts';

/** What handlers that read a request's workflow get besides ChatDeps (the chat service passes it). */
export interface WorkflowsDep {
  workflows?: readonly WorkflowModule[];
}

export function workflowOf(deps: ChatDeps & WorkflowsDep, name: string): WorkflowModule | undefined {
  return (deps.workflows ?? workflowRegistry).find((w) => w.name === name);
}
