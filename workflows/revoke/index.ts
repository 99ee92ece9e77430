/**
 * The revoke workflow as the registry lists it: its machine, its snapshot version, its steps, what
 * its states mean, the line that opens it, its messages and its view.
 */
import { describeRequest } from '../../src/chat/render-grant.ts';
import type { WorkflowModule } from '../workflow-module.ts';
import { revokeMachine, revokeMachineVersion } from './machine.ts';
import { revokeNotifications } from './notifications.ts';
import { opensRevoke } from './opens.ts';
import { revokePhases } from './phases.ts';
import { createRevokeSteps } from './steps.ts';
import type { RevokeContext } from './types.ts';
import { revokeView } from './view.ts';

export const revokeWorkflow: WorkflowModule = {
  name: 'revoke',
  machine: revokeMachine,
  version: revokeMachineVersion,
  steps: createRevokeSteps,
  phases: revokePhases,
  opens: opensRevoke,
  notifications: revokeNotifications,
  describe: (context: RevokeContext, locale) => describeRequest('revoke', context as never, locale),
  view: revokeView,
};
