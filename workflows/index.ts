/**
 * Every workflow sgops runs, in one list: the engine, the workers, the reconciler and the console
 * all read it, so a request of any workflow is carried out and shown the same way.
 */
import { grantWorkflow } from './grant/index.ts';
import { repairWorkflow } from './repair/index.ts';
import { revokeWorkflow } from './revoke/index.ts';
import type { WorkflowModule } from './workflow-module.ts';

export type { WorkflowModule } from './workflow-module.ts';

export const workflowRegistry: readonly WorkflowModule[] = [grantWorkflow, revokeWorkflow, repairWorkflow];

/** The registry keyed by name. */
export function workflowsByName(registry: readonly WorkflowModule[]): Record<string, WorkflowModule> {
  return Object.fromEntries(registry.map((w) => [w.name, w]));
}
