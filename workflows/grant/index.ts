/** The grant workflow as the registry lists it: its machine, its snapshot versions, its delayed effects and its steps. */
import type { WorkflowModule } from '../workflow-module.ts';
import { grantMachine, grantMachineVersion } from './machine.ts';
import { migrateGrantSnapshot } from './migrate.ts';
import { pendingGrantEffects } from './pending-timers.ts';
import { createSteps } from './steps.ts';

export const grantWorkflow: WorkflowModule = {
  name: 'grant',
  machine: grantMachine,
  version: grantMachineVersion,
  migrate: migrateGrantSnapshot,
  pendingEffects: pendingGrantEffects,
  steps: createSteps,
};
