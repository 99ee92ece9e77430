/** The revoke workflow as the registry lists it: its machine, its snapshot version and its steps. */
import type { WorkflowModule } from '../workflow-module.ts';
import { revokeMachine, revokeMachineVersion } from './machine.ts';
import { createRevokeSteps } from './steps.ts';

export const revokeWorkflow: WorkflowModule = {
  name: 'revoke',
  machine: revokeMachine,
  version: revokeMachineVersion,
  steps: createRevokeSteps,
};
